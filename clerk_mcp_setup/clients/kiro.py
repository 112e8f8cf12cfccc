"""Kiro (IDE and CLI): `mcpServers` in `~/.kiro/settings/mcp.json` and `<project>/.kiro/settings/mcp.json`.

Source: kiro.dev/docs/mcp/configuration (same file on every OS, shared by the IDE and kiro-cli; remote
`{url, headers}`; `${VAR}` is expanded only for variables the person approved in Kiro, so we do not rely on
it). The IDE reloads the file when it changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    """`~/.kiro/settings/mcp.json` on every OS."""
    return env.home / ".kiro" / "settings" / "mcp.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Kiro.app"), env.home / "Applications" / "Kiro.app")
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "Kiro",)
    return (PurePosixPath("/usr/share/kiro"),)


_STEPS = ("Kiro reloads mcp.json when it changes: open the Kiro panel's MCP Servers view to see the server.",)

KIRO = Client(
    id="kiro",
    name="Kiro",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".kiro", "settings", "mcp.json"),
    shape=EntryShape(),
    secrets=Secrets(note="Kiro expands ${VAR} only for variables you approved in Kiro: use the vault"),
    next_steps={"user": _STEPS, "project": _STEPS},
    quirks=("The IDE and kiro-cli read the same ~/.kiro/settings/mcp.json.",),
    binaries=("kiro", "kiro-cli"),
    installs=_installs,
    config_dir=lambda env: env.home / ".kiro",
    tool_cap_source=(
        "none documented: Kiro offers tool search for many MCP tools instead of a cap "
        "(https://kiro.dev/docs/mcp/tool-search/)"
    ),
    sign_in=SignIn(
        "Kiro opens your browser to sign in when it first connects to '{name}'.",
        source=(
            "developers.make.com/mcp-server/connect-using-oauth/usage-with-kiro (saving mcp.json opens the "
            "consent screen); kirodotdev/Kiro#4161 (MCP OAuth with discovery and dynamic client registration, CLI"
            " 2.12)"
        ),
    ),
    launch=LaunchPolicy(inherit="gui", source="a desktop IDE; kiro-cli runs from a shell and passes more"),
)
