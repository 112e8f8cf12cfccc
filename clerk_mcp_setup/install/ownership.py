"""Whose entry is this? We own exactly the entries the manifest records; everything else is the person's.

An entry under our name that we did not write is never changed silently: install stops for that file
(`ForeignEntryError`, exit 3) and `--replace` replaces it, keeping the original text so uninstall can put
it back byte for byte. An entry that runs our own server but has no record (a kill between writing the
file and the manifest on an old version, a lost state directory) is recognised by what it runs, shown by
`status` as "found, not recorded", and adopted by the next install.
"""

from __future__ import annotations

import shlex
from pathlib import PurePath
from typing import Any, Literal

from clerk_mcp_setup.errors import ConfigFileError
from clerk_mcp_setup.install.manifest import Manifest, Record, entry_hash

Owner = Literal["recorded", "ours", "foreign"]
_OUR_SCRIPTS = {"clerk-mcp-server", "clerk-mcp-server.exe"}
_OUR_MODULES = {"clerk_mcp_setup.server", "clerk_mcp_setup"}


class ForeignEntryError(ConfigFileError):
    """An entry under our name that clerk-mcp-setup did not write; nothing was written to its file."""


def command_of(entry: Any) -> list[str]:
    """The argv (or URL) an entry runs, whatever the client's spelling (`command`+`args`, Zed's nested
    `command: {path, args}`, a URL entry's `url`/`serverUrl`/`httpUrl`)."""
    if not isinstance(entry, dict):
        return []
    command = entry.get("command", entry.get("cmd"))  # Goose spells it `cmd`
    args = entry.get("args")
    if isinstance(command, dict):  # Zed's older {"command": {"path", "args"}}
        args, command = command.get("args"), command.get("path")
    if isinstance(command, str):
        words = [command, *[str(a) for a in args]] if isinstance(args, list) else [command]
        return words
    if isinstance(command, list):
        return [str(c) for c in command]
    for key in ("url", "serverUrl", "httpUrl"):
        if isinstance(entry.get(key), str):
            return [entry[key]]
    return []


def describe(entry: Any) -> str:
    """One line saying what an entry runs, for messages (`shlex`-quoted so spaces are visible)."""
    words = command_of(entry)
    return shlex.join(words) if words else "(no command)"


def runs_our_server(entry: Any) -> bool:
    """True when the entry starts this project's server: the `clerk-mcp-server` script, `python -m
    clerk_mcp_setup.server`, or `uvx/pipx … clerk-mcp-server`."""
    words = command_of(entry)
    if not words:
        return False
    if PurePath(words[0]).name in _OUR_SCRIPTS or any(w in _OUR_SCRIPTS for w in words[1:4]):
        return True
    return any(words[i] == "-m" and words[i + 1] in _OUR_MODULES for i in range(len(words) - 1))


def record_at(manifest: Manifest, client: str, path: str, key_path: tuple[str, ...], name: str) -> Record | None:
    for record in manifest.records:
        if (record.client, record.path, tuple(record.key_path), record.name) == (client, path, key_path, name):
            return record
    return None


def owner_of(record: Record | None, entry: Any) -> Owner:
    """`recorded` when the manifest lists this place; `ours` when unrecorded but it runs our server."""
    if record is not None:
        return "recorded"
    return "ours" if runs_our_server(entry) else "foreign"


def foreign_entry(path: Any, client: str, name: str, entry: Any) -> ForeignEntryError:
    return ForeignEntryError(
        f"{path} already has a '{name}' entry that clerk-mcp-setup did not write ({client}; it runs: "
        f"{describe(entry)}). Nothing was written to that file.",
        "Pass --replace to replace it (it is backed up, and uninstall puts it back exactly), or choose another "
        "entry name with --name. In the wizard: 'Replace existing entries' on the review screen.",
    )


def original_restorable(record: Record, current: Any) -> bool:
    """The person's original entry is back in place (a restore finished before its record was dropped)."""
    return bool(record.replaced_sha256) and entry_hash(current) == record.replaced_sha256
