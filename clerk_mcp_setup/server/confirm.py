"""Confirmation before irreversible calls: a person says yes, never the model.

A person can answer in three places: in the client (MCP elicitation, either protocol era), on the one-time
approval page a local stdio server opens in their browser (`approval.py`), or nowhere, and then the call is
refused. No tool result ever carries anything that approves a call.

The 2026-07-28 protocol asks through an `input_required` result whose `requestState` the *client* sends back
with the person's answer. That state is HMAC-signed and bound to the tool, the exact arguments, an expiry and
a nonce; the nonce is claimed in a `UsedStore` before the call runs, so an answer works once. stdio signs with
a key made at start-up and keeps claims in memory (a restart invalidates every state); HTTP signs with a key
derived from the Clerk key and claims nonces in a SQLite file every worker on the machine shares, which also
survives restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from clerk_mcp_setup.server.catalog import Tool

ConfirmMode = Literal["none", "destructive", "writes"]
STATE_TTL = 300.0


def needs_confirmation(tool: Tool, mode: ConfirmMode) -> bool:
    if mode == "none" or tool.risk == "read":
        return False
    return mode == "writes" or tool.risk in ("destructive", "credential")


def _args_digest(tool: str, args: dict[str, Any]) -> str:
    blob = json.dumps([tool, args], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class UsedStore(Protocol):
    def claim(self, nonce: str, expires: float) -> bool:
        """True the first time `nonce` is claimed (until it expires), False ever after."""
        ...


@dataclass
class MemoryUsed:
    """Claims for one process (stdio: its states die with it, since its signing key does)."""

    seen: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def claim(self, nonce: str, expires: float) -> bool:
        now = time.time()
        with self.lock:
            for old in [n for n, exp in self.seen.items() if exp < now]:
                del self.seen[old]
            if nonce in self.seen:
                return False
            self.seen[nonce] = expires
            return True


@dataclass
class SqliteUsed:
    """Claims shared by every worker and restart on one machine: a primary key makes the first insert win."""

    path: Path

    def claim(self, nonce: str, expires: float) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with sqlite3.connect(self.path, timeout=10, isolation_level=None) as db:
            db.execute("CREATE TABLE IF NOT EXISTS used (nonce TEXT PRIMARY KEY, expires REAL NOT NULL)")
            db.execute("DELETE FROM used WHERE expires < ?", (time.time(),))
            try:
                db.execute("INSERT INTO used VALUES (?, ?)", (nonce, expires))
            except sqlite3.IntegrityError:
                return False
        return True


def default_used_path() -> Path:
    from platformdirs import user_state_path

    return user_state_path("clerk-mcp-setup", appauthor=False) / "confirm-used.sqlite"


@dataclass
class StateSigner:
    """Signs and checks the `requestState` of a 2026 elicitation round; each state is accepted once."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    ttl: float = STATE_TTL
    used: UsedStore = field(default_factory=MemoryUsed)

    @classmethod
    def for_secret(cls, secret: str | None, used: UsedStore, ttl: float = STATE_TTL) -> StateSigner:
        """States every worker holding the same Clerk key accepts (HTTP), each still only once."""
        if not secret:
            return cls(ttl=ttl, used=used)
        key = hmac.new(secret.encode(), b"clerk-mcp-request-state-v2", hashlib.sha256).digest()
        return cls(key=key, ttl=ttl, used=used)

    def issue(self, tool: str, args: dict[str, Any], now: float | None = None) -> str:
        body = {"t": tool, "a": _args_digest(tool, args), "e": int((now or time.time()) + self.ttl)}
        body["n"] = secrets.token_hex(16)
        raw = json.dumps(body, separators=(",", ":")).encode()
        return f"{_b64(raw)}.{_b64(hmac.new(self.key, raw, hashlib.sha256).digest())}"

    def check(self, state: str, tool: str, args: dict[str, Any], now: float | None = None) -> str | None:
        """None when the state belongs to exactly this call and was never used (it is now); else why not."""
        now = now or time.time()
        try:
            raw_b64, sig_b64 = state.split(".", 1)
            raw = _unb64(raw_b64)
            if not hmac.compare_digest(_unb64(sig_b64), hmac.new(self.key, raw, hashlib.sha256).digest()):
                return "the answer's state is not one this server issued"
            body = json.loads(raw)
        except (ValueError, TypeError):
            return "the answer's state is malformed"
        if body.get("t") != tool or body.get("a") != _args_digest(tool, args):
            return "the answer belongs to a different call (tool or arguments changed)"
        if body.get("e", 0) < now:
            return "the question expired before the answer came"
        if not self.used.claim(str(body.get("n")), float(body["e"])):
            return "that answer was already used"
        return None


def elicitation_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"confirm": {"type": "boolean", "title": "Run it", "description": "Yes, make this change."}},
        "required": ["confirm"],
    }
