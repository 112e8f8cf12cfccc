"""Gemini CLI: `mcpServers` in `settings.json`, where comments are allowed but trailing commas are not.

The user file is `~/.gemini/settings.json`, where `$GEMINI_CLI_HOME` (when set) replaces the home folder;
the project file is `<project>/.gemini/settings.json`. Servers are disabled in folders not trusted.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    """`~/.gemini/settings.json`, with `$GEMINI_CLI_HOME` standing in for the home folder."""
    value = env.var("GEMINI_CLI_HOME")
    return (env.path(value) if value else env.home) / ".gemini" / "settings.json"


_STEPS = (
    "Servers are disabled in untrusted folders: trust the folder when Gemini CLI asks "
    "(or set GEMINI_CLI_TRUST_WORKSPACE=true).",
    "Run /mcp in Gemini CLI to see the server and its tools.",
)

GEMINI = Client(
    id="gemini",
    name="Gemini CLI",
    syntax="jsonc_no_trailing_commas",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".gemini", "settings.json"),
    shape=EntryShape(remote_type="http"),
    # ${HOME} in a project command: measured here with Gemini CLI 0.61.0, `gemini mcp list` shows
    # ${HOME}/.local/bin/clerk-mcp-server expanded to each HOME's path.
    secrets=Secrets(
        template="${NAME}", home="${HOME}", note="Gemini CLI expands $NAME and ${NAME} anywhere in an entry"
    ),
    next_steps={"user": _STEPS, "project": _STEPS},
    quirks=(
        "Variables whose names contain TOKEN, SECRET, KEY, AUTH… are stripped from the environment a server "
        "inherits unless the entry's env lists them.",
        'Remote entries are {"type": "http", url, headers}; httpUrl is deprecated.',
        "settings.json may hold comments but a trailing comma makes it fail to load.",
    ),
    cli=OfficialCli(
        binary="gemini",
        add="gemini mcp add -s {scope} {name} {command} {args}",
        remove="gemini mcp remove -s {scope} {name}",
        list="gemini mcp list",
        scopes=("user", "project"),
        note="The default scope is project, and it refuses when the working directory is your home folder.",
    ),
    binaries=("gemini",),
    # The Gemini API takes at most 512 function declarations; Gemini CLI drops MCP tools past that
    # (google-gemini/gemini-cli#19083, and the limit enforced in google-gemini/gemini-cli#26869).
    tool_cap=512,
    tool_cap_source="Gemini API: at most 512 function declarations (google-gemini/gemini-cli#19083, #26869)",
    launch=launch.GEMINI,
    # github.com/google-gemini/gemini-cli docs/tools/mcp-server.md ("OAuth support for remote MCP servers");
    # measured here with Gemini CLI 0.61.0: a 401 starts sign-in only when the entry has oauth.enabled.
    sign_in=SignIn("run /mcp auth {name} in Gemini CLI to sign in.", entry={"oauth": {"enabled": True}}),
)
