"""Factory Droid: `mcpServers` in `~/.factory/mcp.json` and `<project>/.factory/mcp.json`, typed entries.

Sources: docs.factory.ai/cli/configuration/mcp (`{type: "stdio", command, args, env}` and
`{type: "http", url, headers}`), toolchain.md "More CLI clients" (measured with @factory/cli 0.225.1): `${X}` is
expanded and an unset one fails the server; a trailing comma makes droid ignore the whole file: strict JSON.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    return env.home / ".factory" / "mcp.json"


_LOAD = "Start a new droid session; `droid mcp list` shows the server."

DROID = Client(
    id="droid",
    name="Factory Droid",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".factory", "mcp.json"),
    shape=EntryShape(stdio_type="stdio", remote_type="http"),
    # home: ${HOME} in a project command because ${NAME} expands in entries (the note below); not yet measured in
    # the command itself (tests/test_travel.py checks what we write and how verify resolves it).
    secrets=Secrets(
        template="${NAME}", home="${HOME}", note="Droid expands ${NAME}; an unset variable fails the server"
    ),
    next_steps={"user": (_LOAD,), "project": (_LOAD,)},
    quirks=("A trailing comma or comment makes droid ignore mcp.json entirely.",),
    cli=OfficialCli(
        binary="droid",
        add="droid mcp add {name} {command} {args}",
        remove="droid mcp remove {name}",
        list="droid mcp list",
    ),
    binaries=("droid",),
    config_dir=lambda env: env.home / ".factory",
    tool_cap_source=("no cap found searching docs.factory.ai and its issues (2026-11)"),
    sign_in=SignIn(
        "droid asks you to sign in when it first connects to '{name}'; droid mcp list shows it.",
        source=(
            "measured here with droid 0.225.2: droid mcp add --help (--no-oauth disables OAuth for a remote "
            "server: it is on by default); droid mcp list shows authentication status"
        ),
    ),
    launch=LaunchPolicy(
        inherit="all", unset_reference="fail", source="toolchain.md: measured with @factory/cli 0.225.1"
    ),
)
