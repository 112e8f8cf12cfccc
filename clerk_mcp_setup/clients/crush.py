"""Crush (Charm): servers under `mcp` in `crush.json`, typed entries.

Sources: github.com/charmbracelet/crush README "MCPs" and its schema (charm.land/crush.json): user file
`$XDG_CONFIG_HOME/crush/crush.json` (Windows `%LOCALAPPDATA%\\crush\\crush.json`), project `crush.json`;
`{type: "stdio", command, args, env}`, `{type: "http", url, headers}`; `$VAR` and `${VAR}` are expanded.
Crush reads the file with Go's encoding/json: strict JSON.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def config_dir(env: Env) -> PurePath:
    if env.platform == "win32":
        return env.local_appdata() / "crush"
    return env.xdg_config_home() / "crush"


def user_path(env: Env) -> PurePath:
    return config_dir(env) / "crush.json"


_LOAD = "Start a new crush session; the server shows in the sidebar's MCP list."

CRUSH = Client(
    id="crush",
    name="Crush",
    syntax="json",
    servers_key="mcp",
    user_path=user_path,
    project_file=("crush.json",),
    shape=EntryShape(stdio_type="stdio", remote_type="http"),
    secrets=Secrets(template="${NAME}", note="Crush expands $NAME and ${NAME} in entries"),
    next_steps={"user": (_LOAD,), "project": (_LOAD,)},
    quirks=('Servers live under "mcp" (not mcpServers), each with a "type": stdio, http or sse.',),
    binaries=("crush",),
    config_dir=config_dir,
    tool_cap_source=("no cap found searching charmbracelet/crush docs and issues (2026-11)"),
    sign_in_checked=("no OAuth sign-in found searching charmbracelet/crush docs and issues (2026-11)"),
    launch=LaunchPolicy(inherit="all", unset_reference="empty", source="a terminal app: its shell's environment"),
)
