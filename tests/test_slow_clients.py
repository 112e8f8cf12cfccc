"""Slow clients cannot starve the HTTP server: 70 connections trickling a body (with a made-up key of the right
shape) and 10 trickling headers, against the real `clerk-mcp-server --transport http` in public mode, while real
requests keep being served; the server closes every slow connection within its read timeout."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest
from server_helpers import http_server
from test_http import ACCEPT, LIST

from clerk_mcp_setup.server.sandbox.serve import running_sandbox

READ_TIMEOUT = 2.0
SLOW_BODIES, SLOW_HEADERS, REAL = 70, 10, 60


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox() as url:
        yield url


class Trickler:
    """Sockets that send a byte every half second (so no idle timer fires) until the server closes them."""

    def __init__(self, port: int, head: bytes, count: int) -> None:
        self.socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        self.closed_after: list[float] = []
        self.started = time.monotonic()
        for sock in self.socks:
            sock.sendall(head)
            sock.settimeout(0.05)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        open_ = list(self.socks)
        deadline = self.started + 4 * READ_TIMEOUT + 5
        while open_ and time.monotonic() < deadline:
            for sock in list(open_):
                try:
                    sock.sendall(b" ")
                    while sock.recv(65536):  # a 408 answer, then EOF
                        pass
                except (TimeoutError, BlockingIOError):
                    continue
                except OSError:
                    pass
                self.closed_after.append(time.monotonic() - self.started)  # EOF or reset: the server closed it
                open_.remove(sock)
            time.sleep(0.5)

    def wait(self) -> None:
        self.thread.join()
        for sock in self.socks:
            sock.close()


async def test_slow_clients_hold_no_slot_and_are_closed(sandbox: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CLERK_SECRET_KEY"}
    key = "sk_test_madeUpButRightShape0123456789"
    args = ("--api-url", sandbox, "--read-timeout", str(READ_TIMEOUT), "--max-concurrency", "64")
    with http_server(*args, env=env) as base:
        port = int(base.rsplit(":", 1)[1])
        body_head = (
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json, text/event-stream\r\nX-Clerk-Secret-Key: {key}\r\n"
            "Content-Length: 100000\r\n\r\n{"
        ).encode()
        bodies = Trickler(port, body_head, SLOW_BODIES)
        headers = Trickler(port, f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode(), SLOW_HEADERS)
        statuses: list[int] = []

        async def real(client: httpx.AsyncClient) -> None:
            try:
                response = await client.post(f"{base}/mcp", json=LIST, headers={**ACCEPT, "X-Clerk-Secret-Key": key})
                statuses.append(response.status_code)
            except httpx.HTTPError:
                statuses.append(0)

        async with httpx.AsyncClient(timeout=10) as client:
            for _ in range(REAL // 6):
                async with anyio.create_task_group() as tg:
                    for _ in range(6):
                        tg.start_soon(real, client)
        served_while_slow = time.monotonic() - bodies.started
        bodies.wait()
        headers.wait()
    success = statuses.count(200) / len(statuses)
    print(
        f"\nreal requests: {statuses.count(200)}/{len(statuses)} OK ({success:.0%}) in {served_while_slow:.1f} s "
        f"beside {SLOW_BODIES} slow bodies and {SLOW_HEADERS} slow headers; slow connections closed after "
        f"{max(bodies.closed_after + headers.closed_after):.1f} s at most (read timeout {READ_TIMEOUT:g} s)"
    )
    assert success >= 0.95, statuses
    assert len(bodies.closed_after) == SLOW_BODIES and len(headers.closed_after) == SLOW_HEADERS
    assert max(bodies.closed_after + headers.closed_after) <= READ_TIMEOUT + 3
