"""A project entry's command that resolves on every teammate's machine.

A project file is committed and read elsewhere, so an absolute `/home/me/.local/bin/clerk-mcp-server` only
works for me. Where the server sits at the standard tool-install location and the client expands a home
reference in the command (`${userHome}` in Cursor and VS Code, `${HOME}` in Claude Code…), the entry names
the program through that reference instead. Other clients keep the absolute path (travel.py warns).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from clerk_mcp_setup.clients.base import Client

# Where `pipx install` and `uv tool install` put scripts on Linux and macOS (pipx docs "PIPX_BIN_DIR",
# https://pipx.pypa.io/stable/installation/ ; uv docs "Tool executables", https://docs.astral.sh/uv/concepts/tools/).
STANDARD_BIN = PurePosixPath(".local", "bin")


def standard_relative(command: str, home: Path | None = None) -> PurePosixPath | None:
    """The command relative to the home folder when it sits in the standard tool-install folder, else None."""
    try:
        relative = Path(command).relative_to(home or Path.home())
    except ValueError:
        return None
    posix = PurePosixPath(relative.as_posix())
    return posix if posix.parent == STANDARD_BIN else None


def command(client: Client, command: str, home: Path | None = None) -> str:
    """`command` written through the client's home reference when both allow it, else unchanged."""
    relative = standard_relative(command, home)
    if relative is None or not client.secrets.home:
        return command
    return f"{client.secrets.home}/{relative}"


def local(command: str, home: Path | None = None) -> str:
    """The path a portable command names on this machine (either home form at its start), for checks here."""
    for reference in ("${userHome}/", "${HOME}/"):
        if command.startswith(reference):
            return str((home or Path.home()) / command[len(reference) :])
    return command


def entry(client: Client, built: dict[str, Any]) -> dict[str, Any]:
    """A project entry with its command made portable (only a plain string `command` is rewritten)."""
    current = built.get("command")
    if not isinstance(current, str):
        return built
    rewritten = command(client, current)
    return built if rewritten == current else {**built, "command": rewritten}
