"""Sign in to a remote MCP server with the MCP SDK's OAuth client, and keep the tokens in the vault.

The SDK does the protocol (protected-resource and authorization-server discovery, dynamic client
registration or a client ID metadata document, authorization code with PKCE S256 and the `resource`
indicator, refresh). This module supplies what it leaves to the application: the loopback redirect, the
browser, a vault-backed store, restoring what a new process needs to refresh, and errors a person can act on.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx2
from mcp.client.auth import OAuthClientProvider
from mcp.client.auth.exceptions import OAuthFlowError, OAuthRegistrationError, OAuthTokenError
from mcp.shared.auth import OAuthClientMetadata

from clerk_mcp_setup.auth.loopback import LoopbackCallback, SignInError, open_browser
from clerk_mcp_setup.auth.store import VaultTokenStorage
from clerk_mcp_setup.errors import ClerkMcpError

DEFAULT_TIMEOUT = 300.0
DCR_FIX = (
    "Turn on Dynamic client registration in the Clerk Dashboard → OAuth applications "
    "(or ask the server's owner to), then sign in again."
)


class SignInRequired(ClerkMcpError):
    """The server needs a sign-in that cannot happen here (no browser allowed, or a revoked refresh token)."""

    def __init__(self, message: str, hint: str | None = None, issuer: str | None = None) -> None:
        super().__init__(message, hint)
        self.issuer = issuer


def login_hint(name: str | None) -> str:
    return f"Run: clerk-mcp-setup login {name or 'NAME'}"


class _NoBrowser:
    """The callback of a provider that only checks: it never gets as far as a browser."""

    redirect_uri = "http://127.0.0.1/callback"

    async def wait(self, timeout: float) -> Any:
        raise SignInRequired("Sign-in needed.")


class StoredOAuthProvider(OAuthClientProvider):
    """The SDK's provider, restoring from the vault what a fresh process needs to refresh a token."""

    def __init__(
        self,
        url: str,
        storage: VaultTokenStorage,
        callback: LoopbackCallback,
        *,
        interactive: bool,
        timeout: float,
        name: str | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        metadata = OAuthClientMetadata(
            client_name="Clerk MCP (clerk-mcp-setup)",
            redirect_uris=[callback.redirect_uri],  # type: ignore[list-item]
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        )
        super().__init__(url, metadata, storage, redirect_handler=self._redirect, callback_handler=self._callback)
        self.storage = storage
        self.callback = callback
        self.interactive = interactive
        self.timeout = timeout
        self.name = name
        self.say = say or (lambda text: print(f"clerk-mcp: {text}", file=sys.stderr, flush=True))
        self.refresh_refused = False
        self.authorized = False

    @classmethod
    def checking(cls, url: str, storage: VaultTokenStorage, name: str | None = None) -> StoredOAuthProvider:
        """A provider that uses and refreshes the stored sign-in but never starts a new one."""
        return cls(url, storage, _NoBrowser(), interactive=False, timeout=0, name=name)  # type: ignore[arg-type]

    async def _initialize(self) -> None:
        await super()._initialize()
        if self.context.current_tokens is not None:
            expires = self.storage.expiry()
            if expires is not None:
                self.context.token_expiry_time = expires
            asm, prm = self.storage.metadata()
            self.context.oauth_metadata = self.context.oauth_metadata or asm
            self.context.protected_resource_metadata = self.context.protected_resource_metadata or prm

    async def _handle_token_response(self, response: httpx2.Response) -> None:
        await super()._handle_token_response(response)
        self.storage.set_metadata(self.context.oauth_metadata, self.context.protected_resource_metadata)

    async def _handle_refresh_response(self, response: httpx2.Response) -> bool:
        ok = await super()._handle_refresh_response(response)
        if not ok:
            self.refresh_refused = True
            self.storage.drop_tokens(revoked=True)
        return ok

    async def _redirect(self, authorization_url: str) -> None:
        if not self.interactive:
            where = urlsplit(self.context.server_url).netloc
            issuer = (self.context.auth_server_url or "").rstrip("/") or None
            if self.refresh_refused:
                raise SignInRequired(
                    f"Your sign-in to {where} has expired or was revoked (the refresh token was refused).",
                    login_hint(self.name),
                    issuer,
                )
            raise SignInRequired(
                f"{where} needs you to sign in first (sign-in required, issuer {issuer}).",
                login_hint(self.name),
                issuer,
            )
        if self.authorized:  # a token just issued was refused at once: another sign-in would loop
            raise SignInError(
                "The server refused the token its authorization server had just issued.",
                f"Run: clerk-mcp-setup doctor {self.context.server_url} (often the token's audience is not the "
                "server's resource URL).",
            )
        self.authorized = True
        self.say(f"opening your browser to sign in to {urlsplit(authorization_url).netloc} …")
        self.say(f"if it does not open, visit: {authorization_url}")
        open_browser(authorization_url)

    async def _callback(self) -> Any:
        return await self.callback.wait(self.timeout)


async def require_sign_in(url: str, storage: VaultTokenStorage, name: str | None = None) -> None:
    """Raise `SignInRequired` (naming the issuer) when nothing is stored for `url`: a check must not register a
    client or open a browser."""
    if storage.load().get("tokens"):
        return
    from clerk_mcp_setup.auth.probe import issuer_of

    issuer = await issuer_of(url)
    where = urlsplit(url).netloc
    if issuer is None:
        return  # not an OAuth server as far as we can tell: let the request show what it is
    revoked = storage.state().state == "revoked"
    message = (
        f"Your sign-in to {where} has expired or was revoked."
        if revoked
        else f"{where} needs you to sign in first (sign-in required, issuer {issuer})."
    )
    raise SignInRequired(message, login_hint(name or url), issuer)


def _callback_port(storage: VaultTokenStorage) -> int:
    """Reuse the port of the registered redirect URI, so an authorization server that matches it exactly
    still accepts this client; a free one (and a fresh registration) when that port is taken."""
    client = storage.load().get("client") or {}
    uris = client.get("redirect_uris") or []
    port = urlsplit(uris[0]).port if uris else None
    return port or 0


@asynccontextmanager
async def authed_http(
    url: str,
    storage: VaultTokenStorage | None = None,
    *,
    interactive: bool,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    headers: dict[str, str] | None = None,
    say: Callable[[str], None] | None = None,
) -> AsyncIterator[httpx2.AsyncClient]:
    """An HTTP client that signs in to `url` when it answers 401 (and refreshes), tokens in the vault."""
    storage = storage or VaultTokenStorage(url)
    if not interactive:
        await require_sign_in(url, storage, name)
    wanted = _callback_port(storage)
    callback = LoopbackCallback(wanted)
    if wanted and callback.port != wanted:
        record = storage.load()
        record.pop("client", None)
        storage.save(record)
    provider = StoredOAuthProvider(url, storage, callback, interactive=interactive, timeout=timeout, name=name, say=say)
    try:
        async with httpx2.AsyncClient(auth=provider, headers=headers or {}, timeout=30.0) as http:
            yield http
    finally:
        callback.close()


def explain(exc: BaseException, name: str | None = None) -> ClerkMcpError | None:
    """The sign-in error inside `exc` (which may be an exception group), as one a person can act on."""
    found = _find(exc, (ClerkMcpError, OAuthRegistrationError, OAuthTokenError, OAuthFlowError))
    if found is None or isinstance(found, ClerkMcpError):
        return found
    text = str(found)
    if isinstance(found, OAuthRegistrationError):
        return SignInError(f"The authorization server refused to register this client ({text}).", DCR_FIX)
    if isinstance(found, OAuthTokenError) and "invalid_grant" in text:
        return SignInRequired("The authorization server refused the sign-in (invalid_grant).", login_hint(name))
    if "does not match expected" in text:
        return SignInError(
            f"The server's protected-resource metadata names another server: {text}.",
            "The server's owner must publish its own /mcp URL as `resource` (clerk-mcp-server --resource-url).",
        )
    return SignInError(
        f"Sign-in failed: {text}.", "Run clerk-mcp-setup doctor for the server to see which link breaks."
    )


def _find(exc: BaseException, types: tuple[type[BaseException], ...]) -> BaseException | None:
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, types):
            return current
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
    return None


@dataclass(frozen=True)
class LoginResult:
    url: str
    tools: list[str]
    issuer: str | None


async def login(
    url: str, *, name: str | None = None, timeout: float = DEFAULT_TIMEOUT, say: Callable[[str], None] | None = None
) -> LoginResult:
    """Sign in afresh (the browser opens), keep the tokens in the vault, and list the server's tools."""
    storage = VaultTokenStorage(url)
    storage.drop_tokens()
    tools = await list_tools(url, storage=storage, interactive=True, name=name, timeout=timeout, say=say)
    return LoginResult(url, tools, storage.state().issuer)


async def list_tools(
    url: str,
    *,
    storage: VaultTokenStorage | None = None,
    interactive: bool = False,
    name: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    say: Callable[[str], None] | None = None,
) -> list[str]:
    """The tool names `url` lists to a signed-in client; typed errors for every sign-in failure."""
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    try:
        async with (
            authed_http(url, storage, interactive=interactive, name=name, timeout=timeout, say=say) as http,
            Client(streamable_http_client(url, http_client=http)) as client,
        ):
            result = await client.list_tools()
    except Exception as exc:
        explained = explain(exc, name)
        if explained is not None:
            raise explained from None
        raise
    return [tool.name for tool in result.tools]


def logout(url: str) -> bool:
    """Forget the tokens and the registration for `url`; False when there were none."""
    return VaultTokenStorage(url).forget()
