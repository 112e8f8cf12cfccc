"""OpenClaw: `mcp.servers.<name>` in the JSON5 file `~/.openclaw/openclaw.json`.

Sources: docs.openclaw.ai/gateway/configuration (JSON5; `$OPENCLAW_CONFIG_PATH`, else
`$OPENCLAW_STATE_DIR/openclaw.json`, else `~/.openclaw/openclaw.json`), toolchain.md "More CLI clients"
(measured with openclaw 2026.9.6): remote entries need `"transport": "streamable-http"` (a bare url means
SSE), `${X}` is expanded, the server gets only `HOME LOGNAME PATH SHELL TERM USER` plus the entry's env.
Hand-written files use JSON5 freely (unquoted keys, single quotes): our JSON5 dialect reads them and
writes new text as plain JSON, which JSON5 accepts.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    explicit = env.var("OPENCLAW_CONFIG_PATH")
    if explicit:
        return env.path(explicit)
    state = env.var("OPENCLAW_STATE_DIR")
    return (env.path(state) if state else env.home / ".openclaw") / "openclaw.json"


OPENCLAW = Client(
    id="openclaw",
    name="OpenClaw",
    syntax="json5",
    servers_key="mcp",
    servers_path=("mcp", "servers"),
    user_path=user_path,
    shape=EntryShape(remote_type="streamable-http", remote_type_key="transport"),
    # home: ${HOME} in a project command because ${NAME} expands in entries (the note below); not yet measured in
    # the command itself (tests/test_travel.py checks what we write and how verify resolves it).
    secrets=Secrets(template="${NAME}", home="${HOME}", note="OpenClaw expands ${NAME} in entries"),
    next_steps={"user": ("Restart the OpenClaw gateway; `openclaw mcp probe clerk` lists the server's tools.",)},
    quirks=(
        'Remote entries need "transport": "streamable-http"; a bare url is taken as SSE.',
        "The server gets only HOME LOGNAME PATH SHELL TERM USER and the entry's env.",
    ),
    cli=OfficialCli(
        binary="openclaw",
        add="openclaw config set mcp.servers.{name} '{json}' --json",
        list="openclaw mcp probe {name} --json",
    ),
    binaries=("openclaw",),
    tool_cap_source=(
        "none documented in openclaw's docs or issues; `openclaw mcp tools` filters per server "
        "(measured here with openclaw 2026.9.6: openclaw mcp --help)"
    ),
    sign_in=SignIn(
        "run openclaw mcp login {name} to sign in.",
        source=(
            "measured here with openclaw 2026.9.6: openclaw mcp --help (login: authorize an OAuth MCP server; "
            "logout clears its credentials)"
        ),
    ),
    launch=LaunchPolicy(
        inherit="allow-list",
        allow=("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"),
        unset_reference="literal",
        source="toolchain.md: measured with openclaw 2026.9.6",
    ),
)
