"""Plan → changes → apply: the one code path that writes clients' config files.

A request (which clients and scopes, entry name, tools, how the key is stored) becomes a `Plan`: per file,
the edits to make, the bytes before and after, and a diff with secrets masked. Nothing is written until
`apply()`, which stores the key, then for each file locks, backs up, replaces atomically, re-reads to check,
and records the entry in the manifest. A file that changed between plan and apply (Claude Code rewrites
`~/.claude.json` all the time) is re-read and the same edits re-applied, so concurrent installs both land.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any, Literal

from clerk_mcp_setup.clients import Client, Env, Location, Scope, get_client
from clerk_mcp_setup.errors import ClerkMcpError, UsageError
from clerk_mcp_setup.files import (
    ConfigChangedError,
    ConfigShapeError,
    Dialect,
    JsoncDocument,
    Snapshot,
    TomlDocument,
    YamlDocument,
    backup_file,
    delete_file,
    read_snapshot,
    write_atomic,
)
from clerk_mcp_setup.install import headers, keys, ownership, portable, remote
from clerk_mcp_setup.install.caps import over_cap
from clerk_mcp_setup.install.launch import Launcher, find_launcher
from clerk_mcp_setup.install.manifest import Manifest, Record, backup_dir, entry_hash
from clerk_mcp_setup.secrets import KeyStorage, key_kind, mask_text
from clerk_mcp_setup.vault import Backend, Vault

REMOVE = object()  # an edit value meaning "remove this member"
KEY_VAR = "CLERK_SECRET_KEY"
Doc = JsoncDocument | TomlDocument | YamlDocument
Edit = tuple[tuple[str, ...], Any]
_DIALECTS = {
    "json": Dialect.STRICT,
    "jsonc": Dialect.JSONC,
    "jsonc_no_trailing_commas": Dialect.JSONC_NO_TRAILING_COMMAS,
    "json5": Dialect.JSON5,
}


@dataclass(frozen=True)
class AddItem:
    """An edit value: append `item` to the array (creating it) unless an item with the same id is there."""

    item: dict[str, Any]


@dataclass(frozen=True)
class DropItem:
    """An edit value: remove the array's items whose `id` is this one; every other item keeps its text."""

    id: str


@dataclass(frozen=True)
class RestoreRaw:
    """An edit value: put this exact text back as the member's value (the person's entry we replaced)."""

    text: str


@dataclass(frozen=True)
class Target:
    """One client and scope; `project` is the directory for project and local scopes."""

    client: Client
    scope: Scope
    project: Path | None = None
    variant: str | None = None  # a client-specific choice of file (VS Code profile names, comma-separated)
    file: Path | None = None  # exactly this file (refresh of a recorded entry: that profile, that editor)


@dataclass(frozen=True)
class Request:
    """Everything a person chose, as one value: the wizard and the CLI both build this."""

    targets: tuple[Target, ...]
    name: str = "clerk"
    tools: tuple[str, ...] | None = None
    read_only: bool = False
    secret_key: str | None = None
    key_storage: KeyStorage = "vault"
    key_env: str = KEY_VAR
    vault_name: str | None = None  # the slot, when already known (refresh); else derived from the key
    vault_backend: str | None = None  # the slot's backend, when already known (refresh)
    use_stored_key: str | None = None  # a stored slot the person chose instead of giving a key
    remote_url: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    secret_headers: tuple[str, ...] = ()  # header names the person marked secret (--secret-header)
    api_url: str | None = None
    demo: bool = False
    force_plain: bool = False
    replace: bool = False  # replace an entry under our name that we did not write (install/ownership.py)
    remote_auth: Literal["none", "oauth"] = "none"  # "oauth": the URL asks for sign-in (install/remote.py)
    via_bridge: tuple[str, ...] = ()  # client ids (or "all") that get our signing-in bridge for the URL


@dataclass
class Change:
    """One file: the edits, its bytes before and after, and the entries it will hold."""

    path: Path
    location: Location
    snapshot: Snapshot
    edits: list[Edit]
    after: bytes | None
    diff: str
    records: list[Record]
    mode: int | None = None
    delete_file: bool = False
    notes: list[str] = field(default_factory=list)
    remove_dirs: list[str] = field(default_factory=list)  # folders our install created, removed if left empty

    @property
    def changed(self) -> bool:
        return self.delete_file or self.after is not None

    @property
    def action(self) -> Literal["create", "update", "delete", "unchanged"]:
        if self.delete_file:
            return "delete"
        if self.after is None:
            return "unchanged"
        return "update" if self.snapshot.exists else "create"


@dataclass
class Plan:
    changes: list[Change]
    vault_writes: list[tuple[str, str]] = field(default_factory=list)
    vault_deletes: list[str] = field(default_factory=list)
    vault_backends: dict[str, str] = field(default_factory=dict)  # slot → backend, where not today's default
    kept_keys: list[str] = field(default_factory=list)  # purge: slots kept because other entries use them
    notes: list[str] = field(default_factory=list)
    secrets: tuple[str, ...] = ()
    removals: list[Record] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes) or bool(self.vault_writes or self.vault_deletes)


@dataclass
class Applied:
    change: Change
    backup: Path | None
    written: bool


# ---------------------------------------------------------------------------------------------- documents


def parse(location: Location, data: bytes | None, source: Path) -> Doc:
    """The file as an editable document; an unparsable file raises with line and column, nothing written."""
    if location.syntax == "toml":
        return TomlDocument.parse(data or b"", source=source)
    if location.syntax == "yaml":
        lists = (location.key_path,) if get_client(location.client_id).servers_list else ()
        return YamlDocument.parse(data or b"", source=source, named_lists=lists)
    return JsoncDocument.parse(data or b"", _DIALECTS[location.syntax], source=source)


def render(location: Location, snapshot: Snapshot, edits: Sequence[Edit]) -> tuple[Doc, bytes | None]:
    """Apply edits to the snapshot; the new bytes, or None when nothing changes."""
    doc = parse(location, snapshot.data, snapshot.path)
    changed = False
    for path, value in edits:
        if value is REMOVE:
            did = doc.remove(path)
        elif isinstance(value, RestoreRaw) and value.text.startswith(_BY_VALUE):
            did = doc.set(path, json.loads(value.text[len(_BY_VALUE) :]))
        elif isinstance(value, RestoreRaw):
            did = doc.set_raw(path, value.text)  # type: ignore[union-attr]
        elif isinstance(value, AddItem | DropItem):
            did = _edit_items(doc, path, value)
        else:
            did = doc.set(path, value)
        changed = changed or did
    return doc, (doc.to_bytes() if changed else None)


def _edit_items(doc: Doc, path: tuple[str, ...], edit: AddItem | DropItem) -> bool:
    """Add or drop one item of an array by id, splicing only that item (VS Code's `inputs`)."""
    if not isinstance(doc, JsoncDocument):
        raise TypeError("array items are only edited in JSON files")
    current = doc.get(path)
    if isinstance(edit, AddItem):
        if current is None:
            return doc.set(path, [edit.item])
        if any(isinstance(i, dict) and i.get("id") == edit.item["id"] for i in current):
            return False
        doc.append(path, edit.item)
        return True
    if not isinstance(current, list):
        return False
    found = [n for n, i in enumerate(current) if isinstance(i, dict) and i.get("id") == edit.id]
    for index in reversed(found):
        doc.remove_item(path, index)
    return bool(found)


def unified_diff(path: Path, before: bytes | None, after: bytes | None, secrets: tuple[str, ...]) -> str:
    old = (before or b"").decode("utf-8", "replace").splitlines(keepends=True)
    new = (after or b"").decode("utf-8", "replace").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"{path} (before)" if before is not None else "/dev/null", str(path))
    text = mask_text("".join(line if line.endswith("\n") else line + "\n" for line in lines), secrets)
    return headers.mask_credentials(text)  # other servers' tokens in the context lines too


# ------------------------------------------------------------------------------------------------ entries


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def check_request(request: Request) -> None:
    """Refuse combinations that cannot work or would leak, before any file is read."""
    if not request.targets:
        raise UsageError("No client chosen.", "Pass --client NAME (several allowed) or --all-detected.")
    if request.secret_key:
        key_kind(request.secret_key)
    storage = request.key_storage
    if request.demo:
        return
    if request.remote_url:
        headers.check(header_plan(request), request.headers, request.secret_headers, storage)
    if storage == "vault" and not request.secret_key and not request.remote_url:
        keys.check_key_choice(request.vault_name, request.use_stored_key, Manifest.load().records)
    elif storage == "plain" and not request.secret_key and not request.remote_url:
        raise UsageError(
            f"Key storage '{storage}' needs the secret key.",
            "Give it with --secret-key-stdin, the CLERK_SECRET_KEY environment variable or --secret-key, or "
            "choose --key-storage env|input|none.",
        )
    for target in request.targets:
        client = target.client
        if storage == "input" and not client.secrets.client_input:
            raise UsageError(
                f"{client.name} cannot prompt for the key itself (only VS Code has inputs).",
                "Use --key-storage vault (the default) or env for this client.",
            )
        if storage == "env" and not client.secrets.env_reference:
            raise UsageError(
                f"{client.name} cannot read a key from an environment variable reference.",
                "Use --key-storage vault (the default) for this client.",
            )
        if storage == "env" and target.scope == "project" and not client.secrets.project_env:
            raise UsageError(
                f"{client.name} ignores a project file whose entry references an environment variable.",
                "Use --key-storage vault for this client's project file (each teammate stores their own key).",
            )
        if storage == "plain" and target.scope == "project" and not request.force_plain:
            raise UsageError(
                f"Refusing to write the secret key in plain text into {client.name}'s project file, which is "
                "usually committed to git.",
                "Use --key-storage vault (default) or env, or --force-plain-text if you really mean it.",
            )


def build_entry(client: Client, request: Request, launcher: Launcher) -> tuple[dict[str, Any], list[Edit]]:
    """Our entry in the client's shape, and any extra edits it needs (VS Code's `inputs` item)."""
    extra: list[Edit] = []
    if request.remote_url:
        hp = header_plan(request)
        if client.supports_remote and not hp.vault and not remote.bridged(client, request):
            return remote.url_entry(client, request, hp), extra
        # Claude Desktop reads no URLs, a vault holds secret header values, or the client gets our signing-in
        # bridge (install/remote.py): our server relays stdio to the URL, reading the vault
        needs_vault = bool(hp.vault) or request.remote_auth == "oauth"
        vault = keys.vault_env(client, vault_backend(request)) if needs_vault else None
        return headers.bridge_entry(client, launcher, request.remote_url, hp, vault), extra
    args: list[str] = []
    if request.tools is not None:
        args += ["--tools", *request.tools]
    if request.read_only:
        args.append("--read-only")
    if request.api_url:
        args += ["--api-url", request.api_url]
    env: dict[str, str] = {}
    pass_env: list[str] = []
    storage = request.key_storage
    if request.demo:
        args.append("--demo")
    elif storage == "vault":
        args += ["--vault", vault_slot(request)]
        env, pass_env = keys.vault_env(client, vault_backend(request))
    elif storage == "plain" and request.secret_key:
        env[KEY_VAR] = request.secret_key
    elif storage == "env":
        if request.key_env != KEY_VAR:
            args += ["--key-env", request.key_env]
        pass_env.append(request.key_env)
    elif storage == "input":
        input_id = input_id_for(request.name)
        env[KEY_VAR] = client.input_reference(input_id)
        inputs_key = client.secrets.inputs_key or ("inputs",)
        extra.append((inputs_key, client.input_item(input_id, f"Clerk secret key for '{request.name}' (sk_…)")))
    return client.stdio_entry(launcher.command, [*launcher.prefix, *args], env, pass_env=pass_env), extra


def header_plan(request: Request) -> headers.HeaderPlan:
    """Where each remote header's value goes (entry, vault, client's environment) under the request's storage."""
    key_env = request.key_env if request.key_env != KEY_VAR else None
    return headers.split(
        request.name, request.headers, request.secret_headers, request.key_storage, key_env, keys.slot_for
    )


def vault_slot(request: Request) -> str:
    """The slot the entry reads its key from: known (refresh), chosen, or named after the key's fingerprint."""
    if request.vault_name:
        return request.vault_name
    if request.use_stored_key:
        return request.use_stored_key
    if request.secret_key:
        return keys.slot_for(request.name, request.secret_key)
    return request.name  # no key at all: only a remote or demo entry gets here, and it reads no slot


def vault_backend(request: Request) -> Backend:
    """The backend of the entry's slot: the recorded one on refresh, else where new keys go today."""
    if request.vault_backend in ("keyring", "file"):
        return request.vault_backend  # type: ignore[return-value]
    return Vault.open().backend


def input_id_for(name: str) -> str:
    """One prompted input per entry name, so a dev and a prod entry never share a key."""
    return f"{name}-secret-key"


def _inputs_edit(doc: Doc, edit: Edit) -> Edit | None:
    """Append our input to VS Code's `inputs` array unless an input with that id is there already."""
    path, item = edit
    current = doc.get(path)
    if current is None:
        return (path, AddItem(item))
    if not isinstance(current, list):
        line, column = (doc.location(path) if isinstance(doc, JsoncDocument) else None) or (1, 1)
        raise ConfigShapeError(
            doc.source, line, column, f"'{'.'.join(path)}' is not a list", "make it a list ([ … ]) or remove it"
        )
    if any(isinstance(i, dict) and i.get("id") == item["id"] for i in current):
        return None
    return (path, AddItem(item))


# --------------------------------------------------------------------------------------------------- plans


def plan_install(
    request: Request, env: Env | None = None, launcher: Launcher | None = None, manifest: Manifest | None = None
) -> Plan:
    """What installing `request` would change; reads files, writes nothing. An entry under our name that
    the manifest does not record stops the plan (ForeignEntryError) unless `request.replace`."""
    check_request(request)
    env = env or Env.current()
    launcher = launcher or find_launcher()
    manifest = manifest or Manifest.load()
    hp = header_plan(request) if request.remote_url else headers.HeaderPlan()
    secrets = tuple(s for s in (request.secret_key, *hp.secrets) if s)
    plan = Plan(changes=[], secrets=secrets)
    if launcher.note:
        plan.notes.append(launcher.note)
    plan.notes.extend(remote.sign_in_notes(request))
    if not request.remote_url:  # a client that shows fewer tools than the entry serves: offer @discover
        clients = list(dict.fromkeys(t.client for t in request.targets))
        plan.notes += [w.message() for w in over_cap(clients, request.tools, read_only=request.read_only)]
    for slot, value in hp.vault.values():
        if Vault.open(vault_backend(request)).get(slot) != value:
            plan.vault_writes.append((slot, value))
            plan.vault_backends[slot] = vault_backend(request)
    plan.notes += keys.header_notes(hp)
    if request.secret_key and request.key_storage == "vault" and not request.demo and not request.remote_url:
        name = vault_slot(request)
        if Vault.open(vault_backend(request)).get(name) != request.secret_key:
            plan.vault_writes.append((name, request.secret_key))
            plan.vault_backends[name] = vault_backend(request)
    by_path: dict[Path, list[tuple[Target, Location]]] = {}
    for target in request.targets:
        for location in _locations(target, env):
            by_path.setdefault(location.os_path(), []).append((target, location))
    for path, items in by_path.items():
        plan.changes.append(_plan_file(path, items, request, launcher, secrets, manifest))
    return plan


def _locations(target: Target, env: Env) -> tuple[Location, ...]:
    """Where the target's entry goes: the client's choice, or the one file a recorded entry lives in."""
    if target.file is None:
        return target.client.locations(target.scope, env, target.project, target.variant)
    base = target.client.location(target.scope, env, target.project)
    return (Location(base.client_id, base.scope, env.path(target.file), base.key_path, base.syntax, base.note),)


def _plan_file(
    path: Path,
    items: list[tuple[Target, Location]],
    request: Request,
    launcher: Launcher,
    secrets: tuple[str, ...],
    manifest: Manifest,
) -> Change:
    snapshot = read_snapshot(path)
    location = items[0][1]
    doc = parse(location, snapshot.data, path)
    edits: list[Edit] = []
    records: list[Record] = []
    notes: list[str] = [n for _, loc in items if (n := loc.note)]
    seen: set[tuple[str, ...]] = set()
    if not snapshot.exists:  # a client whose new file needs a header (Continue)
        edits.extend(((key,), value) for key, value in items[0][0].client.new_file.items())
    for target, loc in items:
        loc = target.client.adapt(loc, doc.get)
        entry, extra = build_entry(target.client, request, launcher)
        if target.scope == "project":  # committed and read on teammates' machines
            entry = portable.entry(target.client, entry)
        if target.client.shape.name_key:
            entry = {target.client.shape.name_key: request.name, **entry}
        entry_path = (*loc.key_path, request.name)
        if entry_path in seen:
            continue
        seen.add(entry_path)
        existing = doc.get(entry_path)
        owned = ownership.record_at(manifest, target.client.id, str(path), tuple(loc.key_path), request.name)
        replaced = ""
        if existing is not None and existing != entry:
            replaced = _ownership_note(notes, target.client.name, path, request, doc, entry_path, existing, owned)
        edits.append((entry_path, entry))
        record = _record(
            target,
            loc,
            path,
            request,
            entry,
            created_file=not snapshot.exists,
            created_container=not doc.has(loc.key_path),
            created_path=_first_missing(doc, loc.key_path),
        )
        if replaced:
            record.replaced_raw, record.replaced_sha256 = replaced, entry_hash(existing)
        _note_surroundings(record, doc, snapshot)
        for edit in extra:
            record.inputs_path, record.created_inputs = list(edit[0]), not doc.has(edit[0])
            inputs = _inputs_edit(doc, edit)
            if inputs:
                edits.append(inputs)
            else:  # the person's own item with our id: we use it, and never remove it
                record.added_input = owned.added_input if owned else False
                if not record.added_input:
                    notes.append(f"{target.client.name}: uses the existing input '{edit[1]['id']}' in {path}.")
        records.append(record)
    _, after = render(location, snapshot, edits)
    plain_secret = request.secret_key or (request.remote_url and header_plan(request).secrets)
    mode = 0o600 if request.key_storage == "plain" and plain_secret and not request.demo else None
    diff = unified_diff(path, snapshot.data, after, secrets) if after is not None else ""
    return Change(path, location, snapshot, edits, after, diff, records, mode=mode, notes=notes)


def _ownership_note(
    notes: list[str],
    client: str,
    path: Path,
    request: Request,
    doc: Doc,
    entry_path: tuple[str, ...],
    existing: Any,
    owned: Record | None,
) -> str:
    """Say what happens to the entry already under our name; stop if it is not ours and no `--replace`.
    Returns the replaced entry's exact text when it is the person's (kept so uninstall puts it back)."""
    owner = ownership.owner_of(owned, existing)
    if owner == "foreign":
        if not request.replace:
            raise ownership.foreign_entry(path, client, request.name, existing)
        notes.append(
            f"{client}: replaces your own '{request.name}' entry in {path} (it runs: {ownership.describe(existing)}); "
            "it is backed up and `uninstall` puts it back exactly."
        )
        return _raw(doc, entry_path)
    if owner == "ours":
        notes.append(f"{client}: adopts the unrecorded '{request.name}' entry in {path} (it already runs our server).")
    elif owned is not None and entry_hash(existing) != owned.entry_sha256:
        notes.append(f"{client}: replaces the '{request.name}' entry in {path}, which was edited by hand since.")
    else:
        notes.append(f"{client}: updates the '{request.name}' entry clerk-mcp-setup installed in {path}.")
    return ""


def _raw(doc: Doc, path: tuple[str, ...]) -> str:
    """The entry's exact text; for formats without a raw view (YAML) its value, put back by meaning."""
    raw = getattr(doc, "raw", None)
    if raw is None:
        return _BY_VALUE + json.dumps(doc.get(path))
    return raw(path) or ""


_BY_VALUE = "json:"  # a replaced entry kept as its value, not its text (restored equal, not byte for byte)


def _note_surroundings(record: Record, doc: Doc, snapshot: Snapshot) -> None:
    """What uninstall needs to leave no trace: the folders we create, the text of a file with no entries."""
    if not snapshot.exists:
        folder, made = snapshot.path.parent, []
        while not folder.exists() and folder != folder.parent:
            made.append(str(folder))
            folder = folder.parent
        record.created_dirs = made
    elif _doc_empty(doc) and snapshot.data is not None:
        record.restore_empty, record.empty_before = True, snapshot.data.decode("utf-8", "surrogateescape")


def _record(
    target: Target,
    loc: Location,
    path: Path,
    request: Request,
    entry: Any,
    *,
    created_file: bool,
    created_container: bool,
    created_path: list[str],
) -> Record:
    uses_vault = request.key_storage == "vault" and not request.demo
    return Record(
        client=target.client.id,
        scope=target.scope,
        path=str(path),
        key_path=list(loc.key_path),
        name=request.name,
        entry_sha256=entry_hash(entry),
        installed_at=_now(),
        project=str(target.project or ""),
        tools=list(request.tools or []),
        tools_default=request.tools is None,
        read_only=request.read_only,
        key_storage="none" if request.demo else request.key_storage,
        key_env=request.key_env if request.key_storage == "env" else "",
        vault_name=vault_slot(request) if uses_vault and not request.remote_url else "",
        vault_backend=vault_backend(request) if uses_vault else "",
        secret_slots=[slot for slot, _ in header_plan(request).vault.values()] if request.remote_url else [],
        headers=headers.records_of(header_plan(request)) if request.remote_url else [],
        remote_url=request.remote_url or "",
        remote_auth=request.remote_auth if request.remote_url else "",
        bridged=bool(request.remote_url) and remote.bridged(target.client, request),
        api_url=request.api_url or "",
        created_file=created_file,
        created_container=created_container,
        created_path=created_path,
    )


def _first_missing(doc: Doc, key_path: Sequence[str]) -> list[str]:
    """The shortest prefix of `key_path` not in the file (what writing our entry creates), or []."""
    for depth in range(1, len(key_path) + 1):
        if not doc.has(key_path[:depth]):
            return list(key_path[:depth])
    return []


def plan_uninstall(records: Sequence[Record], *, force: bool = False, purge_key: bool = False) -> Plan:
    """Remove our entries (and what we created around them); entries edited since install need `force`."""
    plan = Plan(changes=[], removals=[])
    by_path: dict[str, list[Record]] = {}
    for record in records:
        by_path.setdefault(record.path, []).append(record)
    for path_text, recs in by_path.items():
        path = Path(path_text)
        snapshot = read_snapshot(path)
        location = _location_of(recs[0], path)
        if not snapshot.exists:
            plan.notes.append(f"{path} no longer exists; forgetting its entries.")
            plan.removals.extend(recs)
            continue
        doc = parse(location, snapshot.data, path)
        edits: list[Edit] = []
        for record in recs:
            current = doc.get(record.entry_path)
            if current is None:
                plan.notes.append(f"'{record.name}' is no longer in {path}; forgetting it.")
                plan.removals.append(record)
                continue
            if ownership.original_restorable(record, current):
                plan.notes.append(f"'{record.name}' in {path} is already your original entry again; forgetting it.")
                plan.removals.append(record)
                continue
            if entry_hash(current) != record.entry_sha256 and not force:
                plan.notes.append(
                    f"'{record.name}' in {path} was edited since it was installed; left alone (use --force)."
                )
                continue
            plan.removals.append(record)
            if record.replaced_raw:  # ours replaced the person's entry: put theirs back, byte for byte
                edits.append((record.entry_path, RestoreRaw(record.replaced_raw)))
                plan.notes.append(f"'{record.name}' in {path}: your original entry is put back.")
                continue
            edits.append((record.entry_path, REMOVE))
            if record.created_container:  # every container we created, outermost first
                outermost = len(record.created_path or record.key_path)
                for depth in range(outermost, len(record.key_path) + 1):
                    edits.append((tuple(record.key_path[:depth]), _REMOVE_IF_EMPTY))
            edits.extend(_remove_input(doc, record))
        edits = _resolve_empty(doc, edits)
        after_doc, after = render(location, snapshot, edits)
        created = any(r.created_file for r in recs)  # the file held nothing before the first of them
        header = get_client(recs[0].client).new_file
        delete = (
            created and after is not None and (_doc_empty(after_doc) or (bool(header) and after_doc.get(()) == header))
        )
        empty = next((r for r in recs if r.restore_empty), None)
        if empty and not delete and after is not None and _doc_empty(after_doc):
            after = empty.empty_before.encode("utf-8", "surrogateescape")  # "{ }", comments: as it was
        diff = unified_diff(path, snapshot.data, None if delete else after, ()) if after is not None else ""
        change = Change(path, location, snapshot, edits, after, diff, [], delete_file=delete)
        change.remove_dirs = [d for r in recs for d in r.created_dirs] if delete else []
        plan.changes.append(change)
    if purge_key:
        keys.plan_purge(plan, Manifest.load().records)
    return plan


_REMOVE_IF_EMPTY = object()


def _remove_input(doc: Doc, record: Record) -> list[Edit]:
    """Take our prompted input back out of VS Code's `inputs`, and the array too if we created it."""
    if not record.inputs_path or not record.added_input:
        return []
    path = tuple(record.inputs_path)
    current = doc.get(path)
    if not isinstance(current, list):
        return []
    input_id = input_id_for(record.name)
    kept = [i for i in current if not (isinstance(i, dict) and i.get("id") == input_id)]
    if len(kept) == len(current):
        return []
    return [(path, REMOVE if not kept and record.created_inputs else DropItem(input_id))]


def _doc_empty(doc: Doc) -> bool:
    if isinstance(doc, TomlDocument):
        return not tomllib.loads(doc.render())
    return doc.get(()) in ({}, None)


def _resolve_empty(doc: Doc, edits: list[Edit]) -> list[Edit]:
    """Turn 'remove this container if our removals leave it empty' into a plain removal or nothing."""
    removed = {path for path, value in edits if value is REMOVE}

    def left_empty(value: Any, path: tuple[str, ...]) -> bool:
        return isinstance(value, dict) and all(
            (*path, k) in removed or left_empty(v, (*path, k)) for k, v in value.items()
        )

    out: list[Edit] = []
    for path, value in edits:
        if value is not _REMOVE_IF_EMPTY:
            out.append((path, value))
        elif path not in removed and left_empty(doc.get(path), path):
            out.append((path, REMOVE))
            removed.add(path)
    return out


def _location_of(record: Record, path: Path) -> Location:
    from clerk_mcp_setup.clients import get_client

    client = get_client(record.client)
    return Location(client.id, record.scope, PurePath(path), tuple(record.key_path), client.syntax)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------- apply


def apply(
    plan: Plan, manifest: Manifest | None = None, *, retries: int = 5, force_write: bool = False
) -> list[Applied]:
    """Write the plan: vault first, then the intent in the manifest (records "pending"), then each file
    (locked, backed up, atomic, re-read), then the records marked done. A kill or a failure at any point
    leaves every written entry recorded (install/wal.py reconciles pending records on the next run).
    `force_write` writes files their owner marked read-only."""
    from clerk_mcp_setup.install import wal

    manifest = manifest or Manifest.load()
    for name, secret in plan.vault_writes:
        Vault.open(plan.vault_backends.get(name)).put(name, secret)  # type: ignore[arg-type]
    writing = [c for c in plan.changes if c.changed and c.records]
    if writing:
        wal.record_intent(manifest, writing, retries)
    results: list[Applied] = []
    try:
        for change in plan.changes:
            results.append(_apply_change(change, retries, force_write))
    except BaseException as exc:
        raise wal.after_failure(manifest, plan, results, exc, retries) from None
    wal.finish(manifest, plan, retries)
    keys.apply_purge(plan, manifest.records)
    return results


def mark_verified(outcome: dict[tuple[str, str, tuple[str, ...], str], bool], stamp: str, retries: int = 5) -> None:
    """Store when each entry was last verified and whether it worked (reloading if another process saved)."""
    manifest = Manifest.load()
    for _ in range(retries):
        for record in manifest.records:
            key = (record.client, record.path, tuple(record.key_path), record.name)
            if key in outcome:
                record.verified_at, record.verified_ok = stamp, outcome[key]
        try:
            manifest.save()
        except ConfigChangedError:
            manifest.reload()
            continue
        return


def _apply_change(change: Change, retries: int, force_write: bool = False) -> Applied:
    for _ in range(retries):
        if change.after is None and not change.delete_file:
            return Applied(change, None, False)
        used_cli, backup = _via_claude_cli(change)
        if used_cli:
            return Applied(change, backup, True)
        try:
            if change.delete_file:
                backup = delete_file(change.path, expected=change.snapshot, backup_dir=backup_dir())
                _remove_created_dirs(change.remove_dirs)
                return Applied(change, backup, True)
            assert change.after is not None
            backup = write_atomic(
                change.path,
                change.after,
                expected=change.snapshot,
                backup_dir=backup_dir(),
                mode=change.mode,
                force=force_write,
            )
        except ConfigChangedError:
            _replan(change)
            continue
        _check_written(change)
        return Applied(change, backup, True)
    raise ClerkMcpError(
        f"{change.path} kept changing while we tried to write it.",
        "Close the program that is rewriting it (e.g. a running Claude Code) and try again.",
    )


def _remove_created_dirs(folders: list[str]) -> None:
    """Remove the folders our first install created (`.cursor/`), deepest first, only while empty."""
    for folder in sorted(set(folders), key=len, reverse=True):
        try:
            Path(folder).rmdir()
        except OSError:
            continue  # not empty (the person put something there) or already gone


def _via_claude_cli(change: Change) -> tuple[bool, Path | None]:
    """Install Claude Code user/local entries with `claude mcp add-json` when `claude` is installed."""
    from clerk_mcp_setup.install import claude_cli

    records = change.records
    if not records or change.delete_file or change.after is None:
        return False, None
    if not all(r.client == "claude-code" and claude_cli.usable(r.scope, r.key_storage) for r in records):
        return False, None
    if any(path[-1] not in {r.name for r in records} for path, _ in change.edits):
        return False, None
    if any(isinstance(entry, dict) and headers.entry_has_secret(entry) for _, entry in change.edits):
        return False, None  # a secret on `claude mcp add-json`'s argv would show in the process list
    binary = claude_cli.claude_binary()
    if not binary:
        return False, None
    backup = backup_file(change.path, backup_dir())
    for record, (_, entry) in zip(records, change.edits, strict=True):
        claude_cli.set_entry(binary, record.scope, record.name, entry, Path(record.project) if record.project else None)
    _check_written(change)
    return True, backup


def _replan(change: Change) -> None:
    """Someone wrote the file after we read it: apply the same edits to what is there now."""
    change.snapshot = read_snapshot(change.path)
    doc, change.after = render(change.location, change.snapshot, change.edits)
    if change.delete_file:
        change.delete_file = change.after is not None and _doc_empty(doc)


def _check_written(change: Change) -> None:
    """Re-read and re-parse what we wrote: every entry we meant to write must be there as meant."""
    snapshot = read_snapshot(change.path)
    doc = parse(change.location, snapshot.data, change.path)
    for path, value in change.edits:
        if value is REMOVE:
            if doc.has(path):
                raise ClerkMcpError(f"After writing {change.path}, {'.'.join(path)} is still there.")
        elif isinstance(value, dict) and doc.get(path) != value:
            raise ClerkMcpError(f"After writing {change.path}, the entry {'.'.join(path)} does not read back.")


# ------------------------------------------------------------------------------------------ refresh, status


def request_from_record(record: Record, current_entry: Any) -> Request:
    """Re-create the request a record was installed with, so refresh renders it with today's launcher."""
    from clerk_mcp_setup.clients import get_client

    key = None
    if record.key_storage == "plain" and isinstance(current_entry, dict):
        key = (current_entry.get(get_client(record.client).shape.env_key) or {}).get(KEY_VAR)
    given, marked, key_env = keys.headers_from_record(record, current_entry)
    return Request(
        targets=(
            Target(
                get_client(record.client),
                record.scope,  # type: ignore[arg-type]
                Path(record.project) if record.project else None,
                file=Path(record.path),  # the profile / editor it was written to, not today's default
            ),
        ),
        name=record.name,
        tools=tuple(record.tools) if not record.tools_default else None,
        read_only=record.read_only,
        secret_key=key,
        key_storage=record.key_storage,  # type: ignore[arg-type]
        key_env=key_env or record.key_env or KEY_VAR,
        vault_name=record.vault_name or None,
        vault_backend=record.vault_backend or None,
        remote_url=record.remote_url or None,
        headers=given,
        secret_headers=marked,
        remote_auth="oauth" if record.remote_auth == "oauth" else "none",
        via_bridge=(record.client,) if record.bridged else (),
        api_url=record.api_url or None,
        demo=record.key_storage == "none" and not record.remote_url,
        force_plain=True,
    )


def plan_refresh(
    records: Sequence[Record], *, force: bool = False, env: Env | None = None, launcher: Launcher | None = None
) -> Plan:
    """Re-render each recorded entry; entries the person edited since are reported and skipped unless `force`."""
    plan = Plan(changes=[])
    for record in records:
        path = Path(record.path)
        snapshot = read_snapshot(path)
        location = _location_of(record, path)
        current = parse(location, snapshot.data, path).get(record.entry_path) if snapshot.exists else None
        if current is not None and entry_hash(current) != record.entry_sha256 and not force:
            plan.notes.append(f"'{record.name}' in {path} was edited since it was installed; left alone (use --force).")
            continue
        request = request_from_record(record, current)
        sub = plan_install(request, env=env, launcher=launcher)
        sub.vault_writes.clear()  # the key is already where it was
        for change in sub.changes:
            for new in change.records:
                new.created_file, new.created_container = record.created_file, record.created_container
                new.created_path, new.created_inputs = record.created_path, record.created_inputs
        plan.changes.extend(sub.changes)
        plan.notes.extend(n for n in sub.notes if n not in plan.notes)
        plan.secrets += sub.secrets
    return plan


def entry_state(record: Record) -> Literal["ok", "edited", "missing", "file-missing", "unreadable"]:
    """Whether the recorded entry is still in its file as we wrote it."""
    path = Path(record.path)
    snapshot = read_snapshot(path)
    if not snapshot.exists:
        return "file-missing"
    try:
        current = parse(_location_of(record, path), snapshot.data, path).get(record.entry_path)
    except ClerkMcpError:
        return "unreadable"
    if current is None:
        return "missing"
    return "ok" if entry_hash(current) == record.entry_sha256 else "edited"
