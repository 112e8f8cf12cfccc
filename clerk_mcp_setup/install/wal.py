"""Write-ahead records: no kill, full disk or locked file leaves an entry written but unrecorded.

`apply` records its intent in the manifest (records in state "pending", each remembering the record it
replaces) before it writes any client file, and marks them done after. If it is stopped in between, the
next command's `reconcile` looks at the files: a pending entry that is there as we meant it becomes a
normal record; one that never landed is dropped (or the record it replaced comes back).
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clerk_mcp_setup.errors import ClerkMcpError, ConfigFileError
from clerk_mcp_setup.files import ConfigChangedError, read_snapshot
from clerk_mcp_setup.install.manifest import _FIELDS, Manifest, Record, entry_hash

if TYPE_CHECKING:
    from clerk_mcp_setup.install.installer import Applied, Change, Plan

_MISSING = object()


class PartialWriteError(ClerkMcpError):
    """A failure part-way through applying a plan; the message says exactly what was and was not written."""


def _save(manifest: Manifest, mutate: Any, retries: int) -> None:
    """Apply `mutate` to the manifest and save; when another process saved meanwhile, reload and redo."""
    for _ in range(retries):
        mutate(manifest)
        try:
            manifest.save()
        except ConfigChangedError:
            manifest.reload()
            continue
        return
    raise ConfigFileError(f"The manifest {manifest.path} kept changing while we tried to record the entries.")


def record_intent(manifest: Manifest, changes: list[Change], retries: int = 5) -> None:
    """Before writing: a pending record for every entry the changes write. Nothing is written if this fails."""

    def mutate(m: Manifest) -> None:
        for change in changes:
            for record in change.records:
                old = next((r for r in m.records if r.same_place(record)), None)
                previous = ""
                if old is not None:
                    previous = old.previous if old.state == "pending" else json.dumps(asdict(old))
                m.upsert(replace(record, state="pending", previous=previous))

    try:
        _save(manifest, mutate, retries)
    except ConfigFileError as exc:
        raise type(exc)(
            f"Nothing was written: the plan could not be recorded in the manifest first ({exc.message}).",
            exc.hint,
        ) from None


def finish(manifest: Manifest, plan: Plan, retries: int = 5) -> None:
    """After writing: the plan's records become normal records, its removals are forgotten."""

    def mutate(m: Manifest) -> None:
        for record in plan.removals:
            m.remove(record)
        for change in plan.changes:
            for record in change.records:
                m.upsert(replace(record, state="ok", previous=""))

    written = [str(c.path) for c in plan.changes if c.changed]
    try:
        _save(manifest, mutate, retries)
    except ConfigFileError as exc:
        error = ConfigFileError(
            f"Written: {', '.join(written) or 'nothing'}. The manifest could not be updated afterwards "
            f"({exc.message}); the entries stay recorded as pending, and the next clerk-mcp-setup command "
            "(status, uninstall, …) completes the record.",
            exc.hint,
        )
        raise error from None


def after_failure(
    manifest: Manifest, plan: Plan, results: list[Applied], exc: BaseException, retries: int = 5
) -> BaseException:
    """Record what did get written, forget what did not, and say both; returns the exception to raise."""
    from clerk_mcp_setup.install.installer import Plan

    done = [a for a in results if a.written]
    written = {str(a.change.path) for a in done}
    partial = Plan(changes=[a.change for a in done], removals=[r for r in plan.removals if r.path in written])
    bookkeeping = ""
    try:
        finish(manifest, partial, retries)
        reconcile(manifest, retries)
    except ClerkMcpError:
        bookkeeping = " Their records stay pending; the next command completes them."
    if not isinstance(exc, ClerkMcpError):
        return exc
    rest = [str(c.path) for c in plan.changes if c.changed and str(c.path) not in written]
    error = PartialWriteError(
        f"{exc.message}\nWritten: {', '.join(sorted(written)) or 'nothing'}. "
        f"Not written: {', '.join(rest) or 'nothing'}.{bookkeeping}",
        exc.hint,
    )
    error.exit_code = exc.exit_code
    return error


def current_entry(record: Record) -> Any:
    """The entry at the record's place as the file holds it now; `_MISSING` when absent, None if unreadable."""
    from clerk_mcp_setup.install.installer import _location_of, parse

    path = Path(record.path)
    try:
        snapshot = read_snapshot(path)
        if not snapshot.exists:
            return _MISSING
        return parse(_location_of(record, path), snapshot.data, path).get(record.entry_path, _MISSING)
    except ClerkMcpError:
        return None


def reconcile(manifest: Manifest | None = None, retries: int = 5) -> list[str]:
    """Settle pending records against the files; returns what was settled, in words."""
    manifest = manifest or Manifest.load()
    if not any(r.state == "pending" for r in manifest.records):
        return []
    notes: list[str] = []

    def mutate(m: Manifest) -> None:
        notes.clear()
        kept: list[Record] = []
        for record in m.records:
            if record.state != "pending":
                kept.append(record)
                continue
            current = current_entry(record)
            if current is None:  # unreadable now: decide later
                kept.append(record)
            elif current is not _MISSING and entry_hash(current) == record.entry_sha256:
                kept.append(replace(record, state="ok", previous=""))
                notes.append(f"'{record.name}' in {record.path}: written by an interrupted run; now recorded.")
            elif record.previous:
                kept.append(Record(**{k: v for k, v in json.loads(record.previous).items() if k in _FIELDS}))
                notes.append(f"'{record.name}' in {record.path}: an interrupted update never landed; kept as it was.")
            else:
                notes.append(f"'{record.name}' in {record.path}: an interrupted install never landed; forgotten.")
        m.records = kept

    _save(manifest, mutate, retries)
    return notes
