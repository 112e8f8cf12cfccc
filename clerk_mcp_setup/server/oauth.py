"""Sign in with Clerk: the HTTP server as an OAuth 2.1 resource server for the user's Clerk instance.

The MCP SDK serves `/.well-known/oauth-protected-resource` (naming the issuer) and answers 401 with the
`WWW-Authenticate` header that starts a client's sign-in; this module supplies what it cannot know: how to
check a Clerk-issued JWT. Signature against the instance's JWKS (fetched and cached, refetched once for an
unknown `kid`), issuer, audience (this server's resource URL, when set) and expiry. The verified `sub`
becomes the acting user.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import jwt
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings

log = logging.getLogger("clerk_mcp_setup.server.oauth")
JWKS_TTL = 600.0
ALGORITHMS = ["RS256", "ES256"]


def auth_settings(issuer: str, resource_url: str) -> AuthSettings:
    return AuthSettings(issuer_url=issuer, resource_server_url=resource_url)  # type: ignore[arg-type]


class ClerkTokenVerifier:
    """A `TokenVerifier` for JWTs issued by one Clerk instance."""

    def __init__(self, issuer: str, audience: str | None, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.transport = transport
        self._keys: dict[str, Any] = {}
        self._fetched = 0.0

    async def _jwks(self, force: bool = False) -> dict[str, Any]:
        if self._keys and not force and time.monotonic() - self._fetched < JWKS_TTL:
            return self._keys
        async with httpx.AsyncClient(timeout=10, transport=self.transport) as client:
            response = await client.get(f"{self.issuer}/.well-known/jwks.json")
            response.raise_for_status()
            keys = response.json().get("keys", [])
        self._keys = {k.get("kid", ""): jwt.PyJWK(k).key for k in keys}
        self._fetched = time.monotonic()
        return self._keys

    async def verify_token(self, token: str) -> AccessToken | None:
        """The access token if the JWT is Clerk's, unexpired and meant for us; None otherwise (never raises)."""
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            keys = await self._jwks()
            if kid not in keys:
                keys = await self._jwks(force=True)
            key = keys.get(kid)
            if key is None:
                return None
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "iss", "sub"], "verify_aud": self.audience is not None},
                leeway=30,
            )
        except (jwt.PyJWTError, httpx.HTTPError, ValueError) as exc:
            log.info("bearer token refused: %s", type(exc).__name__)
            return None
        aud = claims.get("aud")
        return AccessToken(
            token=token,
            client_id=str(claims.get("azp") or claims.get("client_id") or "unknown"),
            scopes=str(claims.get("scope", "")).split(),
            expires_at=int(claims["exp"]),
            resource=self.audience if isinstance(aud, list) and self.audience in aud else aud,
            subject=str(claims["sub"]),
            claims={"iss": claims.get("iss")},
        )


def verifier(issuer: str, audience: str | None) -> ClerkTokenVerifier:
    return ClerkTokenVerifier(issuer, audience)
