"""What we wrote, where, and the hash of it: the record refresh and uninstall start from.

A TOML file in the platformdirs state directory, one `[[entry]]` per server entry we installed. It is
our own file, so it is written whole (atomically), unlike the clients' files.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import tomlkit

from clerk_mcp_setup.errors import ConfigFileError
from clerk_mcp_setup.files import ConfigWriteError, Snapshot, read_snapshot, write_atomic

APP = "clerk-mcp-setup"


def state_dir() -> Path:
    """`<user state dir>/clerk-mcp-setup`: the manifest and the backups live here."""
    from platformdirs import user_state_path

    return user_state_path(APP, appauthor=False)


def backup_dir() -> Path:
    return state_dir() / "backups"


def entry_hash(entry: Any) -> str:
    """A stable hash of an entry's meaning (key order and formatting do not count)."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


@dataclass
class Record:
    """One installed entry. `created_file`/`created_container` say what uninstall must take away to leave the
    file as it was before us; `created_path` is the outermost container we created (a prefix of `key_path`:
    `projects["/abs"]` for a Claude Code project the file did not list yet)."""

    client: str
    scope: str
    path: str
    key_path: list[str]
    name: str
    entry_sha256: str
    installed_at: str
    project: str = ""
    tools: list[str] = field(default_factory=list)
    tools_default: bool = True
    read_only: bool = False
    key_storage: str = "vault"
    key_env: str = ""
    vault_name: str = ""
    vault_backend: str = ""  # "keyring" or "file": where vault_name and secret_slots live ("" = older manifest)
    secret_slots: list[str] = field(default_factory=list)  # vault slots holding remote header values
    headers: list[list[str]] = field(default_factory=list)  # remote headers: [name, value or "vault:SLOT"/"env:VAR"]
    remote_url: str = ""
    remote_auth: str = ""  # "oauth": the remote server asks for sign-in
    bridged: bool = False  # the entry is our signing-in bridge to remote_url
    api_url: str = ""
    created_file: bool = False
    created_container: bool = False
    created_path: list[str] = field(default_factory=list)
    inputs_path: list[str] = field(default_factory=list)
    created_inputs: bool = False
    verified_at: str = ""
    verified_ok: bool = False
    # Ownership and write-ahead (install/ownership.py, install/wal.py):
    state: str = "ok"  # "pending": recorded before its file was written; reconciled on the next run
    previous: str = ""  # while pending: the record this one replaces, as JSON ("" when there was none)
    replaced_raw: str = ""  # the person's own entry we replaced (--replace / migrate), exactly as written
    replaced_sha256: str = ""
    added_input: bool = True  # False: VS Code's `inputs` item with our id was the person's; never removed
    created_dirs: list[str] = field(default_factory=list)  # folders our first write created (`.cursor/`)
    empty_before: str = ""  # the file's text when it held no entries ("{ }", comments): put back on uninstall
    restore_empty: bool = False

    def slots(self) -> list[str]:
        """Every vault slot this entry reads: its Clerk key's and its headers'."""
        return [s for s in (self.vault_name, *self.secret_slots) if s]

    @property
    def entry_path(self) -> tuple[str, ...]:
        return (*self.key_path, self.name)

    def same_place(self, other: Record) -> bool:
        return (self.client, self.path, tuple(self.key_path), self.name) == (
            other.client,
            other.path,
            tuple(other.key_path),
            other.name,
        )

    def created_prefix(self) -> tuple[str, ...] | None:
        """The outermost container this entry's install created, or None."""
        return tuple(self.created_path or self.key_path) if self.created_container else None

    def inherit(self, other: Record) -> None:
        """Take over what `other` (an entry in the same file, now replaced or removed) created and we still use,
        so uninstalling the last of them still restores the file as it was before any of them."""
        if other.path != self.path:
            return
        self.created_file = self.created_file or other.created_file
        theirs, mine = other.created_prefix(), self.created_prefix()
        if theirs is not None and tuple(self.key_path[: len(theirs)]) == theirs:
            self.created_container = True
            self.created_path = list(theirs if mine is None or len(theirs) < len(mine) else mine)
        if other.created_inputs and other.inputs_path == self.inputs_path:
            self.created_inputs = True
        self.created_dirs = self.created_dirs or other.created_dirs
        if other.restore_empty and not self.restore_empty:
            self.restore_empty, self.empty_before = True, other.empty_before


_FIELDS = {f.name for f in fields(Record)}


@dataclass
class Manifest:
    path: Path
    records: list[Record]
    loaded: Snapshot | None = field(default=None, repr=False, compare=False)  # the bytes `records` came from

    @classmethod
    def load(cls, path: Path | None = None) -> Manifest:
        path = path or state_dir() / "manifest.toml"
        snapshot = read_snapshot(path)
        if snapshot.data is None:
            return cls(path, [], snapshot)
        try:
            text = snapshot.data.decode("utf-8")
            data = tomllib.loads(text)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigFileError(
                f"The manifest {path} is not valid TOML: {exc}.",
                "Fix it by hand, or move it away (entries already written stay in the clients' files).",
            ) from None
        records = []
        for raw in data.get("entry", []):
            known = {k: v for k, v in raw.items() if k in _FIELDS}
            try:
                records.append(Record(**known))
            except TypeError as exc:
                raise ConfigFileError(f"The manifest {path} has an incomplete entry: {exc}.") from None
        return cls(path, records, snapshot)

    def reload(self) -> None:
        """Read the file again (another process saved it since we loaded it)."""
        fresh = Manifest.load(self.path)
        self.records, self.loaded = fresh.records, fresh.loaded

    def upsert(self, record: Record) -> None:
        """Replace the record for the same place, keeping what we learned about the file's history."""
        for i, old in enumerate(self.records):
            if old.same_place(record):
                record.inherit(old)
                if old.replaced_raw and not record.replaced_raw:  # still replacing the person's entry
                    record.replaced_raw, record.replaced_sha256 = old.replaced_raw, old.replaced_sha256
                self.records[i] = record
                return
        self.records.append(record)

    def remove(self, record: Record) -> None:
        """Forget `record`; entries left in the same file take over what it created."""
        self.records = [r for r in self.records if not r.same_place(record)]
        for other in self.records:
            other.inherit(record)

    def find(self, client: str | None = None, name: str | None = None) -> list[Record]:
        return [r for r in self.records if (client in (None, r.client)) and (name in (None, r.name))]

    def save(self) -> None:
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Written by clerk-mcp-setup: the MCP entries it installed. Safe to read."))
        entries = tomlkit.aot()
        for record in self.records:
            entries.append(tomlkit.item(asdict(record)))
        doc["entry"] = entries
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise ConfigWriteError(
                f"cannot create the state directory {self.path.parent}: {exc.strerror or exc}",
                "make it (or its parent) writable, or point XDG_STATE_HOME at a writable directory",
            ) from None
        expected = self.loaded if self.loaded is not None else read_snapshot(self.path)
        write_atomic(self.path, tomlkit.dumps(doc).encode(), expected=expected, backup_dir=None)  # ConfigChangedError
        self.loaded = read_snapshot(self.path)
