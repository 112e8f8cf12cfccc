"""Sign in with Clerk: our HTTP server as an OAuth resource server, with the sandbox as the authorization
server (its own signing key and JWKS): valid, expired, wrong-issuer, wrong-audience and tampered tokens."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from server_helpers import free_port, http_server

from clerk_mcp_setup.server.oauth import ClerkTokenVerifier
from clerk_mcp_setup.server.sandbox.oauth import AuthorizationServer, oauth_app
from clerk_mcp_setup.server.sandbox.serve import base_url, bind_socket, running_app, running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_oauthKEY0123456789"
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
LIST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}


@pytest.fixture(scope="module")
def issuer() -> Iterator[tuple[str, AuthorizationServer]]:
    """The sandbox's authorization server; its issuer URL is its own address, so the socket is bound first."""
    sock = bind_socket("127.0.0.1", 0)
    app, auth = oauth_app(base_url("127.0.0.1", sock.getsockname()[1]))
    with running_app(app, sock=sock) as url:
        yield url, auth


@pytest.fixture(scope="module")
def protected(issuer: tuple[str, AuthorizationServer]) -> Iterator[str]:
    """Our server in hosted mode, requiring a Clerk-issued JWT for /mcp."""
    with protected_server(issuer[0]) as resource:
        yield resource


@contextmanager
def protected_server(issuer_url: str) -> Iterator[str]:
    port = free_port()
    resource = f"http://127.0.0.1:{port}/mcp"
    oauth = ("--oauth-issuer", issuer_url, "--resource-url", resource)
    with (
        running_sandbox(secret_key=KEY) as api,
        http_server("--api-url", api, *oauth, env={"CLERK_SECRET_KEY": KEY}, port=port),
    ):
        yield resource


def call(resource: str, token: str | None) -> httpx.Response:
    headers = {**ACCEPT, **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.post(resource, json=LIST, headers=headers, timeout=10)


def test_metadata_and_challenge_start_the_sign_in(protected: str, issuer: tuple[str, AuthorizationServer]) -> None:
    challenge = call(protected, None)
    assert challenge.status_code == 401
    header = challenge.headers["WWW-Authenticate"]
    assert header.startswith("Bearer") and "resource_metadata=" in header
    metadata_url = header.split('resource_metadata="')[1].split('"')[0]
    metadata = httpx.get(metadata_url).json()
    assert metadata["resource"] == protected
    assert [a.rstrip("/") for a in metadata["authorization_servers"]] == [issuer[0]]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("valid", 200),
        ("expired", 401),
        ("wrong-issuer", 401),
        ("wrong-audience", 401),
        ("no-audience", 401),
        ("tampered", 401),
    ],
)
def test_tokens(protected: str, issuer: tuple[str, AuthorizationServer], case: str, expected: int) -> None:
    auth = issuer[1]
    token = {
        "valid": lambda: auth.mint(sub="user_2demoAmara", audience=protected),
        "expired": lambda: auth.mint(sub="user_2demoAmara", audience=protected, expires_in=-120),
        "wrong-issuer": lambda: auth.mint(sub="user_2demoAmara", audience=protected, issuer="https://evil.example"),
        # Same Clerk instance, same signing key, but issued for another application (or for none).
        "wrong-audience": lambda: auth.mint(sub="user_2demoAmara", audience="https://other.example/mcp"),
        "no-audience": lambda: auth.mint(sub="user_2demoAmara", audience=None),
        "tampered": lambda: auth.mint(sub="user_2demoAmara", audience=protected, tamper=True),
    }[case]()
    assert call(protected, token).status_code == expected


async def test_signed_in_user_becomes_the_acting_user(protected: str, issuer: tuple[str, AuthorizationServer]) -> None:
    token = issuer[1].mint(sub="user_2demoElif", audience=protected)
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
        Client(streamable_http_client(protected, http_client=http)) as client,
    ):
        result = await client.call_tool("getUserId", {})
    assert result.structured_content == {"user_id": "user_2demoElif"}


def test_oauth_issuer_without_resource_url_refuses_to_start(issuer: tuple[str, AuthorizationServer]) -> None:
    done = subprocess.run(
        [SERVER, "--transport", "http", "--port", "0", "--oauth-issuer", issuer[0]],
        env={**os.environ, "CLERK_SECRET_KEY": KEY},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--resource-url" in done.stderr and "audience" in done.stderr


def test_unknown_kids_cost_at_most_one_jwks_fetch(protected: str, issuer: tuple[str, AuthorizationServer]) -> None:
    auth = issuer[1]
    before = auth.jwks_fetches
    statuses = [
        call(protected, auth.mint(sub="user_2demoAmara", audience=protected, kid=f"bogus-{i}")).status_code
        for i in range(60)
    ]
    print(f"\n60 tokens with unknown kids: {statuses.count(401)} got 401, JWKS fetched {auth.jwks_fetches - before}x")
    assert statuses == [401] * 60
    assert auth.jwks_fetches - before <= 1
    assert call(protected, auth.mint(sub="user_2demoAmara", audience=protected)).status_code == 200


@pytest.mark.parametrize(
    "document",
    [
        [{"kty": "RSA"}],  # a list, not {"keys": [...]}
        {"keys": [{"kid": "sandbox-signing-1", "n": "abc", "e": "AQAB"}]},  # a key without kty
        {"keys": ["garbage", 42, None]},
        {"keys": "garbage"},
        b"<html>not json",
        "a string",
    ],
    ids=["list", "no-kty", "garbage-keys", "keys-not-a-list", "not-json", "string"],
)
async def test_a_malformed_jwks_refuses_the_token_never_500(
    issuer: tuple[str, AuthorizationServer], document: object, caplog: pytest.LogCaptureFixture
) -> None:
    """The verifier against the sandbox's JWKS endpoint serving garbage: the token is refused, with a log line."""
    url, auth = issuer
    auth.jwks_document = document
    try:
        verifier = ClerkTokenVerifier(url, "https://mcp.example/mcp")
        token = auth.mint(sub="user_2demoAmara", audience="https://mcp.example/mcp")
        with caplog.at_level(logging.INFO, logger="clerk_mcp_setup.server.oauth"):
            assert await verifier.verify_token(token) is None
    finally:
        auth.jwks_document = None
    assert any("JWKS" in r.getMessage() or "no JWKS key" in r.getMessage() for r in caplog.records)


def test_a_malformed_jwks_gives_401_over_http(issuer: tuple[str, AuthorizationServer]) -> None:
    url, auth = issuer
    auth.jwks_document = [{"kty": "RSA"}]
    try:
        with protected_server(url) as resource:
            response = call(resource, auth.mint(sub="user_2demoAmara", audience=resource))
    finally:
        auth.jwks_document = None
    assert response.status_code == 401


def test_the_audience_is_required_by_the_verifier() -> None:
    with pytest.raises(ValueError, match="audience"):
        ClerkTokenVerifier("https://clerk.example", "")
