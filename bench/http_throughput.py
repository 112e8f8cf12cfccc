"""HTTP mode throughput and latency: tool calls per second and p50/p99 at 1, 10 and 50 concurrent clients,
with the server's overhead over a direct call to the same API.

Usage: python bench/http_throughput.py [--calls 400] [--runs 3] [--levels 1 10 50]
The sandbox API and our server (`clerk-mcp-server --transport http`, hosted mode) run as separate processes
on 127.0.0.1; each simulated client is an `mcp` Client session calling `getUser` in a loop. The direct
baseline is `GET /v1/users/{id}` with httpx at the same concurrency.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx

KEY = "sk_test_benchKEY0123456789"
SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(argv: list[str], health: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(health, timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{argv[0]} did not start")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run_level(url: str, concurrency: int, calls: int, user: str) -> tuple[float, list[float]]:
    """Calls through our MCP server: `concurrency` sessions sharing `calls` calls. Returns (seconds, latencies)."""
    from mcp import Client

    latencies: list[float] = []
    per_client = max(1, calls // concurrency)

    async def client() -> None:
        async with Client(url) as session:
            await session.call_tool("getUser", {"userId": user})  # warm the session
            for _ in range(per_client):
                began = time.perf_counter()
                result = await session.call_tool("getUser", {"userId": user})
                latencies.append(time.perf_counter() - began)
                assert not result.is_error

    began = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for _ in range(concurrency):
            tg.start_soon(client)
    return time.perf_counter() - began, latencies


async def run_direct(api: str, concurrency: int, calls: int, user: str) -> tuple[float, list[float]]:
    latencies: list[float] = []
    per_client = max(1, calls // concurrency)
    async with httpx.AsyncClient(
        base_url=api,
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
        limits=httpx.Limits(max_connections=concurrency),
    ) as http:

        async def client() -> None:
            for _ in range(per_client):
                began = time.perf_counter()
                response = await http.get(f"/v1/users/{user}")
                latencies.append(time.perf_counter() - began)
                response.raise_for_status()

        began = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(concurrency):
                tg.start_soon(client)
    return time.perf_counter() - began, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400, help="calls per level per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

    api_port, mcp_port = free_port(), free_port()
    api = f"http://127.0.0.1:{api_port}"
    sandbox = start(
        [sys.executable, "-m", "clerk_mcp_setup.server.sandbox", "--port", str(api_port), "--secret-key", KEY],
        f"{api}/__sandbox/health",
    )
    server = start(
        [
            SERVER,
            "--transport",
            "http",
            "--port",
            str(mcp_port),
            "--api-url",
            api,
            "--audit-log",
            "off",
            "--confirm",
            "none",
            "--max-concurrency",
            "256",
        ],
        f"http://127.0.0.1:{mcp_port}/health",
        env={"CLERK_SECRET_KEY": KEY},
    )
    user = DEMO_IDS["user"]
    try:
        print(
            f"{'clients':>7} {'calls/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'direct p50':>10} {'direct p99':>10} "
            f"{'overhead p50':>12}"
        )
        for level in args.levels:
            ours, direct = [], []
            for _ in range(args.runs):
                ours.append(anyio.run(run_level, f"http://127.0.0.1:{mcp_port}/mcp", level, args.calls, user))
                direct.append(anyio.run(run_direct, api, level, args.calls, user))
            rate = statistics.median(len(lat) / secs for secs, lat in ours)
            p50 = statistics.median(percentile(lat, 0.5) for _, lat in ours) * 1000
            p99 = statistics.median(percentile(lat, 0.99) for _, lat in ours) * 1000
            d50 = statistics.median(percentile(lat, 0.5) for _, lat in direct) * 1000
            d99 = statistics.median(percentile(lat, 0.99) for _, lat in direct) * 1000
            print(f"{level:>7} {rate:>9.0f} {p50:>8.2f} {p99:>8.2f} {d50:>10.2f} {d99:>10.2f} {p50 - d50:>12.2f}")
        print(
            f"(median of {args.runs} runs of ~{args.calls} calls each; {os.cpu_count()} CPUs; "
            "server and sandbox are separate processes)"
        )
    finally:
        for proc in (server, sandbox):
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
