"""Repairs that work: every failure `verify` reports names a command, and that command fixes it.

- `refresh` re-renders recorded entries with today's launcher; when the recorded command no longer exists
  and today's launcher would write the same path, it says so (and how to reinstall) instead of "Nothing to
  change". Entries the person edited are shown with a diff and replaced only with `force`.
- `verify` does not start an entry that was edited since we wrote it (a `git pull` can change a project's
  `.mcp.json`): it reports it as "not-started" with what it now runs.
- `status` finds entries that run our server but have no record ("found, not recorded").
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clerk_mcp_setup.clients import Env
from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.install import installer, ownership, portable, scan, wal
from clerk_mcp_setup.install.launch import Launcher, find_launcher
from clerk_mcp_setup.install.manifest import Manifest, Record, entry_hash

STATE_TEXT = {
    "edited": "edited: the entry was changed since clerk-mcp-setup wrote it (by hand, by another tool, or by a "
    "`git pull` of a project file). `verify` does not start it unless you pass --allow-edited; "
    "`refresh --force` writes ours again; `uninstall --force` removes it.",
    "missing": "missing: the entry is no longer in its file; `uninstall` forgets it, or install again.",
    "file-missing": "file-missing: the config file is gone; `uninstall` forgets the entry, or install again.",
    "unreadable": "unreadable: the file cannot be parsed now; fix it (the error says where), then run status again.",
    "pending": "pending: an interrupted run was writing it; the next command settles it.",
}


class RepairError(ClerkMcpError):
    """A repair this installation cannot make by itself; the hint says what will."""


def state_explanations(states: set[str]) -> list[str]:
    """One line per unusual state shown, so `status` never leaves a word unexplained."""
    return [f"  {STATE_TEXT[s]}" for s in STATE_TEXT if s in states]


def _command_missing(entry: Any) -> str | None:
    """The entry's absolute command when it no longer exists on this machine."""
    words = ownership.command_of(entry)
    command = portable.local(words[0]) if words else ""  # ${userHome}/… or ${HOME}/… names this home here
    if not command or "://" in command or not os.path.isabs(command):
        return None
    return None if os.path.exists(command) else command


def plan_refresh(
    records: Sequence[Record],
    *,
    force: bool = False,
    env: Env | None = None,
    launcher: Launcher | None = None,
) -> installer.Plan:
    """`installer.plan_refresh`, plus: a diff for each edited entry left alone, and a clear error when a
    vanished command would be written again unchanged."""
    launcher = launcher or find_launcher()
    plan = installer.plan_refresh(records, force=force, env=env, launcher=launcher)
    changing = {(c.path.as_posix(), r.name) for c in plan.changes if c.changed for r in c.records}
    for record in records:
        current = wal.current_entry(record)
        if current is None or current is wal._MISSING:
            continue
        edited = entry_hash(current) != record.entry_sha256
        if edited and not force:
            ours = _rendered(record, current, env, launcher)
            diff = _entry_diff(record, current, ours)
            plan.notes.append(f"`refresh --force` would write this into {record.path}:\n{diff}")
            continue
        missing = _command_missing(current)
        if missing and (Path(record.path).as_posix(), record.name) not in changing:
            raise RepairError(
                f"'{record.name}' in {record.path} runs {missing}, which no longer exists, and this installation "
                "would write the same path again.",
                "Reinstall clerk-mcp-setup for good (`pipx install --force clerk-mcp-setup` or `uv tool install "
                "--reinstall clerk-mcp-setup`), then run `clerk-mcp-setup refresh` again.",
            )
        if missing:
            plan.notes.append(f"'{record.name}' in {record.path}: {missing} no longer exists; re-rendered.")
    return plan


def _rendered(record: Record, current: Any, env: Env | None, launcher: Launcher) -> Any:
    request = installer.request_from_record(record, current)
    entry, _ = installer.build_entry(request.targets[0].client, request, launcher)
    return portable.entry(request.targets[0].client, entry) if record.scope == "project" else entry


def _entry_diff(record: Record, current: Any, ours: Any) -> str:
    before = (json.dumps(current, indent=2) + "\n").encode()
    after = (json.dumps(ours, indent=2) + "\n").encode()
    return installer.unified_diff(Path(f"{record.name} (now)"), before, after, ()).rstrip("\n")


def held_back(record: Record) -> str | None:
    """Why an entry is not started by verify (edited since we wrote it: what it now runs); None to start it."""
    if installer.entry_state(record) != "edited":
        return None
    current = wal.current_entry(record)
    if _command_missing(current):  # nothing can run: checking it only reports what is wrong
        return None
    return f"it now runs: {ownership.describe(current)}"


def unrecorded(manifest: Manifest, env: Env, project: Path | None) -> list[dict[str, Any]]:
    """Entries that run our server in any supported file but that the manifest does not record."""
    found = []
    for item in scan.entries(env, project):
        if not ownership.runs_our_server(item.entry):
            continue
        if ownership.record_at(manifest, item.target.client.id, str(item.path), item.key_path, item.name):
            continue
        found.append(
            {
                "client": item.target.client.id,
                "scope": item.target.scope,
                "name": item.name,
                "path": str(item.path),
                "command": ownership.describe(item.entry),
            }
        )
    return found
