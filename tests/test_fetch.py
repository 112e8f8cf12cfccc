"""Image URLs a model chooses cannot reach the operator's network: the real server over stdio with the `mcp`
client, a listener on 127.0.0.1 that must never see a TCP connection, and an allowed image host that
redirects, lies about content types and sends too much."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters

from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_fetchKEY0123456789"
USER = DEMO_IDS["user"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


class Listener:
    """A TCP port on 127.0.0.1 that records every connection it is offered (it should get none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    trap = Listener()
    yield trap
    trap.close()


def image_host(trap_port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def _headers(self, status: int, kind: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()

        def do_GET(self) -> None:
            port = self.server.server_address[1]
            if self.path == "/ok.png":
                self._headers(200, "image/png", {"Content-Length": str(len(PNG))})
                self.wfile.write(PNG)
            elif self.path == "/to-loopback-http":
                self._headers(302, "text/plain", {"Location": f"http://127.0.0.1:{trap_port}/x.png"})
            elif self.path == "/to-loopback-https":
                self._headers(302, "text/plain", {"Location": f"https://localhost:{trap_port}/x.png"})
            elif self.path == "/to-metadata":
                self._headers(301, "text/plain", {"Location": "https://169.254.169.254/latest/meta-data/"})
            elif self.path.startswith("/hop"):
                n = int(self.path[4:] or 0)
                self._headers(302, "text/plain", {"Location": f"http://127.0.0.1:{port}/hop{n + 1}"})
            elif self.path == "/page":
                self._headers(200, "text/html; charset=utf-8")
                self.wfile.write(b"<html>internal admin panel SECRET-BODY</html>")
            elif self.path == "/missing":
                self._headers(418, "image/png")
            elif self.path == "/huge":  # no Content-Length: only counting the stream catches it
                self._headers(200, "image/png")
                chunk = b"\0" * 65536
                try:
                    for _ in range(11 * 16 + 1):
                        self.wfile.write(chunk)
                except OSError:
                    pass
            elif self.path == "/huge-declared":
                self._headers(200, "image/png", {"Content-Length": str(50 * 1024 * 1024)})

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@asynccontextmanager
async def server(sandbox: str, *args: str) -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=SERVER,
        args=["-t", "*", "--api-url", sandbox, "--confirm", "none", *args],
        env={"CLERK_SECRET_KEY": KEY},
    )
    async with Client(params) as client:
        yield client


def uploads(sandbox: str) -> list[str]:
    log = httpx.get(f"{sandbox}/__sandbox/requests").json()
    return [r["path"] for r in log if r["method"] in ("POST", "PUT") and ("image" in r["path"] or "logo" in r["path"])]


async def image_error(c: Client, url: str, tool: str = "updateUser") -> str:
    if tool == "updateUser":
        out = await c.call_tool(tool, {"userId": USER, "profileImageUrl": url})
    else:
        out = await c.call_tool(tool, {"organizationId": DEMO_IDS["organization"], "imageUrl": url})
    assert out.is_error, url
    error: Any = out.structured_content["error"]
    return str(error["message"])


async def test_loopback_private_and_metadata_urls_never_connect(sandbox: str, listener: Listener) -> None:
    port = listener.port
    httpx.post(f"{sandbox}/__sandbox/reset")
    async with server(sandbox) as c:
        cases = {
            f"http://127.0.0.1:{port}/a.png": "only https",
            f"https://127.0.0.1:{port}/a.png": "address not allowed",
            f"https://localhost:{port}/a.png": "address not allowed",
            f"https://[::ffff:127.0.0.1]:{port}/a.png": "address not allowed",
            f"https://[::1]:{port}/a.png": "address not allowed",
            f"https://0.0.0.0:{port}/a.png": "address not allowed",
            f"https://2130706433:{port}/a.png": "",  # 127.0.0.1 as one number: refused whatever the reason
            "https://169.254.169.254/latest/meta-data/": "address not allowed",
            "https://[fd00:ec2::254]/latest/meta-data/": "address not allowed",
            "https://10.0.0.1/a.png": "address not allowed",
            "https://100.64.0.1/a.png": "address not allowed",
            f"file:///etc/passwd#{port}": "",
        }
        for url, why in cases.items():
            message = await image_error(c, url)
            assert message.startswith("Could not fetch the image"), (url, message)
            assert why in message, (url, message)
        logo = await image_error(c, f"https://127.0.0.1:{port}/logo.png", "uploadOrganizationLogo")
        assert "address not allowed" in logo
    assert listener.connections == 0
    assert uploads(sandbox) == []


async def test_an_allowed_host_cannot_redirect_inward_nor_send_other_things(sandbox: str, listener: Listener) -> None:
    host = image_host(listener.port)
    base = f"http://127.0.0.1:{host.server_address[1]}"
    httpx.post(f"{sandbox}/__sandbox/reset")
    try:
        async with server(sandbox, "--allow-fetch-host", f"127.0.0.1:{host.server_address[1]}") as c:
            ok = await c.call_tool("updateUser", {"userId": USER, "profileImageUrl": f"{base}/ok.png"})
            assert not ok.is_error, ok.structured_content
            assert "only https" in await image_error(c, f"{base}/to-loopback-http")
            assert "address not allowed" in await image_error(c, f"{base}/to-loopback-https")
            assert "address not allowed" in await image_error(c, f"{base}/to-metadata")
            assert "more than 3 redirects" in await image_error(c, f"{base}/hop0")
            page = await image_error(c, f"{base}/page")
            assert "not an image" in page and "text/html" not in page and "SECRET" not in page
            missing = await image_error(c, f"{base}/missing")
            assert "did not return the image" in missing and "418" not in missing
            assert "larger than 10 MB" in await image_error(c, f"{base}/huge")
            assert "larger than 10 MB" in await image_error(c, f"{base}/huge-declared")
            # The same URLs on another port of the same address are not allowed.
            assert "only https" in await image_error(c, f"http://127.0.0.1:{listener.port}/ok.png")
    finally:
        host.shutdown()
        host.server_close()
    assert listener.connections == 0
    assert len(uploads(sandbox)) == 1  # only the real image was uploaded


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fd00:ec2::254", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:169.254.169.254", False),
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
    ],
)
def test_address_policy(address: str, allowed: bool) -> None:
    import ipaddress

    from clerk_mcp_setup.server.fetch import address_allowed

    assert address_allowed(ipaddress.ip_address(address)) is allowed
