"""Helpers shared by the tests that start the real `clerk-mcp-server` or watch the sandbox's request log."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def http_server(*args: str, env: dict[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    """Start the real console script in HTTP mode (on `port`, else a free one); yield its base URL once
    `/health` answers; stop it by PID. Its stderr goes to a file, read back only to explain a failed start."""
    port = port or free_port()
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(
            [SERVER, "--transport", "http", "--port", str(port), "--audit-log", "off", *args],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    errors.seek(0)
                    raise RuntimeError(f"server did not start: {errors.read()}")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def sandbox_api(url: str) -> Iterator[httpx.Client]:
    """A client for the sandbox's own controls, its request log reset first."""
    with httpx.Client(base_url=url, timeout=10) as client:
        client.post("/__sandbox/reset")
        yield client


def writes(api: httpx.Client) -> list[str]:
    """Every non-GET request the sandbox received since its reset: what a refused call must leave empty."""
    return [f"{r['method']} {r['path']}" for r in api.get("/__sandbox/requests").json() if r["method"] != "GET"]
