"""The one place that decides how a client starts our server.

GUI clients (Claude Desktop, Cursor, VS Code…) do not inherit the shell's PATH, so a bare
`clerk-mcp-server`, `uvx` or `npx` fails with "spawn ENOENT". Every entry we write therefore names an
absolute executable. When the package runs from a throwaway environment (a `uvx` or `pipx run` cache)
its paths will vanish, so we look for a stable install or a stable launcher instead, and say so.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clerk_mcp_setup import __version__
from clerk_mcp_setup.errors import ClerkMcpError

SCRIPT = "clerk-mcp-server"
PACKAGE = "clerk-mcp-setup"
# Path fragments of environments that package runners create and later delete.
_EPHEMERAL_MARKERS = (
    os.sep.join(("uv", "archive-v0")),
    os.sep.join(("uv", "builds-v0")),
    os.sep.join(("uv", "environments-v2")),
    os.sep.join(("pipx", ".cache")),
    os.sep.join(("pipx", "cache")),
)


class LaunchError(ClerkMcpError):
    """No command that a GUI client could start reliably."""


@dataclass(frozen=True)
class Launcher:
    """An absolute command and the arguments that come before our server's own options."""

    command: str
    prefix: tuple[str, ...] = ()
    note: str | None = None

    def argv(self, server_args: list[str]) -> list[str]:
        return [self.command, *self.prefix, *server_args]


def is_ephemeral(prefix: str) -> bool:
    """True for an environment a package runner made for one run (it may be gone tomorrow)."""
    normalized = os.path.normpath(prefix)
    return any(marker in normalized for marker in _EPHEMERAL_MARKERS)


def _script_in(bin_dir: Path) -> Path | None:
    for name in (SCRIPT, SCRIPT + ".exe"):
        candidate = bin_dir / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_launcher(
    *,
    executable: str = sys.executable,
    prefix: str = sys.prefix,
    which: Callable[[str], str | None] = shutil.which,
) -> Launcher:
    """How clients should start the server, as absolute paths.

    1. The `clerk-mcp-server` script beside this interpreter (a venv, `pipx install`, `uv tool install`).
    2. This interpreter with `-m clerk_mcp_setup.server` when the script is missing.
    3. From a throwaway environment: a permanently installed `clerk-mcp-server` on PATH, else the absolute
       path of `uvx`/`pipx` running this exact version, else an error that says how to install for good.
    """
    if not is_ephemeral(prefix):
        script = _script_in(Path(executable).parent)
        if script:
            return Launcher(str(script.absolute()))
        return Launcher(str(Path(executable).absolute()), ("-m", "clerk_mcp_setup.server"))
    found = which(SCRIPT)
    if found and not is_ephemeral(found):
        return Launcher(
            str(Path(found).absolute()),
            note=f"This program runs from a temporary environment; entries use the installed {found} instead.",
        )
    uvx = which("uvx")
    if uvx:
        return Launcher(
            str(Path(uvx).absolute()),
            ("--from", f"{PACKAGE}=={__version__}", SCRIPT),
            note="This program runs from a temporary uvx environment; entries start the server through "
            f"{uvx}, which re-creates it when needed.",
        )
    pipx = which("pipx")
    if pipx:
        return Launcher(
            str(Path(pipx).absolute()),
            ("run", "--spec", f"{PACKAGE}=={__version__}", SCRIPT),
            note=f"This program runs from a temporary pipx environment; entries start the server through {pipx}.",
        )
    raise LaunchError(
        "This program runs from a temporary environment whose paths will disappear, and no stable "
        "clerk-mcp-server was found.",
        "Install it for good (`uv tool install clerk-mcp-setup` or `pipx install clerk-mcp-setup`) and run "
        "clerk-mcp-setup again.",
    )
