"""Streamable HTTP mode for teams, on the MCP SDK's Starlette app: hosted or public, safe by default, stateless.

Hosted mode: the server holds one Clerk key. Public mode: each request brings its own key in
`X-Clerk-Secret-Key` and gets its own API client for that call only. The SDK's stateless transport keeps no
per-session memory, so several workers or replicas can sit behind any load balancer; a 2026 elicitation
round's `requestState` is signed with a key derived from the Clerk key (any worker checks it) and claimed once
in a state file the machine's workers share (confirm.py).
"""

from __future__ import annotations

import hmac
import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from clerk_mcp_setup import __version__
from clerk_mcp_setup.secrets import KEY_RE
from clerk_mcp_setup.server.api import ClerkAPI, ClerkAPIError
from clerk_mcp_setup.server.slow import DEFAULT_READ_TIMEOUT, BodyProblem, read_body, replay, uvicorn_options

KEY_HEADER = "x-clerk-secret-key"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class HttpOptions:
    """How the HTTP face is exposed; every default is the safe one."""

    host: str = "127.0.0.1"
    port: int = 8000
    auth_token: str | None = None
    allowed_origins: list[str] = field(default_factory=list)
    allowed_hosts: list[str] = field(default_factory=list)
    max_body_bytes: int = 1_000_000
    max_concurrency: int = 64
    read_timeout: float = DEFAULT_READ_TIMEOUT  # seconds for a request's headers, and again for its body
    health_ttl: float = 30.0
    oauth_issuer: str | None = None
    resource_url: str | None = None

    def exposed_without_protection(self) -> bool:
        return self.host not in LOOPBACK and not self.auth_token and not self.oauth_issuer


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


class Gate:
    """ASGI middleware in front of `/mcp`: bearer token, (public mode) a key per request, the whole body read
    within the read timeout, and only then a concurrency slot (slow.py).

    Each refusal is a clear JSON error with the HTTP status a client expects; no header value is ever logged.
    """

    def __init__(self, app: ASGIApp, options: HttpOptions, public: bool) -> None:
        self.app = app
        self.options = options
        self.public = public
        self.limiter = anyio.Semaphore(max(1, options.max_concurrency))
        self.expected = f"Bearer {options.auth_token}".encode() if options.auth_token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/mcp"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v for k, v in scope.get("headers", [])}
        refusal = self._refusal(headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if scope.get("method") == "POST":  # the whole body first, so a slow sender never holds a slot
            try:
                body = await read_body(receive, self.options.read_timeout, self.options.max_body_bytes)
            except BodyProblem as exc:
                error = "request_timeout" if exc.status == 408 else "body_too_large"
                await _json(exc.status, {"error": error, "message": exc.message}, {"Connection": "close"})(
                    scope, receive, send
                )
                return
            if body is None:
                return
            receive = replay(body, receive)
        if self.limiter.value == 0:
            await _json(
                503, {"error": "busy", "message": "Too many requests in flight; retry shortly."}, {"Retry-After": "1"}
            )(scope, receive, send)
            return
        async with self.limiter:
            await self.app(scope, receive, send)

    def _refusal(self, headers: dict[str, bytes]) -> JSONResponse | None:
        if self.expected is not None:
            given = headers.get("authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                return _json(
                    401,
                    {
                        "error": "unauthorized",
                        "message": "This server requires its bearer token (Authorization: Bearer …).",
                    },
                    {"WWW-Authenticate": 'Bearer realm="clerk-mcp"'},
                )
        if self.public:
            key = headers.get(KEY_HEADER, b"").decode("latin-1").strip()
            if not key:
                return _json(
                    401,
                    {
                        "error": "missing_secret_key",
                        "message": "This server runs in public mode: send "
                        "your Clerk secret key in the X-Clerk-Secret-Key header.",
                    },
                )
            if not KEY_RE.match(key):
                return _json(
                    401,
                    {
                        "error": "invalid_secret_key",
                        "message": "X-Clerk-Secret-Key is not a Clerk secret key (sk_test_… or sk_live_…).",
                    },
                )
        return None


class Health:
    """`GET /health`: mode, version and (hosted) whether Clerk accepts the key, cached for a short while."""

    def __init__(self, config: Any, options: HttpOptions) -> None:
        self.config = config
        self.options = options
        self.cached: tuple[float, dict[str, Any]] | None = None

    async def endpoint(self, request: Request) -> JSONResponse:
        if not self.config.secret_key:
            return _json(200, {"status": "ok", "mode": "public", "clerkConnected": None, "version": __version__})
        now = time.monotonic()
        if self.cached and now - self.cached[0] < self.options.health_ttl:
            return _json(200, self.cached[1])
        body: dict[str, Any] = {"status": "ok", "mode": "hosted", "clerkConnected": True, "version": __version__}
        api = ClerkAPI(
            self.config.secret_key, self.config.api_url, timeout=10, max_retries=0, transport=self.config.transport
        )
        try:
            await api.request("GET", "/users/count")
        except ClerkAPIError as exc:
            body |= {"status": "degraded", "clerkConnected": False, "error": f"{exc.status or exc.code}: {exc.message}"}
        finally:
            await api.aclose()
        self.cached = (now, body)
        return _json(200, body)


def create_app(config: Any, options: HttpOptions) -> Starlette:
    """The ASGI app: `/mcp` (streamable HTTP, stateless, JSON responses) behind the gate, and `/health`."""
    from mcp.server.transport_security import TransportSecuritySettings

    from clerk_mcp_setup.server.app import build_server

    public = not config.secret_key
    server = build_server(config, public=public, http=True)
    hosts = options.allowed_hosts or ([f"{options.host}:*"] if options.host not in ("0.0.0.0", "::") else [])
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*", *hosts],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*", *options.allowed_origins],
    )
    auth_kwargs: dict[str, Any] = {}
    if options.oauth_issuer:
        from clerk_mcp_setup.server.oauth import auth_settings, verifier

        auth_kwargs = {
            "auth": auth_settings(options.oauth_issuer, options.resource_url or ""),
            "token_verifier": verifier(options.oauth_issuer, options.resource_url or ""),
        }
    app = server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        transport_security=security,
        max_request_body_size=options.max_body_bytes,
        host=options.host,
        custom_starlette_routes=[Route("/health", Health(config, options).endpoint, methods=["GET"])],
        **auth_kwargs,
    )
    app.add_middleware(Gate, options=options, public=public)
    return app


# ----------------------------------------------------------------------- workers: configuration through env

ENV_CONFIG = "CLERK_MCP_HTTP_CONFIG"


def app_from_env() -> Starlette:
    """ASGI factory for `uvicorn --factory clerk_mcp_setup.server.http:app_from_env --workers N`.

    Reads the same options `clerk-mcp-server --transport http` takes, passed as JSON in $CLERK_MCP_HTTP_CONFIG
    (the CLI sets it for its workers), with the key from $CLERK_SECRET_KEY so it never sits in the JSON.
    """
    from clerk_mcp_setup.server.app import configure_logging
    from clerk_mcp_setup.server.cli import build_parser, http_setup

    argv = json.loads(os.environ.get(ENV_CONFIG, "[]"))
    args = build_parser().parse_args(["--transport", "http", *argv])
    config, options = http_setup(args)
    uvicorn_options(options.read_timeout)  # this worker's header deadline
    configure_logging(args.verbose, tuple(s for s in (config.secret_key, options.auth_token) if s))
    return create_app(config, options)


def warn_if_exposed(options: HttpOptions) -> None:
    if options.exposed_without_protection():
        print(
            f"clerk-mcp-server: WARNING: listening on {options.host} without --auth-token or --oauth-issuer: anyone "
            "who can reach this port can use the Clerk key. Bind to 127.0.0.1 or add protection.",
            file=sys.stderr,
        )
