"""Windsurf: `~/.codeium/windsurf/mcp_config.json` on every OS, and `serverUrl` (or `url`) for remote servers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    """`~/.codeium/windsurf/mcp_config.json`; Windsurf has no project file."""
    return env.home / ".codeium" / "windsurf" / "mcp_config.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Windsurf.app"), env.home / "Applications" / "Windsurf.app")
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "Windsurf",)
    return ()


WINDSURF = Client(
    id="windsurf",
    name="Windsurf",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    shape=EntryShape(url_key="serverUrl"),
    secrets=Secrets(
        template="${env:NAME}", note="Windsurf expands ${env:NAME} in command, args, env, serverUrl and headers"
    ),
    next_steps={"user": ("Open Cascade's MCP panel in Windsurf and press Refresh to load the server.",)},
    quirks=(
        'Remote entries take "serverUrl" or "url" (docs.windsurf.com/windsurf/cascade/mcp); we write "serverUrl", '
        "which every Windsurf version reads.",
        "Windsurf uses mcpServers, not context_servers (that is Zed).",
        "No CLI: changes load from the Cascade MCP panel's Refresh.",
    ),
    binaries=("windsurf",),
    launch=launch.WINDSURF,
    # docs.windsurf.com/windsurf/cascade/mcp: a {serverUrl} entry for an OAuth server signs in in the browser.
    sign_in=SignIn("Windsurf opens your browser to sign in when '{name}' is first enabled (MCP toolbar)."),
    installs=_installs,
    # https://docs.windsurf.com/windsurf/cascade/mcp: "Cascade has a limit of 100 total tools" (was 50 in 2025,
    # Zhwt/go-mcp-mysql#3).
    tool_cap=100,
    tool_cap_source="https://docs.windsurf.com/windsurf/cascade/mcp (Cascade: 100 total tools at a time)",
)
