"""Tokens for a remote MCP server, kept in the vault (never in a config file or argv).

One vault slot per server URL (`oauth.<hash of the URL>`), holding one JSON record: the tokens with their
absolute expiry, the registered client, and the discovered metadata the next process needs to refresh
without the network round trips (the token endpoint may live on another origin, as Clerk's does).
It implements the MCP SDK's `TokenStorage` protocol, so the SDK's OAuth client reads and writes it.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any, Literal

from mcp.shared.auth import OAuthClientInformationFull, OAuthMetadata, OAuthToken, ProtectedResourceMetadata

from clerk_mcp_setup.vault import Vault

State = Literal["signed-in", "expired", "not-signed-in", "revoked"]


def slot(url: str) -> str:
    """The vault name for a server URL: stable, short, and free of characters the vault refuses."""
    canonical = url.strip().rstrip("/")
    return "oauth." + hashlib.sha256(canonical.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SignInState:
    """What `status` and `verify` say about one server's sign-in."""

    state: State
    issuer: str | None = None
    expires_at: float | None = None
    can_refresh: bool = False

    def describe(self) -> str:
        if self.state == "signed-in":
            return "signed in" + (f" ({self.issuer})" if self.issuer else "")
        if self.state == "expired":
            return "signed in, token expired" + (" (will refresh)" if self.can_refresh else "")
        if self.state == "revoked":
            return "sign-in revoked or expired; run login again"
        return "not signed in"


class VaultTokenStorage:
    """The SDK's `TokenStorage`, backed by one vault slot."""

    def __init__(self, url: str, vault: Vault | None = None) -> None:
        self.url = url
        self.name = slot(url)
        self.vault = vault or Vault.open()

    # ----------------------------------------------------------------- the record
    def load(self) -> dict[str, Any]:
        raw = self.vault.get(self.name)
        if not raw:
            return {}
        try:
            data = json.loads(raw)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, record: dict[str, Any]) -> None:
        self.vault.put(self.name, json.dumps({**record, "url": self.url}, sort_keys=True))

    def forget(self) -> bool:
        """Delete everything held for this server (tokens and registration); False when nothing was."""
        return self.vault.delete(self.name)

    def drop_tokens(self, revoked: bool = False) -> None:
        """Keep the client registration, lose the tokens (a refused refresh, or a fresh login)."""
        record = self.load()
        if not record:
            return
        record.pop("tokens", None)
        record.pop("expires_at", None)
        record["revoked"] = revoked
        self.save(record)

    def state(self) -> SignInState:
        record = self.load()
        issuer = (record.get("oauth_metadata") or {}).get("issuer")
        tokens = record.get("tokens")
        if not tokens:
            return SignInState("revoked" if record.get("revoked") else "not-signed-in", issuer)
        expires = record.get("expires_at")
        can_refresh = bool(tokens.get("refresh_token") and record.get("client"))
        if expires is not None and time.time() > expires:
            return SignInState("expired", issuer, expires, can_refresh)
        return SignInState("signed-in", issuer, expires, can_refresh)

    # ----------------------------------------------------------------- TokenStorage
    async def get_tokens(self) -> OAuthToken | None:
        tokens = self.load().get("tokens")
        return OAuthToken.model_validate(tokens) if tokens else None

    async def set_tokens(self, tokens: OAuthToken) -> None:
        record = self.load()
        record["tokens"] = tokens.model_dump(mode="json", exclude_none=True)
        record["expires_at"] = time.time() + tokens.expires_in if tokens.expires_in is not None else None
        record["revoked"] = False
        self.save(record)

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        client = self.load().get("client")
        return OAuthClientInformationFull.model_validate(client) if client else None

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        record = self.load()
        record["client"] = client_info.model_dump(mode="json", exclude_none=True)
        self.save(record)

    # ----------------------------------------------------------------- discovered metadata
    def expiry(self) -> float | None:
        return self.load().get("expires_at")

    def metadata(self) -> tuple[OAuthMetadata | None, ProtectedResourceMetadata | None]:
        record = self.load()
        asm, prm = record.get("oauth_metadata"), record.get("resource_metadata")
        return (
            OAuthMetadata.model_validate(asm) if asm else None,
            ProtectedResourceMetadata.model_validate(prm) if prm else None,
        )

    def set_metadata(self, asm: OAuthMetadata | None, prm: ProtectedResourceMetadata | None) -> None:
        record = self.load()
        if asm is not None:
            record["oauth_metadata"] = asm.model_dump(mode="json", exclude_none=True)
        if prm is not None:
            record["resource_metadata"] = prm.model_dump(mode="json", exclude_none=True)
        self.save(record)
