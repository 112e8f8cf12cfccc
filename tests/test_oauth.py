"""Sign in with Clerk: our HTTP server as an OAuth resource server, with the sandbox as the authorization
server (its own signing key and JWKS): valid, expired, wrong-issuer, wrong-audience and tampered tokens."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

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
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    resource = f"http://127.0.0.1:{port}/mcp"
    with running_sandbox(secret_key=KEY) as api:
        proc = subprocess.Popen(
            [
                SERVER,
                "--transport",
                "http",
                "--port",
                str(port),
                "--api-url",
                api,
                "--audit-log",
                "off",
                "--oauth-issuer",
                issuer[0],
                "--resource-url",
                resource,
            ],
            env={**os.environ, "CLERK_SECRET_KEY": KEY},
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield resource
        finally:
            proc.terminate()
            proc.wait(timeout=10)


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
    [("valid", 200), ("expired", 401), ("wrong-issuer", 401), ("wrong-audience", 401), ("tampered", 401)],
)
def test_tokens(protected: str, issuer: tuple[str, AuthorizationServer], case: str, expected: int) -> None:
    auth = issuer[1]
    token = {
        "valid": lambda: auth.mint(sub="user_2demoAmara", audience=protected),
        "expired": lambda: auth.mint(sub="user_2demoAmara", audience=protected, expires_in=-120),
        "wrong-issuer": lambda: auth.mint(sub="user_2demoAmara", audience=protected, issuer="https://evil.example"),
        "wrong-audience": lambda: auth.mint(sub="user_2demoAmara", audience="https://other.example/mcp"),
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
