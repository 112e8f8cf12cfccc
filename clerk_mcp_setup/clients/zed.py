"""Zed: `context_servers` inside its JSONC `settings.json`, flat entries whose `args` must be present.

macOS uses `~/.config/zed` (not `~/Library/…`); Linux `$FLATPAK_XDG_CONFIG_HOME/zed` inside Flatpak,
`~/.var/app/dev.zed.Zed/config/zed` when the Flatpak is installed, else `$XDG_CONFIG_HOME/zed`;
Windows `%APPDATA%\\Zed`. The stock file has comments and trailing commas.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def config_dir(env: Env) -> PurePath:
    """Zed's config folder on `env`'s platform."""
    if env.platform == "darwin":
        return env.home / ".config" / "zed"
    if env.platform == "win32":
        return env.appdata() / "Zed"
    flatpak = env.var("FLATPAK_XDG_CONFIG_HOME")
    if flatpak:  # set only inside the sandbox
        return env.path(flatpak) / "zed"
    # Outside the sandbox the Flatpak install's settings sit in its own data folder (flathub/dev.zed.Zed#127, #365):
    # when that folder exists, that is the Zed the person runs.
    sandboxed = env.home / ".var" / "app" / "dev.zed.Zed" / "config" / "zed"
    if env.glob(sandboxed.parent, sandboxed.name):
        return sandboxed
    return env.xdg_config_home() / "zed"


def user_path(env: Env) -> PurePath:
    """The user `settings.json`."""
    return config_dir(env) / "settings.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Zed.app"), env.home / "Applications" / "Zed.app")
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "Zed",)
    return (env.home / ".local" / "zed.app",)


_STEPS = ("Zed reloads settings.json when it changes: open the Agent panel's settings to see the server's status.",)
# zed.dev/docs/worktree-trust, zed-industries/zed#44887: a project's .zed/settings.json is neither read nor its
# servers started until the person trusts the worktree.
_PROJECT_STEPS = (
    "Zed reads .zed/settings.json only in a trusted worktree: trust this folder when Zed asks "
    "(zed.dev/docs/worktree-trust).",
    *_STEPS,
)

ZED = Client(
    id="zed",
    name="Zed",
    syntax="jsonc",
    servers_key="context_servers",
    user_path=user_path,
    project_file=(".zed", "settings.json"),
    shape=EntryShape(),
    secrets=Secrets(note="Zed expands no references: the key goes in the entry's env or in the vault"),
    next_steps={"user": _STEPS, "project": _PROJECT_STEPS},
    quirks=(
        'Servers live under "context_servers" in settings.json, beside all of Zed\'s other settings.',
        'Entries are flat {command, args, env} and "args" must be present; the 2024 nested '
        '{"command": {"path": …}} shape is rejected.',
        "The stock settings.json has comments and trailing commas: it is JSONC, not JSON.",
    ),
    binaries=("zed", "zeditor"),
    launch=launch.ZED,
    # zed.dev/docs/ai/mcp ("remote-mcp-server-with-oauth": a bare {url} entry; Zed runs the sign-in).
    sign_in=SignIn("Zed opens your browser to sign in when it first starts '{name}'."),
    installs=_installs,
    # No documented cap; akbxr/gitlab-mcp-zed#8 reports 128, likely the model API's own per-request limit.
    tool_cap=None,
    tool_cap_source="none documented (akbxr/gitlab-mcp-zed#8 reports 128, likely the model API's limit)",
)
