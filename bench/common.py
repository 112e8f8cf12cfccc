"""Shared pieces of the benchmarks: the servers under test, the local sandbox API, raw JSON-RPC over stdio,
and the statistics every table prints.

Imported by the scripts beside it (`python bench/NAME.py` puts this directory on `sys.path`).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER = str(BIN / "clerk-mcp-server")
SETUP = str(BIN / "clerk-mcp-setup")
KEY = "sk_test_benchKEY0123456789"
PEER_DEFAULT = ROOT / ".ci" / "clients" / "node_modules" / ".bin" / "local-mcp"
PEER_LABEL = "@clerk/agent-toolkit 0.3.15"
PEER_MISSING = (
    "peer not installed at {path}: run tests/integration/install_clients.sh (or pass --peer); peer rows skipped"
)
PROTOCOL = "2025-06-18"


def add_common_args(parser: Any, *, peer: bool = True) -> None:
    """The options every benchmark takes: --smoke, --runs, and where the peer is."""
    parser.add_argument("--smoke", action="store_true", help="tiny iteration counts for CI; no thresholds")
    parser.add_argument("--runs", type=int, help="repetitions (each a fresh process); default depends on the script")
    if peer:
        parser.add_argument("--peer", default=str(PEER_DEFAULT), help="@clerk/agent-toolkit's local-mcp binary")
        parser.add_argument("--no-peer", action="store_true", help="measure our server only")


def peer_path(args: Any) -> str | None:
    """The peer binary, or None (with a message saying how to install it) when it is absent or disabled."""
    if getattr(args, "no_peer", False):
        print("(peer disabled with --no-peer)")
        return None
    path = Path(args.peer)
    if not path.exists():
        print(PEER_MISSING.format(path=path))
        return None
    return str(path)


def ours_argv(scope: str = "@agent-toolkit", api_url: str = "http://127.0.0.1:9", *, fair: bool = False) -> list[str]:
    """Our server; `fair` turns off confirmation and the audit log, which the peer does not have."""
    argv = [SERVER, "--tools", scope, "--api-url", api_url]
    return argv + (["--confirm", "none", "--audit-log", "off"] if fair else [])


def peer_argv(peer: str, api_url: str = "http://127.0.0.1:9") -> list[str]:
    return [peer, "--api-url", api_url, "--secret-key", KEY]


def server_env() -> dict[str, str]:
    return {**os.environ, "CLERK_SECRET_KEY": KEY}


# --- statistics -----------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float]) -> str:
    """min–max, the spread every table shows beside a median."""
    return f"{min(values):.0f}–{max(values):.0f}" if max(values) >= 10 else f"{min(values):.2f}–{max(values):.2f}"


def ratio(ours: float, peer: float | None) -> str:
    return f"{ours / peer:.2f}" if peer else "n/a"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], first_width: int = 34) -> None:
    """Print a fixed-width table: a left-aligned label then right-aligned columns."""
    widths = [first_width] + [max(len(h), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header) if i]
    print(" ".join(f"{h:<{w}}" if i == 0 else f"{h:>{w}}" for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    for row in rows:
        cells = (f"{c!s:<{w}}" if i == 0 else f"{c!s:>{w}}" for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        print(" ".join(cells))


# --- processes ------------------------------------------------------------------------------------------------


@contextmanager
def sandbox() -> Iterator[str]:
    """The local Clerk API fake in its own process; yields its base URL (without /v1)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "clerk_mcp_setup.server.sandbox", "--port", "0", "--secret-key", KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout
        url = proc.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError(f"sandbox did not print its URL (got {url!r})")
        _wait_healthy(url + "/__sandbox/health")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_healthy(url: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def demo_user() -> str:
    from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

    return DEMO_IDS["user"]


class RawSession:
    """One server process spoken to in raw JSON-RPC lines on stdin/stdout: no client library in between."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None, stderr: Any = subprocess.DEVNULL) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env or server_env()
        )
        self.next_id = 100

    @staticmethod
    def initialize(request_id: int = 1) -> dict[str, Any]:
        params = {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}}
        return {"jsonrpc": "2.0", "id": request_id, "method": "initialize", "params": params}

    def send(self, *messages: dict[str, Any]) -> None:
        assert self.proc.stdin
        self.proc.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
        self.proc.stdin.flush()

    def receive_line(self, request_id: int) -> bytes:
        """The answer to `request_id` exactly as sent (notifications and logs in between are skipped)."""
        assert self.proc.stdout
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited (code {self.proc.poll()}) before answering request {request_id}")
            if json.loads(line).get("id") == request_id:
                return line.rstrip(b"\n")

    def receive(self, request_id: int) -> dict[str, Any]:
        return dict(json.loads(self.receive_line(request_id)))

    def open(self) -> None:
        """initialize + initialized, waiting for the answer."""
        self.send(self.initialize(), {"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.receive(1)

    def call(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        self.send(
            {
                "jsonrpc": "2.0",
                "id": self.next_id,
                "method": "tools/call",
                "params": {"name": name, "arguments": arguments},
            }
        )
        answer = self.receive(self.next_id)
        result = answer.get("result") or {}
        if "error" in answer or result.get("isError"):
            raise RuntimeError(f"{name} failed: {json.dumps(answer)[:300]}")
        return result

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> RawSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- the machine ----------------------------------------------------------------------------------------------


def machine() -> str:
    """One line describing where the figures come from (for tables and RESULTS.md)."""
    cpu = "unknown CPU"
    try:
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = match.group(1).strip() if match else cpu
    except OSError:
        pass
    ram = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        pass
    node = "none"
    if shutil.which("node"):
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} cores{ram}; {platform.platform()}; Python {platform.python_version()}; Node {node}; "
        f"load {load()}"
    )


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
