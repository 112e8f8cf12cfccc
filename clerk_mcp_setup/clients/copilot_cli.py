"""GitHub Copilot CLI: `mcpServers` in `~/.copilot/mcp-config.json` (`$COPILOT_HOME` moves `~/.copilot`).

Sources: docs.github.com/en/copilot/how-tos/use-copilot-agents/use-copilot-cli ("mcp-config.json"),
toolchain.md "More CLI clients" (measured with @github/copilot 1.0.102): `type` is local/stdio/http/sse,
`tools: []` exposes nothing so entries carry `"tools": ["*"]`, `${X}` and `$X` are expanded (also in args),
project files `.mcp.json` / `.github/mcp.json` are read only in trusted folders, the server gets Copilot's
whole environment but its provider secrets. XDG is not honoured.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def config_dir(env: Env) -> PurePath:
    """`$COPILOT_HOME`, else `~/.copilot`."""
    value = env.var("COPILOT_HOME")
    return env.path(value) if value else env.home / ".copilot"


def user_path(env: Env) -> PurePath:
    return config_dir(env) / "mcp-config.json"


_LOAD = "Start a new Copilot CLI session; /mcp shows the server and its tools."

COPILOT_CLI = Client(
    id="copilot-cli",
    name="Copilot CLI",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".github", "mcp.json"),
    shape=EntryShape(
        stdio_type="local", remote_type="http", stdio_extra={"tools": ["*"]}, remote_extra={"tools": ["*"]}
    ),
    # home: ${HOME} in a project command because ${NAME} expands in entries (the note below); not yet measured in
    # the command itself (tests/test_travel.py checks what we write and how verify resolves it).
    secrets=Secrets(template="${NAME}", home="${HOME}", note="Copilot CLI expands ${NAME} and $NAME, also in args"),
    next_steps={
        "user": (_LOAD,),
        "project": (
            "Copilot CLI reads .github/mcp.json only in folders you trusted: trust this one when asked.",
            _LOAD,
        ),
    },
    quirks=('"tools": [] exposes no tool at all; we write ["*"].',),
    cli=OfficialCli(binary="copilot", add="/mcp add   (inside a session, interactive)"),
    binaries=("copilot",),
    config_dir=config_dir,
    tool_cap_source=(
        "none in the client: the limit is the model's (github/copilot-cli#4836: grok-4.5 refuses past 350 "
        "tools and the CLI does not enforce a count); none in its docs (checked 2026-11)"
    ),
    sign_in=SignIn(
        "Copilot CLI asks you to sign in when it first connects to '{name}' (or run /mcp auth {name}).",
        source=(
            "github/copilot-cli#33 (OAuth MCP servers with dynamic client registration since 0.0.389); /mcp auth "
            "in github/copilot-cli#3393"
        ),
    ),
    launch=LaunchPolicy(
        inherit="all", unset_reference="literal", source="toolchain.md: measured with @github/copilot 1.0.102"
    ),
)
