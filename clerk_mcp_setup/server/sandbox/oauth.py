"""The sandbox as a Clerk instance's authorization server: its own RSA signing key, a JWKS, metadata, and a
control endpoint that mints access tokens (valid, expired, wrongly issued or addressed, tampered) for tests.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

KID = "sandbox-signing-1"


class AuthorizationServer:
    """Signs JWTs the way a Clerk instance does for OAuth clients, with a key made at start-up."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer.rstrip("/")
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwks_fetches = 0  # how often a verifier fetched the JWKS (tests count refetches)
        self.jwks_document: Any = None  # when set, served instead of the real JWKS (a malformed one, say)

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/oauth/authorize",
            "token_endpoint": f"{self.issuer}/oauth/token",
            "registration_endpoint": f"{self.issuer}/oauth/register",
            "jwks_uri": f"{self.issuer}/.well-known/jwks.json",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
        }

    def mint(
        self,
        *,
        sub: str,
        audience: str | None,
        expires_in: int = 300,
        issuer: str | None = None,
        client_id: str = "client_sandbox",
        tamper: bool = False,
        kid: str = KID,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer or self.issuer,
            "sub": sub,
            "iat": now,
            "exp": now + expires_in,
            "azp": client_id,
            "scope": "email profile",
        }
        if audience:
            claims["aud"] = audience
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": kid})
        if tamper:  # same signature, other claims: the signature check must catch it
            head, body, sig = token.split(".")
            forged = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            forged["sub"] = "user_intruder"
            body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{head}.{body}.{sig}"
        return token


def oauth_app(issuer: str) -> tuple[Starlette, AuthorizationServer]:
    """A Starlette app serving the authorization server's public documents and the minting control."""
    server = AuthorizationServer(issuer)

    async def jwks(_: Request) -> JSONResponse:
        server.jwks_fetches += 1
        if isinstance(server.jwks_document, bytes):
            return Response(server.jwks_document, media_type="application/json")
        return JSONResponse(server.jwks() if server.jwks_document is None else server.jwks_document)

    async def metadata(_: Request) -> JSONResponse:
        return JSONResponse(server.metadata())

    async def token(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"access_token": server.mint(**body), "token_type": "Bearer"})

    routes = [
        Route("/.well-known/jwks.json", jwks),
        Route("/.well-known/oauth-authorization-server", metadata),
        Route("/__sandbox/oauth/token", token, methods=["POST"]),
    ]
    return Starlette(routes=routes), server
