"""Which key each entry uses: one vault slot per distinct key, and the stored keys a person can choose from.

A slot's name carries a fingerprint of the secret it holds (`clerk-1a2b3c4d`), so two different keys never
share a slot and installing, refreshing or removing one entry cannot re-point another entry at another key.
The same key given twice lands in the same slot (stored once). Manifests written before this kept the
entry name as the slot (`clerk`); those entries keep working as they are (the server reads any slot).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerk_mcp_setup.clients import Client
from clerk_mcp_setup.errors import ClerkMcpError, UsageError
from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.secrets import mask
from clerk_mcp_setup.vault import BACKEND_ENV, FILE_ENV, Backend, Vault, VaultError, vault_file

# What Secret Service (the Linux keyring) needs to be reached: the session bus (and the runtime dir it lives in).
# Codex drops both (openai/codex codex-rs/rmcp-client/src/utils.rs DEFAULT_ENV_VARS), so its entries list them.
KEYRING_VARS = ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")


def fingerprint(secret: str) -> str:
    """8 hex digits of the secret's SHA-256: tells keys apart, reveals nothing usable."""
    return hashlib.sha256(secret.encode()).hexdigest()[:8]


def slot_for(name: str, secret: str, header: str | None = None) -> str:
    """The vault slot for `secret` used by entry `name` (a header's value gets the header in its name)."""
    stem = name if header is None else f"{name}-{re.sub(r'[^A-Za-z0-9]+', '-', header).strip('-').lower()}"
    return f"{stem[:54]}-{fingerprint(secret)}"


def key_kind_short(secret: str | None) -> str:
    """'test' / 'live' for a Clerk key, 'secret' for anything else, '?' when unknown."""
    if not secret:
        return "?"
    if secret.startswith("sk_test_"):
        return "test"
    if secret.startswith("sk_live_"):
        return "live"
    return "secret"


def describe_record(record: Record) -> str:
    """`codex (user) 'clerk'`: how an entry is named in messages."""
    return f"{record.client} ({record.scope}) '{record.name}'"


def backend_of(record: Record) -> Backend:
    """The vault backend the entry was installed with (old manifests: today's default)."""
    if record.vault_backend in ("keyring", "file"):
        return record.vault_backend  # type: ignore[return-value]
    return Vault.open().backend


@dataclass
class StoredKey:
    """A vault slot some installed entry uses: masked, its kind, and which entries use it."""

    slot: str
    backend: Backend
    masked: str = "(unreadable)"
    kind: str = "?"
    used_by: list[str] = field(default_factory=list)
    present: bool = True

    def label(self) -> str:
        users = ", ".join(self.used_by) or "no entry"
        return f"{self.slot}: {self.masked} ({self.kind}), used by {users}"


def stored_keys(records: Iterable[Record]) -> list[StoredKey]:
    """The Clerk keys in the vault that installed entries use (one per slot), read to show them masked."""
    found: dict[tuple[str, str], StoredKey] = {}
    for record in records:
        if record.key_storage != "vault" or not record.vault_name or record.remote_url:
            continue
        backend = backend_of(record)
        item = found.get((backend, record.vault_name))
        if item is None:
            item = found[(backend, record.vault_name)] = StoredKey(record.vault_name, backend)
            try:
                secret = Vault.open(backend).get(record.vault_name)
            except (VaultError, ClerkMcpError):
                secret = None
            else:
                item.present = secret is not None
            if secret:
                item.masked, item.kind = mask(secret), key_kind_short(secret)
            elif not item.present:
                item.masked = "(missing from the vault)"
        item.used_by.append(describe_record(record))
    return [k for k in found.values() if k.present]


class KeyChoiceError(UsageError):
    """No key was given and keys are stored: the person must say which one (nothing is reused silently)."""

    def __init__(self, keys: Sequence[StoredKey]) -> None:
        listing = "\n".join(f"  {k.label()}" for k in keys)
        super().__init__(
            f"No secret key given, and {len(keys)} key(s) are stored:\n{listing}",
            "Choose one with --use-stored-key SLOT, or give a key (--secret-key-stdin, $CLERK_SECRET_KEY).",
        )
        self.keys = list(keys)


def choose_stored(slot: str, records: Iterable[Record]) -> StoredKey:
    """The stored key named `slot`; a UsageError listing the choices when there is no such slot."""
    keys = stored_keys(records)
    for key in keys:
        if key.slot == slot:
            return key
    try:  # a slot no manifest entry uses (kept after an uninstall) is still a valid choice
        backend = Vault.open().backend
        secret = Vault.open(backend).get(slot)
    except ClerkMcpError:
        secret = None
    if secret:
        return StoredKey(slot, backend, mask(secret), key_kind_short(secret))
    listing = "; ".join(k.label() for k in keys) or "none"
    raise UsageError(f"No stored key named '{slot}'.", f"Stored keys: {listing}.")


def users_of(slot: str, backend: str, records: Iterable[Record]) -> list[Record]:
    """The entries that use vault slot `slot` of `backend` (the Clerk key or a header's value)."""
    return [r for r in records if (backend_of(r) == backend) and slot in r.slots()]


def file_pin() -> str | None:
    """The file vault's path, when a server started without XDG_* variables would look elsewhere.

    Codex passes servers a fixed allow-list of variables (no XDG_CONFIG_HOME); with a non-default
    XDG_CONFIG_HOME the server would miss the vault unless the entry names the file.
    """
    if FILE_ENV in os.environ:
        return os.environ[FILE_ENV]
    if os.environ.get("XDG_CONFIG_HOME") and sys.platform.startswith("linux"):
        default = Path.home() / ".config" / "clerk-mcp-setup" / "vault.json"
        path = vault_file()
        if path != default:
            return str(path)
    return None


def check_key_choice(known: str | None, chosen: str | None, records: Sequence[Record]) -> None:
    """No key was given for a vault entry: fine when the slot is known (refresh) or chosen; else ask."""
    if known:
        return
    if chosen:
        choose_stored(chosen, records)
        return
    stored = stored_keys(records)
    if stored:
        raise KeyChoiceError(stored)
    raise UsageError(
        "Key storage 'vault' needs the secret key.",
        "Give it with --secret-key-stdin, the CLERK_SECRET_KEY environment variable or --secret-key, or "
        "choose --key-storage env|input|none.",
    )


def vault_env(client: Client, backend: Backend) -> tuple[dict[str, str], list[str]]:
    """What an entry reading the vault needs in its environment under `client`'s launch policy.

    The backend always (the server must open the same one); the file's path when the server would compute
    another one; for a keyring under an allow-list client (Codex) the session-bus variables by name, which
    the client then copies from its own environment (Secret Service is reached over D-Bus).
    """
    env = {BACKEND_ENV: backend}
    pass_env: list[str] = []
    if backend == "file":
        pinned = file_pin()
        if pinned:
            env[FILE_ENV] = pinned
    elif client.launch.inherit == "allow-list" and client.secrets.by_name:
        pass_env = [name for name in KEYRING_VARS if name not in client.launch.allow]
    return env, pass_env


def plan_purge(plan: Any, records: Sequence[Record]) -> None:
    """`--purge-key`: delete each slot the removed entries used unless a remaining entry still uses it."""
    removed = list(plan.removals)
    remaining = [r for r in records if not any(r.same_place(x) for x in removed)]
    seen: set[tuple[str, str]] = set()
    for record in removed:
        backend = backend_of(record)
        for slot in record.slots():
            if (backend, slot) in seen:
                continue
            seen.add((backend, slot))
            users = users_of(slot, backend, remaining)
            if users:
                plan.kept_keys.append(slot)
                plan.notes.append(
                    f"keeps key '{slot}' in the vault: still used by {', '.join(describe_record(u) for u in users)}."
                )
                continue
            plan.vault_deletes.append(slot)
            plan.vault_backends[slot] = backend


def apply_purge(plan: Any, records: Sequence[Record]) -> None:
    """Delete the planned slots, re-checking against the manifest as saved (another install may use one now)."""
    for slot in plan.vault_deletes:
        backend = plan.vault_backends.get(slot) or Vault.open().backend
        if users_of(slot, backend, records):
            continue
        vault = Vault.open(backend)
        vault.delete(slot)
        if vault.get(slot) is not None:
            raise VaultError(f"The key '{slot}' is still in {vault.describe()} after deleting it.")


def key_of_record(record: Record) -> dict[str, str]:
    """Which key an entry uses, for `status`: masked, kind and slot for the vault, else how it gets one."""
    if record.remote_url:
        how = {"vault": "vault slot '{}'", "env": "${}", "bearer-env": "Bearer ${}", "file": "the file (plain text)"}
        parts = [f"{h} from {how[k].format(d)}" for h, k, d in ([*i, "", ""][:3] for i in record.headers) if k in how]
        return {"kind": "remote", "text": f"remote server {record.remote_url}" + "".join(f"; {p}" for p in parts)}
    storage = record.key_storage
    if storage == "vault" and record.vault_name:
        found = stored_keys([record])
        if not found:
            return {"kind": "missing", "slot": record.vault_name, "text": f"vault slot '{record.vault_name}' (missing)"}
        key = found[0]
        text = f"{key.masked} ({key.kind}), vault slot '{key.slot}' ({key.backend})"
        return {"kind": key.kind, "masked": key.masked, "slot": key.slot, "backend": key.backend, "text": text}
    if storage == "env":
        return {"kind": "env", "text": f"from ${record.key_env or 'CLERK_SECRET_KEY'} (the client's environment)"}
    if storage == "input":
        return {"kind": "input", "text": "VS Code asks for it (input) and keeps it"}
    if storage == "plain":
        return {"kind": "plain", "text": "in the config file (plain text, 0600)"}
    return {"kind": "demo", "text": "none (demo sandbox)"}


def header_notes(plan: Any) -> list[str]:
    """What the person must do for headers the client fills from its environment (the value is not stored)."""
    notes = [f"set {var} to the value of header '{h}' where the client starts" for h, var in plan.env.items()]
    if plan.bearer_env:
        notes.append(f"set {plan.bearer_env} to the bearer token (without 'Bearer ') where the client starts")
    return notes


def headers_from_record(record: Record, entry: Any) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...], str | None]:
    """The remote headers a record was installed with, secrets read back from the vault or the entry.

    Returns (headers, the names to treat as secret, the variable a single env-filled header used).
    """
    given: list[tuple[str, str]] = []
    marked: list[str] = []
    key_env = None
    for item in record.headers:
        header, how, data = [*list(item), "", ""][:3]
        if how == "plain":
            given.append((header, data))
            continue
        marked.append(header)
        if how == "vault":
            value = Vault.open(backend_of(record)).get(data)
            if value is None:
                raise VaultError(
                    f"The vault no longer holds header '{header}' of {describe_record(record)} (slot '{data}').",
                    "Install the entry again with --remote URL --header 'Name: value'.",
                )
            given.append((header, value))
        elif how in ("env", "bearer-env"):
            given.append((header, "Bearer (from the environment)" if how == "bearer-env" else "(from the environment)"))
            key_env = data
        else:  # "file": the value sits in the entry itself (--key-storage plain)
            given.append((header, _plain_header(entry, header)))
    return tuple(given), tuple(marked), key_env


def _plain_header(entry: Any, header: str) -> str:
    """A plain-text header value from the entry as written (its headers, or the bridge's env)."""
    if not isinstance(entry, dict):
        return ""
    nested = entry.get("requestOptions") if isinstance(entry.get("requestOptions"), dict) else {}
    for headers in (entry.get("headers"), entry.get("http_headers"), nested.get("headers")):
        value = dict(headers or {}).get(header)
        if isinstance(value, str):
            return value
    from clerk_mcp_setup.install.headers import env_name_for

    return str(dict(entry.get("env") or {}).get(env_name_for(header), ""))
