"""Warp: `mcpServers` in `~/.warp/.mcp.json`, the file behind Settings → Agents → MCP servers.

Source: clients.md "More clients" (Clerk's CLI: "the documented file surface behind Settings → Agents → MCP
servers"); docs.warp.dev/knowledge-and-collaboration/mcp (the JSON shape is Claude's `mcpServers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def user_path(env: Env) -> PurePath:
    """`~/.warp/.mcp.json` on every OS."""
    return env.home / ".warp" / ".mcp.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Warp.app"),)
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "Warp",)
    return (PurePosixPath("/opt/warpdotdev"),)


WARP = Client(
    id="warp",
    name="Warp",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    shape=EntryShape(),
    secrets=Secrets(note="Warp expands no references in this file: the key goes in the entry's env or the vault"),
    next_steps={"user": ("Open Warp's Settings → Agents → MCP servers and start the server.",)},
    quirks=("The file is ~/.warp/.mcp.json on every OS; Warp also keeps servers it added through its UI elsewhere.",),
    binaries=("warp", "warp-terminal"),
    installs=_installs,
    config_dir=lambda env: env.home / ".warp",
    tool_cap_source=("no cap found searching docs.warp.dev and warpdotdev/Warp issues (2026-11)"),
    sign_in_checked=("no OAuth sign-in for a file entry found searching docs.warp.dev and its issues (2026-11)"),
    launch=LaunchPolicy(inherit="gui", source="a desktop app; started from a shell it passes that shell's environment"),
)
