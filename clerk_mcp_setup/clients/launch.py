"""The environment each client gives the servers it starts, as `LaunchPolicy` values the client records use.

Verification starts an entry under its client's policy, and the installer writes entries that work under it
(a Codex entry names the variables the vault needs). Each fact carries its source.
"""

from __future__ import annotations

from clerk_mcp_setup.clients.base import LaunchPolicy

# Desktop apps started from the Dock/Start menu: no shell PATH, the desktop session's variables, the entry's env
# (python-sdk#478, servers#760: `spawn npx ENOENT`; toolchain.md "Launch environments").
GUI_SOURCE = "GUI apps have no shell PATH when started from the Dock/Start menu (python-sdk#478, servers#760)"

CLAUDE_DESKTOP = LaunchPolicy(inherit="gui", unset_reference="none", source=GUI_SOURCE)
# VS Code's variable resolver gives "" for an unset ${env:NAME}
# (code.visualstudio.com/docs/reference/variables-reference, "Environment variables"); Cursor is a VS Code fork.
VSCODE = LaunchPolicy(inherit="gui", unset_reference="empty", source=GUI_SOURCE + "; ${env:X} per VS Code's resolver")
CURSOR = VSCODE
# Windsurf is a VS Code fork with the same ${env:X} resolver (docs.windsurf.com/windsurf/cascade/mcp).
WINDSURF = VSCODE
ZED = LaunchPolicy(inherit="gui", unset_reference="none", source=GUI_SOURCE + "; Zed expands no references")

# Claude Code passes its whole environment and keeps an unset ${VAR} as the literal text
# (measured here with Claude Code 2.1.197: `claude mcp list` with an unset ${CLERK_SECRET_KEY} → the server got
# the literal string; toolchain.md "Launch environments"). Default MCP_TIMEOUT 30 s.
CLAUDE_CODE = LaunchPolicy(
    inherit="all",
    unset_reference="literal",
    startup_timeout=30.0,
    source="measured here with Claude Code 2.1.197 (toolchain.md, Launch environments)",
)

# Gemini CLI passes its environment minus variables whose names look secret, unless the entry's env lists them,
# and substitutes "" for an unset $VAR/${VAR} (google-gemini/gemini-cli bundle 0.61.0,
# NEVER_ALLOWED_NAME_PATTERNS and shouldRedactEnvironmentVariable; it also drops values shaped like tokens).
GEMINI = LaunchPolicy(
    inherit="all",
    strip_names=("TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "AUTH", "CREDENTIAL", "CREDS", "PRIVATE", "CERT"),
    unset_reference="empty",
    source="@google/gemini-cli 0.61.0 NEVER_ALLOWED_NAME_PATTERNS (sanitizeEnvironment)",
)

# Codex gives a server only DEFAULT_ENV_VARS, the entry's `env` table and the values of the names in `env_vars`
# (openai/codex codex-rs/rmcp-client/src/utils.rs DEFAULT_ENV_VARS; measured here with Codex 0.169.0: only
# PATH HOME LANG TERM arrived); `startup_timeout_sec` defaults to 10 s (openai/codex docs/config.md).
CODEX = LaunchPolicy(
    inherit="allow-list",
    allow=("HOME", "LOGNAME", "PATH", "SHELL", "USER", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ"),
    unset_reference="none",
    startup_timeout=10.0,
    source="openai/codex codex-rs/rmcp-client/src/utils.rs DEFAULT_ENV_VARS; measured with Codex 0.169.0",
)
