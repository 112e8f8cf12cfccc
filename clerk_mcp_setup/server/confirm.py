"""Confirmation before irreversible calls: ask the person (MCP elicitation), or hand out a one-time token.

Where the client supports elicitation, the server shows what will be affected and waits for a yes. Where it
does not, the first call sends nothing to Clerk and answers with a preview and a token; a second call with
the same arguments and that token runs it. Tokens are HMAC-signed and bound to the tool, the exact
arguments and an expiry, so they are checked by any replica that shares the key (the HTTP mode is
stateless); one-time use is enforced per process.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from clerk_mcp_setup.server.catalog import Tool

ConfirmMode = Literal["none", "destructive", "writes"]
TOKEN_PARAM = "confirmToken"
TOKEN_TTL = 300.0


def needs_confirmation(tool: Tool, mode: ConfirmMode) -> bool:
    if mode == "none" or tool.risk == "read":
        return False
    return mode == "writes" or tool.risk in ("destructive", "credential")


def _args_digest(tool: str, args: dict[str, Any]) -> str:
    clean = {k: v for k, v in args.items() if k != TOKEN_PARAM}
    blob = json.dumps([tool, clean], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Confirmer:
    """Issues and checks confirmation tokens; `key` signs them (derive it from the Clerk key in HTTP mode)."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    ttl: float = TOKEN_TTL
    used: dict[str, float] = field(default_factory=dict)

    @classmethod
    def for_secret(cls, secret: str | None, ttl: float = TOKEN_TTL) -> Confirmer:
        """Tokens that every replica holding the same Clerk key accepts."""
        if not secret:
            return cls(ttl=ttl)
        return cls(key=hmac.new(secret.encode(), b"clerk-mcp-confirm-v1", hashlib.sha256).digest(), ttl=ttl)

    def issue(self, tool: str, args: dict[str, Any], now: float | None = None) -> str:
        body = {
            "t": tool,
            "a": _args_digest(tool, args),
            "e": int((now or time.time()) + self.ttl),
            "n": secrets.token_hex(8),
        }
        raw = json.dumps(body, separators=(",", ":")).encode()
        return f"{_b64(raw)}.{_b64(hmac.new(self.key, raw, hashlib.sha256).digest())}"

    def check(self, token: str, tool: str, args: dict[str, Any], now: float | None = None) -> str | None:
        """None when the token confirms exactly this call; else why not (and it is not consumed)."""
        now = now or time.time()
        try:
            raw_b64, sig_b64 = token.split(".", 1)
            raw = _unb64(raw_b64)
            if not hmac.compare_digest(_unb64(sig_b64), hmac.new(self.key, raw, hashlib.sha256).digest()):
                return "the confirmation token is not valid"
            body = json.loads(raw)
        except (ValueError, TypeError):
            return "the confirmation token is malformed"
        if body.get("t") != tool or body.get("a") != _args_digest(tool, args):
            return "the confirmation token was issued for a different call (tool or arguments changed)"
        if body.get("e", 0) < now:
            return "the confirmation token has expired; call again without it to get a new one"
        nonce = str(body.get("n"))
        self.used = {n: exp for n, exp in self.used.items() if exp >= now}
        if nonce in self.used:
            return "the confirmation token was already used"
        self.used[nonce] = float(body["e"])
        return None


def elicitation_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"confirm": {"type": "boolean", "title": "Run it", "description": "Yes, make this change."}},
        "required": ["confirm"],
    }
