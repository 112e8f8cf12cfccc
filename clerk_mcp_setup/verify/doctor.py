"""`clerk-mcp-setup doctor URL`: walk the chain a client follows to sign in to a remote MCP server and name the
first broken link with its fix.

Address (DNS, TCP, TLS) → HTTPS → the 401 challenge with `WWW-Authenticate` → protected-resource metadata
(RFC 9728: present, at the well-known path, naming this server) → authorization-server metadata (RFC 8414)
→ a way to register (dynamic client registration, or client ID metadata documents) → PKCE S256 → with a
stored sign-in, a token the server accepts, and the server's tools. Discovery URLs come from the MCP SDK's
own client helpers, so the doctor looks exactly where a client looks.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from clerk_mcp_setup.auth.probe import ACCEPT, INIT
from clerk_mcp_setup.auth.signin import DCR_FIX

Status = Literal["ok", "broken", "info"]


@dataclass
class Link:
    """One link of the chain: what was checked, what was found, and (when broken) how to fix it."""

    id: str
    status: Status
    detail: str
    fix: str | None = None


@dataclass
class Diagnosis:
    url: str
    links: list[Link] = field(default_factory=list)
    issuer: str | None = None
    sign_in: str = "not-needed"  # not-needed | required | signed-in | expired | revoked
    tools: list[str] | None = None

    @property
    def broken(self) -> Link | None:
        return next((link for link in self.links if link.status == "broken"), None)

    @property
    def ok(self) -> bool:
        return self.broken is None

    def to_dict(self) -> dict[str, Any]:
        broken = self.broken
        return {
            "url": self.url,
            "ok": self.ok,
            "broken": asdict(broken) if broken else None,
            "issuer": self.issuer,
            "sign_in": self.sign_in,
            "tools": self.tools,
            "links": [asdict(link) for link in self.links],
        }


class _Stop(Exception):
    """The chain is broken here; nothing further can be checked."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Doctor:
    def __init__(self, url: str, timeout: float, transport: httpx.BaseTransport | None) -> None:
        self.d = Diagnosis(url)
        self.url = url
        self.http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)

    def add(self, id: str, status: Status, detail: str, fix: str | None = None) -> None:
        self.d.links.append(Link(id, status, detail, fix))
        if status == "broken":
            raise _Stop

    def get_json(self, url: str) -> tuple[int, Any]:
        try:
            response = self.http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            return 0, str(exc)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    # ------------------------------------------------------------------ the chain
    def address(self) -> None:
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host:
            self.add(
                "url",
                "broken",
                f"{self.url!r} is not an http(s) URL",
                "Give the server's full URL, e.g. https://host/mcp",
            )
        if parts.scheme == "http" and not _is_loopback(host):
            self.add(
                "https",
                "broken",
                f"{host} is served over plain HTTP",
                "Use HTTPS: OAuth clients refuse to sign in over plain HTTP except on this machine (loopback). "
                "Put the server behind a TLS-terminating proxy and use its https:// URL.",
            )
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            self.add(
                "dns", "broken", f"{host} does not resolve ({exc.strerror or exc})", "Check the host name and your DNS."
            )
        self.add("address", "ok", f"{host} resolves" + ("" if parts.scheme == "http" else "; HTTPS"))

    def challenge(self) -> httpx.Response:
        host = urlsplit(self.url).netloc
        try:
            response = self.http.post(self.url, json=INIT, headers=ACCEPT)
        except httpx.ConnectError as exc:
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, ssl.SSLError) or "SSL" in str(exc) or "certificate" in str(exc):
                self.add(
                    "tls",
                    "broken",
                    f"TLS handshake with {host} failed: {exc}",
                    "The server's certificate must be valid for this host name (not self-signed or expired).",
                )
            self.add(
                "tcp",
                "broken",
                f"cannot connect to {host}: {exc}",
                "Is the server running and reachable from here (port, firewall, VPN)?",
            )
        except httpx.TimeoutException:
            self.add(
                "tcp", "broken", f"{host} did not answer in time", "Is the server running and reachable from here?"
            )
        except httpx.HTTPError as exc:
            self.add(
                "tcp",
                "broken",
                f"{host}: {type(exc).__name__}: {exc}",
                "Is the server running and reachable from here?",
            )
        if response.status_code != 401:
            if response.is_success:
                self.d.sign_in = "not-needed"
                self.add(
                    "challenge", "info", f"HTTP {response.status_code} without a sign-in: the server needs no OAuth"
                )
                return response
            self.add(
                "challenge",
                "broken",
                f"HTTP {response.status_code} instead of 401 for a request without a token",
                "An OAuth-protected MCP server must answer 401 with `WWW-Authenticate: Bearer resource_metadata=…`, "
                "which is what starts a client's sign-in (clerk-mcp-server --oauth-issuer, or the Clerk MCP "
                "helpers for your framework, do this).",
            )
        header = response.headers.get("www-authenticate", "")
        if not header.lower().startswith("bearer"):
            self.add(
                "challenge",
                "broken",
                "401 without a `WWW-Authenticate: Bearer …` header",
                'Answer 401 with `WWW-Authenticate: Bearer resource_metadata="<your protected-resource metadata '
                'URL>"`; clients do not start a sign-in without it.',
            )
        hint = _field(header, "resource_metadata")
        self.add(
            "challenge", "ok", "401 with WWW-Authenticate: Bearer" + (f" (resource_metadata {hint})" if hint else "")
        )
        return response

    def resource_metadata(self, response: httpx.Response) -> str:
        from mcp.client.auth.utils import build_protected_resource_metadata_discovery_urls
        from mcp.shared.auth import ProtectedResourceMetadata
        from mcp.shared.auth_utils import check_resource_allowed, resource_url_from_server_url

        hinted = _field(response.headers.get("www-authenticate", ""), "resource_metadata")
        candidates = build_protected_resource_metadata_discovery_urls(hinted, self.url)
        for url in candidates:
            status, body = self.get_json(url)
            if status == 200 and isinstance(body, dict):
                try:
                    prm = ProtectedResourceMetadata.model_validate(body)
                except ValueError:
                    self.add(
                        "resource",
                        "broken",
                        f"{url} is not valid protected-resource metadata",
                        "Publish RFC 9728 metadata: {resource, authorization_servers}.",
                    )
                expected = resource_url_from_server_url(self.url)
                if not check_resource_allowed(requested_resource=expected, configured_resource=str(prm.resource)):
                    self.add(
                        "resource",
                        "broken",
                        f"the protected-resource metadata at {url} names {prm.resource}, not {expected}",
                        "Clients refuse metadata for another server. Set `resource` to this server's own public "
                        "URL (clerk-mcp-server --resource-url URL; behind a proxy, the URL clients use).",
                    )
                if not prm.authorization_servers:
                    self.add(
                        "resource",
                        "broken",
                        f"{url} lists no authorization_servers",
                        "Name your Clerk instance's issuer (Frontend API URL).",
                    )
                issuer = str(prm.authorization_servers[0])
                self.add(
                    "resource",
                    "ok",
                    f"protected-resource metadata at {url}: resource {prm.resource}, authorization server {issuer}",
                )
                return issuer
        wrong = self._wrong_place(candidates)
        if wrong:
            self.add(
                "resource",
                "broken",
                f"protected-resource metadata is at {wrong}, where clients do not look",
                f"Serve it at {candidates[-2] if len(candidates) > 1 else candidates[-1]} (RFC 9728: the well-known "
                "path goes before the endpoint's path) or name it in the 401's resource_metadata parameter.",
            )
        self.add(
            "resource",
            "broken",
            "no protected-resource metadata (tried " + ", ".join(candidates) + ")",
            "Publish it at /.well-known/oauth-protected-resource/<path>, naming your Clerk instance as the "
            "authorization server; without it clients cannot find Clerk (which lives on another origin).",
        )
        raise AssertionError("unreachable")

    def _wrong_place(self, tried: list[str]) -> str | None:
        parts = urlsplit(self.url)
        base = f"{parts.scheme}://{parts.netloc}"
        for url in (
            f"{self.url.rstrip('/')}/.well-known/oauth-protected-resource",
            f"{base}/.well-known/oauth-protected-resource.json",
        ):
            if url in tried:
                continue
            status, body = self.get_json(url)
            if status == 200 and isinstance(body, dict) and "resource" in body:
                return url
        return None

    def authorization_server(self, issuer: str) -> dict[str, Any]:
        from mcp.client.auth.utils import build_oauth_authorization_server_metadata_discovery_urls

        self.d.issuer = issuer.rstrip("/")
        candidates = build_oauth_authorization_server_metadata_discovery_urls(issuer, self.url)
        for url in candidates:
            status, body = self.get_json(url)
            if status == 200 and isinstance(body, dict) and body.get("authorization_endpoint"):
                if str(body.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
                    self.add(
                        "authorization-server",
                        "broken",
                        f"{url} names issuer {body.get('issuer')}, not {issuer}",
                        "The resource metadata must name the authorization server's exact issuer URL.",
                    )
                self.add("authorization-server", "ok", f"metadata at {url}")
                return body
        self.add(
            "authorization-server",
            "broken",
            f"no authorization-server metadata for {issuer} (tried " + ", ".join(candidates) + ")",
            "Check that the protected-resource metadata names your Clerk instance's Frontend API URL exactly "
            "(Clerk Dashboard → API keys → Frontend API URL); it serves /.well-known/oauth-authorization-server.",
        )
        raise AssertionError("unreachable")

    def registration(self, asm: dict[str, Any]) -> None:
        if asm.get("registration_endpoint"):
            self.add("registration", "ok", f"dynamic client registration at {asm['registration_endpoint']}")
        elif asm.get("client_id_metadata_document_supported"):
            self.add("registration", "ok", "client ID metadata documents supported (no registration needed)")
        else:
            self.add(
                "registration",
                "broken",
                "no registration_endpoint and no client ID metadata document support: MCP clients cannot register",
                DCR_FIX,
            )

    def pkce(self, asm: dict[str, Any]) -> None:
        methods = asm.get("code_challenge_methods_supported") or []
        if "S256" not in methods:
            self.add(
                "pkce",
                "broken",
                f"code_challenge_methods_supported is {methods or 'absent'}: MCP clients require PKCE with S256",
                "Use an authorization server that supports PKCE S256 and advertises it (Clerk's does).",
            )
        self.add("pkce", "ok", "PKCE S256 supported")

    def signed_in(self, list_tools: Callable[[str], list[str]] | None, name: str | None) -> None:
        from clerk_mcp_setup.auth.store import VaultTokenStorage

        storage = VaultTokenStorage(self.url)
        state = storage.state()
        login = f"clerk-mcp-setup login {name or self.url}"
        if state.state in ("not-signed-in", "revoked"):
            self.d.sign_in = "required" if state.state == "not-signed-in" else "revoked"
            self.add("sign-in", "info", f"sign-in required, issuer {self.d.issuer}", f"Run: {login}")
            return
        self.d.sign_in = state.state
        tokens = storage.load().get("tokens") or {}
        if state.state == "signed-in":
            response = self.http.post(
                self.url, json=INIT, headers={**ACCEPT, "Authorization": f"Bearer {tokens.get('access_token', '')}"}
            )
            if response.status_code == 401:
                self.add(
                    "token",
                    "broken",
                    _token_refusal(tokens.get("access_token", ""), self.url),
                    "The server's --resource-url (its audience) must be the URL clients use, and tokens must be "
                    f"requested for that resource; then sign in again: {login}",
                )
            self.add("token", "ok", "the server accepts the stored token")
        if list_tools is not None:
            try:
                self.d.tools = list_tools(name or self.url)
            except Exception as exc:  # a typed sign-in error from auth.signin, or the transport's
                message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
                self.add("tools", "broken", message, getattr(exc, "hint", None) or f"Run: {login}")
            self.add(
                "tools",
                "ok",
                f"{len(self.d.tools)} tools: {', '.join(self.d.tools[:8])}{' …' if len(self.d.tools) > 8 else ''}",
            )


def _field(header: str, name: str) -> str | None:
    import re

    match = re.search(rf'{name}="([^"]*)"', header) or re.search(rf"{name}=([^\s,]+)", header)
    return match.group(1) if match else None


def _token_refusal(token: str, url: str) -> str:
    """Why the server refused a token we hold: its audience, read (unverified) from the JWT when it is one."""
    import jwt

    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "the server refuses the stored access token (HTTP 401)"
    aud = claims.get("aud")
    return f"the server refuses the stored token: its audience is {aud or 'absent'}, the server is {url}"


def signed_in_tools(url: str, name: str | None = None) -> list[str]:
    """The tools `url` lists with the stored sign-in (refreshed if needed; never opens a browser)."""
    import anyio

    from clerk_mcp_setup.auth.signin import list_tools

    async def run() -> list[str]:
        return await list_tools(url, interactive=False, name=name)

    return anyio.run(run)


def diagnose(
    url: str,
    *,
    name: str | None = None,
    timeout: float = 10.0,
    transport: httpx.BaseTransport | None = None,
    list_tools: Callable[[str], list[str]] | None = None,
) -> Diagnosis:
    """Check every link in order; stop at the first broken one."""
    doctor = Doctor(url, timeout, transport)
    if list_tools is None:
        list_tools = lambda label: signed_in_tools(url, name)  # noqa: E731
    try:
        doctor.address()
        response = doctor.challenge()
        if response.status_code == 401:
            issuer = doctor.resource_metadata(response)
            asm = doctor.authorization_server(issuer)
            doctor.registration(asm)
            doctor.pkce(asm)
            doctor.signed_in(list_tools, name)
    except _Stop:
        pass
    finally:
        doctor.http.close()
    return doctor.d


def render(d: Diagnosis) -> str:
    """The diagnosis as the CLI prints it."""
    marks = {"ok": "✔", "broken": "✘", "info": "·"}
    lines = [f"doctor {d.url}"]
    for link in d.links:
        lines.append(f"  {marks[link.status]} {link.id:<21} {link.detail}")
        if link.fix and link.status != "ok":
            lines.append(f"    fix: {link.fix}")
    broken = d.broken
    if broken:
        lines.append(f"First broken link: {broken.id}.")
    elif d.sign_in in ("required", "revoked"):
        lines.append(f"All links hold; sign-in required (issuer {d.issuer}).")
    else:
        lines.append("All links hold." + (f" {len(d.tools)} tools listed." if d.tools is not None else ""))
    return "\n".join(lines)
