"""Claude Desktop: strict JSON `mcpServers`, stdio only, and the Windows MSIX path that moved the file.

Microsoft Store (MSIX) installs read only their package's virtualised copy of `%APPDATA%\\Claude` and
silently ignore the classic file, so the package directory wins whenever there is exactly one; with
several packages we cannot tell which Claude runs, and the caller must ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client, Location, Scope
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.errors import AmbiguousLocationError

FILE = "claude_desktop_config.json"
MSIX_PATTERN = "Claude_*/LocalCache/Roaming/Claude"
MSIX_NOTE = "Microsoft Store (MSIX) install: Claude reads this file and ignores %APPDATA%\\Claude"


def classic_path(env: Env) -> PurePath:
    """The file a classic (non-MSIX) install reads on `env`'s platform."""
    if env.platform == "darwin":
        return env.home / "Library" / "Application Support" / "Claude" / FILE
    if env.platform == "win32":
        return env.appdata() / "Claude" / FILE
    return env.xdg_config_home() / "Claude" / FILE  # unofficial Linux builds


def msix_dirs(env: Env) -> list[PurePath]:
    """The `…\\LocalCache\\Roaming\\Claude` directories of installed MSIX packages (Windows only)."""
    if env.platform != "win32":
        return []
    packages = env.local_appdata() / "Packages"
    return [env.path(found) for found in env.glob(packages, MSIX_PATTERN)]


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Claude.app"), env.home / "Applications" / "Claude.app")
    if env.platform == "win32":
        return (env.local_appdata() / "AnthropicClaude",)
    return ()


class ClaudeDesktop(Client):
    """Claude Desktop's one real quirk: which file Windows reads depends on how the app was installed."""

    def location(self, scope: Scope, env: Env, project: PurePath | str | None = None) -> Location:
        """The user file; on Windows the MSIX rule picks between the package copy and the classic file."""
        if scope != "user":
            return super().location(scope, env, project)
        found = msix_dirs(env)
        if not found:
            return Location(self.id, "user", classic_path(env), (self.servers_key,), self.syntax)
        candidates = [
            Location(self.id, "user", directory / FILE, (self.servers_key,), self.syntax, MSIX_NOTE)
            for directory in found
        ]
        if len(candidates) == 1:
            return candidates[0]
        raise AmbiguousLocationError(
            f"{len(candidates)} Claude Desktop (Microsoft Store) packages found; which one do you use?",
            candidates,
            "choose one of: " + "; ".join(str(c.path) for c in candidates),
        )


CLAUDE_DESKTOP = ClaudeDesktop(
    id="claude-desktop",
    name="Claude Desktop",
    syntax="json",
    servers_key="mcpServers",
    user_path=classic_path,
    shape=EntryShape(remote=False),
    secrets=Secrets(note="Claude Desktop expands no references: the key goes in the entry's env or in the vault"),
    next_steps={
        "user": (
            "Quit Claude Desktop completely (also from the menu bar or system tray) and open it again: "
            "it reads its config only at start.",
        )
    },
    quirks=(
        "Started from the Dock or Start menu it does not inherit your shell PATH: commands must be absolute paths.",
        "It skips remote (URL) entries in the file: a remote server needs a local stdio bridge entry "
        "or the app's Connectors settings.",
        "The file also holds app settings (globalShortcut, preferences…); they are kept as they are.",
        "Microsoft Store (MSIX) installs on Windows read only "
        "%LOCALAPPDATA%\\Packages\\Claude_…\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json.",
    ),
    installs=_installs,
    # No documented cap; one unconfirmed report of 100 of 206 tools shown (modelcontextprotocol/.github#537).
    tool_cap=None,
    tool_cap_source="none documented (an unconfirmed report of 100 of 206 tools: modelcontextprotocol/.github#537)",
    sign_in_checked="reads no URL entries from its file (remote servers are added as connectors in the app)",
    launch=launch.CLAUDE_DESKTOP,
)
