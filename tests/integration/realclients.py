"""Helpers for driving real MCP clients (installed by install_clients.sh) against our installer's output.

Every subprocess runs with an explicit, minimal environment (a temp HOME, no inherited API keys or
client homes) and a timeout; a timed-out process group is killed so no client or server outlives a test.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
_clients_dir = Path(os.environ.get("CLERK_MCP_CLIENTS_DIR") or ".ci/clients")
CLIENTS_DIR = _clients_dir if _clients_dir.is_absolute() else REPO / _clients_dir
BIN_DIR = CLIENTS_DIR / "node_modules" / ".bin"
SCRIPTS = Path(sys.executable).parent
SETUP = SCRIPTS / "clerk-mcp-setup"
SERVER = SCRIPTS / "clerk-mcp-server"
TIMEOUT = 60.0

# What a client process may inherit; everything else (API keys, proxies, client homes) stays out.
_PASS_THROUGH = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "COMSPEC", "PATHEXT")
_QUIET = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "MCP_TIMEOUT": "10000",
    "GEMINI_CLI_TRUST_WORKSPACE": "true",
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def client_bin(name: str) -> Path:
    """The installed client's executable; skip (fail under CI=true) when it is not installed."""
    path = BIN_DIR / name
    if path.exists() and shutil.which("node"):
        return path
    reason = f"real client {name!r} not installed in {BIN_DIR}: run tests/integration/install_clients.sh (needs npm)"
    if path.exists():
        reason = f"real client {name!r} is installed in {BIN_DIR} but `node` is not on PATH"
    if in_ci():
        pytest.fail(f"{reason}. Under CI=true the client tier must run, not skip.", pytrace=False)
    pytest.skip(reason)


def client_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in _PASS_THROUGH if k in os.environ}
    env.update(_QUIET, HOME=str(home), USERPROFILE=str(home))
    env.update(extra)
    return env


def run(
    cmd: list[str | Path],
    *,
    env: dict[str, str],
    cwd: Path | None = None,
    input: str | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """Run to completion in its own process group; on timeout kill the whole group and fail the test."""
    args = [str(c) for c in cmd]
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        pytest.fail(f"timed out after {timeout:.0f}s: {' '.join(args)}\nstdout:\n{out}\nstderr:\n{err}", pytrace=False)
    _kill_group(proc)  # whatever the client left behind (a server it started) goes too
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """SIGKILL the child's process group (it was started with `start_new_session`), by its id."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def install(home: Path, *args: str, cwd: Path | None = None, input: str | None = None) -> dict[str, Any]:
    """Run the real `clerk-mcp-setup … --yes --json` in `home`; return its JSON result."""
    result = run([SETUP, *args, "--yes", "--json"], env=client_env(home), cwd=cwd or home, input=input)
    assert result.returncode == 0, f"clerk-mcp-setup {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["applied"] is True, data
    return data


def written_paths(result: dict[str, Any]) -> dict[str, Path]:
    """client id → the file the installer wrote for it."""
    return {client: Path(change["path"]) for change in result["changes"] for client in change["clients"]}


def output(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


class LineRPC:
    """A JSON-RPC peer speaking one JSON object a line over a child's stdio (Codex's app-server)."""

    def __init__(self, cmd: list[str | Path], *, env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [str(c) for c in cmd],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        self.notifications: list[dict[str, Any]] = []
        self._lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with contextlib.suppress(json.JSONDecodeError):
                self._lines.put(json.loads(line))
        self._lines.put(None)

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any], timeout: float = 30.0) -> dict[str, Any]:
        """Send a request and return its `result`; fail the test on an error, EOF or timeout."""
        self._next_id += 1
        self.send({"id": self._next_id, "method": method, "params": params})
        while True:
            try:
                message = self._lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no answer to {method} within {timeout:.0f}s", pytrace=False)
            if message is None:
                pytest.fail(f"the server exited (code {self.proc.poll()}) before answering {method}", pytrace=False)
            if message.get("id") == self._next_id and "method" not in message:
                assert "error" not in message, f"{method}: {message['error']}"
                result: dict[str, Any] = message["result"]
                return result
            self.notifications.append(message)

    def close(self) -> None:
        if self.proc.stdin:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        _kill_group(self.proc)
        self.proc.wait(timeout=5)
        if self.proc.stdout:
            self.proc.stdout.close()


@dataclass
class Sandbox:
    """`python -m clerk_mcp_setup.server.sandbox` on 127.0.0.1, accepting only `key`."""

    url: str
    key: str

    def get(self, path: str, *, key: bool = True) -> Any:
        request = urllib.request.Request(self.url + path)
        if key:
            request.add_header("Authorization", f"Bearer {self.key}")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def requests(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.get("/__sandbox/requests", key=False)
        return entries

    def user_count(self) -> int:
        return int(self.get("/v1/users/count")["total_count"])
