"""Trae: `mcpServers` in `<user data>/Trae/User/mcp.json` (VS Code's user-data layout, folder `Trae`).

Source: docs.trae.ai/ide/model-context-protocol ("Add manually" writes mcp.json), clients.md "More clients":
`~/Library/Application Support/Trae/User/mcp.json`, `%APPDATA%\\Trae\\User\\mcp.json`, `~/.config/Trae/User/mcp.json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def user_path(env: Env) -> PurePath:
    """The user `mcp.json` in Trae's user-data folder."""
    if env.platform == "darwin":
        base = env.home / "Library" / "Application Support"
    elif env.platform == "win32":
        base = env.appdata()
    else:
        base = env.xdg_config_home()
    return base / "Trae" / "User" / "mcp.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Trae.app"), env.home / "Applications" / "Trae.app")
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "Trae",)
    return ()


TRAE = Client(
    id="trae",
    name="Trae",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    shape=EntryShape(),
    secrets=Secrets(note="Trae expands no references: the key goes in the entry's env or the vault"),
    next_steps={"user": ("Open Trae's AI settings → MCP; the server appears there after Trae reloads mcp.json.",)},
    quirks=("Trae CN keeps its own folder (Trae CN) and is not written.",),
    binaries=("trae",),
    installs=_installs,
    # Trae caps MCP tools at 40 (Trae-AI/TRAE#1627 asks to raise that limit).
    tool_cap=40,
    tool_cap_source="Trae: at most 40 MCP tools (Trae-AI/TRAE#1627)",
    sign_in_checked="no OAuth sign-in for a URL entry found searching Trae-AI/TRAE issues and docs (2026-11)",
    launch=LaunchPolicy(inherit="gui", source="a desktop IDE started from the Dock/Start menu"),
)
