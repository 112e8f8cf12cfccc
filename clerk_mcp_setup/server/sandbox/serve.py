"""Run a sandbox over real HTTP on a free local port, in a background thread, for tests and benchmarks."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from . import create_app


def bind_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket; port 0 lets the OS pick a free one (read it back with getsockname)."""
    # proto=IPPROTO_TCP matters: asyncio enables TCP_NODELAY only on accepted sockets that report it, and
    # without it every keep-alive response waits ~40 ms on the peer's delayed ACK (uvicorn issue #3149).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(app: Any, lifespan: str = "off") -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan=lifespan, timeout_graceful_shutdown=1)
    return uvicorn.Server(config)


@contextmanager
def running_app(
    app: Any, *, host: str = "127.0.0.1", lifespan: str = "off", sock: socket.socket | None = None
) -> Iterator[str]:
    """Serve any ASGI app on a free local port in a background thread; yield its base URL; stop it on exit.

    Pass `sock` (from `bind_socket`) when the app must know its own URL before it is built.
    """
    sock = sock or bind_socket(host, 0)
    url = base_url(host, sock.getsockname()[1])
    server = make_server(app, lifespan)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="asgi-app", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the app at {url} did not start")
            time.sleep(0.02)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()


@contextmanager
def running_sandbox(
    *, host: str = "127.0.0.1", startup_timeout: float = 10.0, **create_app_kwargs: Any
) -> Iterator[str]:
    """Serve `create_app(**create_app_kwargs)`; yield its base URL without `/v1`; stop it on exit."""
    with running_app(create_app(**create_app_kwargs), host=host) as url:
        _wait_until_up(url, startup_timeout)
        yield url


def _wait_until_up(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/__sandbox/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the sandbox at {url} did not answer within {timeout:g} s")
        time.sleep(0.02)
