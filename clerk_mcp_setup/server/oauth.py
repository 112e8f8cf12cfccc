"""Sign in with Clerk: the HTTP server as an OAuth 2.1 resource server for the user's Clerk instance.

The MCP SDK serves `/.well-known/oauth-protected-resource` (naming the issuer) and answers 401 with the
`WWW-Authenticate` header that starts a client's sign-in; this module supplies what it cannot know: how to
check a Clerk-issued JWT. Signature against the instance's JWKS (fetched and cached; an unknown `kid`
refetches it at most once per interval, and a malformed JWKS refuses the token with a log line), issuer,
audience (this server's resource URL, always required: a token the same instance issued for another
application, or with no `aud`, is refused) and expiry. The verified `sub` becomes the acting user.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import anyio
import httpx
import jwt
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings

log = logging.getLogger("clerk_mcp_setup.server.oauth")
JWKS_TTL = 600.0
JWKS_REFETCH_INTERVAL = 60.0
ALGORITHMS = ["RS256", "ES256"]


def auth_settings(issuer: str, resource_url: str) -> AuthSettings:
    """Our TokenVerifier checks each token's `aud` against `resource_url` itself (required; test_oauth covers a
    missing and a foreign audience), so the SDK's own resource check is switched off explicitly, not by default."""
    return AuthSettings(issuer_url=issuer, resource_server_url=resource_url, validate_token_resource=False)  # type: ignore[arg-type]


class JWKSUnavailable(Exception):
    """The issuer's JWKS could not be fetched or read."""


def parse_jwks(document: Any) -> dict[str, Any]:
    """The usable signing keys by `kid`; a document that is not `{"keys": [...]}` raises, bad keys are skipped."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JWKSUnavailable("the JWKS is not an object with a list of keys")
    keys: dict[str, Any] = {}
    for entry in document["keys"]:
        try:
            if not isinstance(entry, dict):
                raise jwt.PyJWTError("not an object")
            keys[str(entry.get("kid", ""))] = jwt.PyJWK(entry).key
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
            log.warning("JWKS: skipped a malformed key (%s)", type(exc).__name__)
    return keys


class ClerkTokenVerifier:
    """A `TokenVerifier` for JWTs issued by one Clerk instance for this server (its resource URL)."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        transport: httpx.AsyncBaseTransport | None = None,
        refetch_interval: float = JWKS_REFETCH_INTERVAL,
    ) -> None:
        if not audience:
            raise ValueError("an audience (this server's resource URL) is required")
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.transport = transport
        self.refetch_interval = refetch_interval
        self._keys: dict[str, Any] = {}
        self._fetched = float("-inf")  # when the JWKS was last fetched (or tried)
        self._lock = anyio.Lock()

    async def _refresh(self) -> None:
        """Fetch the JWKS unless it was fetched (or tried) within the refetch interval."""
        async with self._lock:
            if time.monotonic() - self._fetched < self.refetch_interval:
                return
            self._fetched = time.monotonic()
            try:
                async with httpx.AsyncClient(timeout=10, transport=self.transport) as client:
                    response = await client.get(f"{self.issuer}/.well-known/jwks.json")
                    response.raise_for_status()
                    document = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("JWKS of %s could not be fetched: %s", self.issuer, type(exc).__name__)
                return
            try:
                self._keys = parse_jwks(document)
            except JWKSUnavailable as exc:
                log.warning("JWKS of %s refused: %s", self.issuer, exc)

    async def _key(self, kid: str) -> Any:
        """The key for `kid`: cached, or after at most one fetch per refetch interval (unknown kids included,
        so a flood of made-up kids costs one fetch, not one each)."""
        if kid not in self._keys or time.monotonic() - self._fetched > JWKS_TTL:
            await self._refresh()
        return self._keys.get(kid)

    async def verify_token(self, token: str) -> AccessToken | None:
        """The access token if the JWT is Clerk's, unexpired and meant for us; None otherwise (never raises)."""
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            key = await self._key(str(kid))
            if key is None:
                log.info("bearer token refused: no JWKS key for its kid")
                return None
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iss", "sub", "aud"], "verify_aud": True},
                leeway=30,
            )
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            log.info("bearer token refused: %s", type(exc).__name__)
            return None
        return AccessToken(
            token=token,
            client_id=str(claims.get("azp") or claims.get("client_id") or "unknown"),
            scopes=str(claims.get("scope", "")).split(),
            expires_at=int(claims["exp"]),
            resource=self.audience,
            subject=str(claims["sub"]),
            claims={"iss": claims.get("iss")},
        )


def verifier(issuer: str, audience: str) -> ClerkTokenVerifier:
    return ClerkTokenVerifier(issuer, audience)
