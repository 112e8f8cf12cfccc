"""Google Antigravity: `mcpServers` in `~/.gemini/antigravity/mcp_config.json`, remote entries take `serverUrl`.

Source: antigravity.google/docs/mcp ("Manage MCP servers → View raw config"), clients.md "More clients".
Windsurf's notation (Antigravity is built on it): `serverUrl` for remote servers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    """`~/.gemini/antigravity/mcp_config.json` on every OS."""
    return env.home / ".gemini" / "antigravity" / "mcp_config.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Antigravity.app"), env.home / "Applications" / "Antigravity.app")
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "Antigravity",)
    return (PurePosixPath("/usr/share/antigravity"),)


ANTIGRAVITY = Client(
    id="antigravity",
    name="Antigravity",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    shape=EntryShape(url_key="serverUrl"),
    secrets=Secrets(note="Antigravity expands no references: the key goes in the entry's env or the vault"),
    next_steps={"user": ("In Antigravity open the agent panel's … menu → MCP Servers → Manage and press Refresh.",)},
    quirks=('Remote entries use "serverUrl".', "The file sits under ~/.gemini but is not Gemini CLI's settings.json."),
    binaries=("antigravity",),
    installs=_installs,
    # Antigravity refuses a server with more than 100 enabled tools ("would exceed max limit of 100":
    # google-gemini/gemini-cli#26678, DaxianLee/cocos-mcp-server#11); enuno/unifi-mcp-server#69 reports 50 summed
    # over all servers in an earlier build.
    tool_cap=100,
    tool_cap_source="Antigravity: at most 100 enabled tools (google-gemini/gemini-cli#26678; "
    "50 in an earlier build, enuno/unifi-mcp-server#69)",
    sign_in=SignIn(
        "open Agent Settings → Customizations in Antigravity and press Authenticate next to '{name}'.",
        source="antigravity.google/docs/mcp#authentication (quoted in supabase/mcp#263); an open bug sends no "
        "token on Windows CLI 1.0.0 (google-antigravity/antigravity-cli#25)",
    ),
    launch=LaunchPolicy(inherit="gui", source="a desktop IDE started from the Dock/Start menu"),
)
