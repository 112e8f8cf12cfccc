"""Fixtures of the real-client tier: our sandbox Clerk API as a subprocess, and the tools we expect."""

from __future__ import annotations

import json
import queue
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
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
