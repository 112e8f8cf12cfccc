"""Claude Code: three scopes in two files, typed entries, `${VAR}` references and an official CLI.

User scope is the top-level `mcpServers` of `~/.claude.json` (in `$CLAUDE_CONFIG_DIR` when set); local
scope is the same file under `projects["/abs/project"]`; project scope is the shared `<project>/.mcp.json`.
On Windows the `projects` keys Claude Code reads are spelt with forward slashes (`C:/Users/me/app`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def config_dir(env: Env) -> PurePath:
    """`$CLAUDE_CONFIG_DIR`, else `~/.claude`: where Claude Code keeps its settings and state."""
    value = env.var("CLAUDE_CONFIG_DIR")
    return env.path(value) if value else env.home / ".claude"


def user_path(env: Env) -> PurePath:
    """`~/.claude.json`, or `$CLAUDE_CONFIG_DIR/.claude.json` when that variable is set."""
    value = env.var("CLAUDE_CONFIG_DIR")
    return (env.path(value) if value else env.home) / ".claude.json"


def _installs(env: Env) -> Sequence[PurePath]:
    """The native installer's binary (often not on a GUI's PATH) and the older `~/.claude/local` install."""
    if env.platform == "win32":
        return (env.home / ".local" / "bin" / "claude.exe",)
    return (env.home / ".local" / "bin" / "claude", config_dir(env) / "local" / "claude")


_LOAD = "Start a new Claude Code session (or run /mcp) to load the server; `claude mcp list` shows if it connects."

CLAUDE_CODE = Client(
    id="claude-code",
    name="Claude Code",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".mcp.json",),
    local=True,
    shape=EntryShape(stdio_type="stdio", remote_type="http"),
    # code.claude.com/docs/en/mcp "Environment variable expansion in .mcp.json": command, args, env, url, headers.
    # ${HOME} in a project command: measured here with Claude Code 2.1.197, `claude mcp list` in a project whose
    # .mcp.json command is ${HOME}/.local/bin/clerk-mcp-server → "Connected"; with a HOME lacking it → "Failed".
    secrets=Secrets(
        template="${NAME}",
        home="${HOME}",
        note="Claude Code expands ${NAME} (and ${NAME:-default}) from its environment",
    ),
    next_steps={
        "user": (_LOAD,),
        "local": (_LOAD,),
        "project": (
            "Open Claude Code in the project and approve the server: servers from .mcp.json stay "
            "'Pending approval' until you do.",
            _LOAD,
        ),
    },
    quirks=(
        "~/.claude.json is a large state file Claude rewrites constantly; if it is ever invalid JSON, Claude "
        "replaces it with defaults and every MCP server is lost. Re-read just before writing, replace atomically.",
        'Remote entries need "type": "http"; a bare {"url": …} is rejected.',
        "`claude mcp add-json --scope project` drops unknown top-level keys of .mcp.json; editing the file keeps them.",
        "`claude mcp list` exits 0 even when a server fails; MCP_TIMEOUT (ms) shortens its 30 s wait.",
        "On Windows a .cmd shim (npx) must run as `cmd /c npx …`; a real .exe needs no wrapper.",
    ),
    cli=OfficialCli(
        binary="claude",
        add="claude mcp add-json --scope {scope} {name} '{json}'",
        remove="claude mcp remove --scope {scope} {name}",
        list="claude mcp list",
        scopes=("user", "project", "local"),
        driven=True,
        why="For user and local scope we run `claude mcp add-json` when claude is installed: Claude Code rewrites "
        "~/.claude.json all the time, and its own CLI is the writer that cannot race it. We back the file up "
        "first and re-read it after; the project file .mcp.json we edit ourselves (add-json drops unknown keys).",
        note="Options come before NAME; add-json fails if the name exists (remove it first).",
    ),
    binaries=("claude",),
    launch=launch.CLAUDE_CODE,
    # docs.anthropic.com/en/docs/claude-code/mcp ("Authenticate with remote MCP servers": /mcp); measured here
    # with Claude Code 2.1.197: `claude mcp login NAME` under a pseudo-TTY signs in through $BROWSER.
    sign_in=SignIn("run /mcp in Claude Code, choose '{name}', then Authenticate (or: claude mcp login {name})."),
    installs=_installs,
    # No cap: MCP tools are deferred behind tool search and loaded on demand
    # (https://code.claude.com/docs/en/mcp#scale-with-mcp-tool-search).
    tool_cap=None,
    tool_cap_source=(
        "none: tool search defers MCP tools (https://code.claude.com/docs/en/mcp#scale-with-mcp-tool-search)"
    ),
    config_dir=config_dir,
)
