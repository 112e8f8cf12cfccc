"""Fixtures of the real-client tier: our sandbox Clerk API as a subprocess, and the tools we expect."""

from __future__ import annotations

import contextlib
import json
import queue
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from newclients import Remote
from realclients import SERVER, Sandbox, client_env, run


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    key = "sk_test_" + secrets.token_hex(16)
    log = (tmp_path_factory.mktemp("sandbox") / "stderr.log").open("w")
    cmd = [sys.executable, "-m", "clerk_mcp_setup.server.sandbox", "--port", "0", "--secret-key", key]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1"],
        stdout=subprocess.PIPE,
        stderr=log,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    first: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: first.put(proc.stdout.readline() if proc.stdout else ""), daemon=True).start()
    try:
        url = first.get(timeout=30).strip()
        assert url.startswith("http://127.0.0.1:"), f"sandbox did not print its URL (exit {proc.poll()})"
        yield Sandbox(url, key)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()
        log.close()


@pytest.fixture(scope="session")
def expected_tools(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The tools the installed server should list: the default selection, as the server itself reports it."""
    result = run([SERVER, "--list-tools", "--json"], env=client_env(tmp_path_factory.mktemp("home")))
    assert result.returncode == 0, result.stderr
    names = {tool["name"] for tool in json.loads(result.stdout)}
    assert "getUserCount" in names and "listUsers" in names
    return names


@pytest.fixture(scope="session")
def remote(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    """`clerk-mcp-server --transport http` on 127.0.0.1 (hosted mode, the sandbox's key), bearer-protected."""
    token = "team-" + secrets.token_hex(8)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    home = tmp_path_factory.mktemp("remote-home")
    env = client_env(home, CLERK_SECRET_KEY=sandbox.key)
    args = ["--transport", "http", "--port", str(port), "--audit-log", "off", "--api-url", sandbox.url]
    log = (home / "stderr.log").open("w")
    proc = subprocess.Popen(
        [SERVER, *args, "--auth-token", token], env=env, stdout=subprocess.DEVNULL, stderr=log, stdin=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(base + "/health", timeout=2) as response:
                if response.status == 200:
                    break
            assert proc.poll() is None and time.monotonic() < deadline, "the HTTP server did not start"
            time.sleep(0.2)
        yield Remote(base + "/mcp", token)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
