"""The sandbox as a whole Clerk-protected MCP server: the authorization server's flow (dynamic client
registration, authorize with automatic consent, token with a PKCE check, refresh, revocation, RFC 9207 `iss`
in the redirect) in front of our own HTTP server in OAuth mode, on one origin.

Switches break one link of the sign-in chain each (DCR off, protected-resource metadata missing / at the
wrong path / naming another resource, no authorization-server metadata, no S256, tokens for another
audience, no 401 challenge), so `doctor`, the bridge and real clients can be tested offline against each.

Hand-written on purpose: it is a test double whose whole point is to misbehave on demand, which a real
authorization-server library (authlib) would fight; the signing itself is pyjwt's (`oauth.AuthorizationServer`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .oauth import AuthorizationServer

PRM_PATH = "/.well-known/oauth-protected-resource/mcp"
WRONG_PRM_PATH = "/mcp/.well-known/oauth-protected-resource"  # a common mistake: under the endpoint
OTHER_AUDIENCE = "https://other.example/mcp"
SANDBOX_USER = "user_2demoAmara"


@dataclass
class Switches:
    """One switch per link of the chain; the defaults make a healthy server."""

    dcr: bool = True  # registration_endpoint advertised and served
    cimd: bool = False  # client_id_metadata_document_supported advertised
    prm: str = "ok"  # ok | missing | wrong-path | wrong-resource
    as_metadata: bool = True  # /.well-known/oauth-authorization-server served
    s256: bool = True  # code_challenge_methods_supported includes S256
    audience: str = "ok"  # ok | wrong (tokens name another resource)
    challenge: str = "ok"  # ok | none (no 401 at all) | no-header (401 without WWW-Authenticate)
    iss: bool = True  # RFC 9207 iss in the authorization response
    access_ttl: int = 300  # seconds an access token lives

    def update(self, data: dict[str, Any]) -> None:
        names = {f.name for f in fields(self)}
        for key, value in data.items():
            if key not in names:
                raise ValueError(f"unknown switch {key!r}")
            setattr(self, key, value)


@dataclass
class FlowState:
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


def _error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _loopback_match(registered: str, given: str) -> bool:
    """RFC 8252 §7.3: for a loopback redirect URI the port may differ from the registered one."""
    if registered == given:
        return True
    a, b = urlsplit(registered), urlsplit(given)
    return a.hostname in ("127.0.0.1", "localhost", "::1") and (a.scheme, a.hostname, a.path) == (
        b.scheme,
        b.hostname,
        b.path,
    )


class Flow:
    """The authorization server's endpoints, reading the switches on every request."""

    def __init__(self, signer: AuthorizationServer, resource: str, switches: Switches) -> None:
        self.signer = signer
        self.issuer = signer.issuer
        self.resource = resource
        self.switches = switches
        self.state = FlowState()

    def metadata(self) -> dict[str, Any]:
        data = self.signer.metadata()
        data["revocation_endpoint"] = f"{self.issuer}/oauth/revoke"
        data["token_endpoint_auth_methods_supported"] = ["none", "client_secret_post"]
        data["authorization_response_iss_parameter_supported"] = self.switches.iss
        if not self.switches.dcr:
            data.pop("registration_endpoint", None)
        if self.switches.cimd:
            data["client_id_metadata_document_supported"] = True
        if not self.switches.s256:
            data["code_challenge_methods_supported"] = ["plain"]
        return data

    def prm(self) -> dict[str, Any]:
        resource = OTHER_AUDIENCE if self.switches.prm == "wrong-resource" else self.resource
        return {"resource": resource, "authorization_servers": [self.issuer], "bearer_methods_supported": ["header"]}

    async def as_metadata(self, _: Request) -> Response:
        if not self.switches.as_metadata:
            return _error(404, "not_found", "no authorization server metadata here")
        return JSONResponse(self.metadata())

    async def register(self, request: Request) -> Response:
        if not self.switches.dcr:
            return _error(404, "not_found", "dynamic client registration is off")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "invalid_client_metadata", "body is not JSON")
        uris = body.get("redirect_uris") or []
        if not uris or not all(isinstance(u, str) for u in uris):
            return _error(400, "invalid_redirect_uri", "redirect_uris is required")
        client_id = "client_" + secrets.token_hex(8)
        method = body.get("token_endpoint_auth_method") or "client_secret_post"
        record = {
            **body,
            "client_id": client_id,
            "client_id_issued_at": int(time.time()),
            "redirect_uris": uris,
            "token_endpoint_auth_method": method,
            "grant_types": body.get("grant_types") or ["authorization_code", "refresh_token"],
            "response_types": ["code"],
        }
        if method != "none":
            record["client_secret"] = "cs_" + secrets.token_hex(16)
            record["client_secret_expires_at"] = 0
        self.state.clients[client_id] = record
        self.state.count("register")
        return JSONResponse(record, status_code=201)

    async def authorize(self, request: Request) -> Response:
        """Automatic consent: a signed-in sandbox user approves at once, straight back to the client."""
        q = request.query_params
        client = self.state.clients.get(q.get("client_id", ""))
        if client is None:
            return _error(400, "invalid_client", "unknown client_id")
        redirect = q.get("redirect_uri") or client["redirect_uris"][0]
        if not any(_loopback_match(r, redirect) for r in client["redirect_uris"]):
            return _error(400, "invalid_request", "redirect_uri is not registered for this client")
        if q.get("response_type") != "code":
            return _error(400, "unsupported_response_type", "only code")
        if not q.get("code_challenge") or q.get("code_challenge_method") != "S256":
            return _error(400, "invalid_request", "PKCE with S256 is required")
        code = "code_" + secrets.token_urlsafe(24)
        self.state.codes[code] = {
            "client_id": client["client_id"],
            "redirect_uri": redirect,
            "challenge": q["code_challenge"],
            "resource": q.get("resource"),
            "scope": q.get("scope", ""),
            "expires": time.time() + 120,
        }
        self.state.count("authorize")
        params = {"code": code, **({"state": q["state"]} if "state" in q else {})}
        if self.switches.iss:
            params["iss"] = self.issuer
        sep = "&" if "?" in redirect else "?"
        return RedirectResponse(f"{redirect}{sep}{urlencode(params)}", status_code=302)

    def _client_ok(self, form: Any, request: Request) -> dict[str, Any] | None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                return None
        client = self.state.clients.get(client_id or "")
        if client is None:
            return None
        if client["token_endpoint_auth_method"] != "none" and not secrets.compare_digest(
            str(secret or ""), client.get("client_secret", "")
        ):
            return None
        return client

    def _tokens(self, client_id: str, resource: str | None, scope: str, refresh: str | None = None) -> dict[str, Any]:
        audience = OTHER_AUDIENCE if self.switches.audience == "wrong" else (resource or self.resource)
        access = self.signer.mint(
            sub=SANDBOX_USER, audience=audience, expires_in=self.switches.access_ttl, client_id=client_id
        )
        if refresh is None:
            refresh = "rt_" + secrets.token_urlsafe(24)
            self.state.refresh[refresh] = {"client_id": client_id, "resource": resource, "scope": scope}
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.switches.access_ttl,
            "refresh_token": refresh,
            **({"scope": scope} if scope else {}),
        }

    async def token(self, request: Request) -> Response:
        form = await request.form()
        client = self._client_ok(form, request)
        if client is None:
            return _error(401, "invalid_client", "unknown client or wrong secret")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            code = self.state.codes.pop(str(form.get("code", "")), None)
            if code is None or code["expires"] < time.time() or code["client_id"] != client["client_id"]:
                return _error(400, "invalid_grant", "unknown or used authorization code")
            if form.get("redirect_uri") != code["redirect_uri"]:
                return _error(400, "invalid_grant", "redirect_uri differs from the authorization request")
            verifier = str(form.get("code_verifier", ""))
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not verifier or not secrets.compare_digest(digest, code["challenge"]):
                return _error(400, "invalid_grant", "PKCE verification failed")
            self.state.count("token")
            return JSONResponse(self._tokens(client["client_id"], code["resource"], code["scope"]))
        if grant == "refresh_token":
            refresh = str(form.get("refresh_token", ""))
            held = self.state.refresh.get(refresh)
            if held is None or held["client_id"] != client["client_id"]:
                return _error(400, "invalid_grant", "refresh token is unknown or revoked")
            self.state.count("refresh")
            return JSONResponse(self._tokens(client["client_id"], held["resource"], held["scope"], refresh))
        return _error(400, "unsupported_grant_type", f"grant_type {grant!r}")

    async def revoke(self, request: Request) -> Response:
        """RFC 7009: always 200, whether or not the token was known."""
        form = await request.form()
        self.state.refresh.pop(str(form.get("token", "")), None)
        self.state.count("revoke")
        return Response(status_code=200)

    async def control(self, request: Request) -> Response:
        """Test control: GET the switches and counters, POST {switches…} or {"revoke_all": true}."""
        if request.method == "POST":
            body = await request.json()
            if body.pop("revoke_all", False):
                self.state.refresh.clear()
            try:
                self.switches.update(body)
            except ValueError as exc:
                return _error(400, "invalid_request", str(exc))
        return JSONResponse({"switches": self.switches.__dict__, "counts": self.state.counts})


class ProtectedMcp:
    """One origin: the authorization server's routes, the resource metadata per switch, and `/mcp`."""

    def __init__(self, flow: Flow, mcp_app: ASGIApp) -> None:
        self.flow = flow
        self.mcp_app = mcp_app
        self.routes = {
            "/.well-known/oauth-authorization-server": (flow.as_metadata, ("GET",)),
            "/.well-known/jwks.json": (self._jwks, ("GET",)),
            "/oauth/register": (flow.register, ("POST",)),
            "/oauth/authorize": (flow.authorize, ("GET",)),
            "/oauth/token": (flow.token, ("POST",)),
            "/oauth/revoke": (flow.revoke, ("POST",)),
            "/__sandbox/oauth": (flow.control, ("GET", "POST")),
        }

    async def _jwks(self, _: Request) -> Response:
        return JSONResponse(self.flow.signer.jwks())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.mcp_app(scope, receive, send)
            return
        path = scope["path"]
        sw = self.flow.switches
        if path in self.routes:
            handler, methods = self.routes[path]
            request = Request(scope, receive)
            response = await handler(request) if request.method in methods else _error(405, "invalid_request", "method")
            await response(scope, receive, send)
            return
        if path.startswith("/.well-known/oauth-protected-resource") or path == WRONG_PRM_PATH:
            served_at = {"ok": PRM_PATH, "wrong-resource": PRM_PATH, "wrong-path": WRONG_PRM_PATH}.get(sw.prm)
            response = JSONResponse(self.flow.prm()) if path == served_at else _error(404, "not_found", "no metadata")
            await response(scope, receive, send)
            return
        if path.startswith("/mcp") and sw.challenge == "none" and not _has_bearer(scope):
            await JSONResponse({"error": "forbidden", "detail": "sign in first"}, status_code=403)(scope, receive, send)
            return
        await self.mcp_app(scope, receive, self._challenge_filter(send))

    def _challenge_filter(self, send: Send) -> Send:
        """Rewrite the resource server's 401 challenge per switch (drop the header, or its metadata hint)."""
        sw = self.flow.switches

        async def filtered(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                headers = []
                for name, value in message.get("headers", []):
                    if name.lower() == b"www-authenticate":
                        if sw.challenge == "no-header":
                            continue
                        if sw.prm != "ok":
                            value = b'Bearer error="invalid_token", error_description="Authentication required"'
                    headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        return filtered


def _has_bearer(scope: Scope) -> bool:
    return any(n == b"authorization" and v.lower().startswith(b"bearer ") for n, v in scope.get("headers", []))


def protected_app(base: str, switches: Switches | None = None, secret_key: str = "sk_test_oauthSandbox0000") -> Any:
    """The whole protected server at `base` (its own origin): Clerk's API from an in-process sandbox,
    our MCP server in OAuth mode at `/mcp` trusting this origin as issuer."""
    import httpx

    from clerk_mcp_setup.scope import resolve
    from clerk_mcp_setup.server.app import ServerConfig
    from clerk_mcp_setup.server.http import HttpOptions, create_app

    from . import create_app as create_sandbox

    switches = switches or Switches()
    resource = f"{base}/mcp"
    signer = AuthorizationServer(base)
    flow = Flow(signer, resource, switches)
    port = urlsplit(base).port or 80
    config = ServerConfig(
        tools=resolve(None),
        secret_key=secret_key,
        api_url="http://sandbox.invalid",
        user_id=None,
        demo=False,
        audit_log="off",
        transport=httpx.ASGITransport(app=create_sandbox(secret_key=secret_key)),
    )
    options = HttpOptions(host="127.0.0.1", port=port, oauth_issuer=base, resource_url=resource)
    app = ProtectedMcp(flow, create_app(config, options))
    return app


@contextmanager
def running_protected(switches: Switches | None = None) -> Iterator[tuple[str, Flow]]:
    """Serve `protected_app` on a free loopback port; yield (its /mcp URL, the flow for inspection)."""
    from .serve import base_url, bind_socket, running_app

    sock: socket.socket = bind_socket("127.0.0.1", 0)
    base = base_url("127.0.0.1", sock.getsockname()[1])
    app = protected_app(base, switches)
    with running_app(app, sock=sock, lifespan="on") as url:
        yield f"{url}/mcp", app.flow


def dump_switches(switches: Switches) -> str:
    return json.dumps(switches.__dict__, sort_keys=True)
