"""Per-call latency over stdio: N sequential tool calls through one session, p50/p99, and each server's overhead
over a direct httpx call to the same sandbox API.

Usage: python bench/call_latency.py [--calls 500] [--runs 3] [--peer PATH | --no-peer] [--smoke]
Both servers talk to one local sandbox (`python -m clerk_mcp_setup.server.sandbox`) and are driven in raw
JSON-RPC lines on stdin/stdout (no client library). Ours runs with `--confirm none --audit-log off` (the peer has
neither). Each run is a fresh process: `first call` is the first tools/call after initialize (ours imports httpx
then), followed by 20 unmeasured warm-up calls and N measured calls of each tool in turn.
The peer has no list tool: `listUsers` is ours alone; `getUserCount` (GET /users/count) is the second call both
servers have. Our `listUsers` asks for limit+1 users and the count in parallel (two requests); its direct baseline
is the page request alone.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable

import httpx
from common import (
    KEY,
    PEER_LABEL,
    RawSession,
    add_common_args,
    demo_user,
    load,
    median,
    ours_argv,
    peer_argv,
    peer_path,
    percentile,
    sandbox,
    spread,
    table,
)

OURS = "clerk-mcp-server"
DIRECT = "direct httpx"
WARMUP = 20


def calls_for(user: str) -> dict[str, tuple[dict[str, object], str]]:
    """tool name → (arguments, the API path a direct call uses)."""
    return {
        "getUser": ({"userId": user}, f"/v1/users/{user}"),
        "listUsers": ({"limit": 10}, "/v1/users?limit=10&offset=0"),
        "getUserCount": ({}, "/v1/users/count"),
    }


def timed(fn: Callable[[], object], count: int) -> list[float]:
    out = []
    for _ in range(count):
        began = time.perf_counter()
        fn()
        out.append(time.perf_counter() - began)
    return out


def run_server(argv: list[str], tools: list[str], calls: int, user: str) -> tuple[float, dict[str, list[float]]]:
    """One fresh server: (first call seconds, {tool: latencies})."""
    specs = calls_for(user)
    with RawSession(argv) as session:
        session.open()
        first = timed(lambda: session.call("getUser", specs["getUser"][0]), 1)[0]
        out = {}
        for tool in tools:
            arguments = specs[tool][0]
            timed(lambda a=arguments, t=tool: session.call(t, a), WARMUP)
            out[tool] = timed(lambda a=arguments, t=tool: session.call(t, a), calls)
        return first, out


def run_direct(api: str, tools: list[str], calls: int, user: str) -> dict[str, list[float]]:
    specs = calls_for(user)
    out = {}
    with httpx.Client(base_url=api, headers={"Authorization": f"Bearer {KEY}"}, timeout=30) as http:
        for tool in tools:
            path = specs[tool][1]
            timed(lambda p=path: http.get(p).raise_for_status(), WARMUP)
            out[tool] = timed(lambda p=path: http.get(p).raise_for_status(), calls)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--calls", type=int, help="measured calls per tool per run (default 500)")
    args = parser.parse_args()
    runs = args.runs or (1 if args.smoke else 3)
    calls = args.calls or (10 if args.smoke else 500)
    peer = peer_path(args)
    user = demo_user()
    tools = ["getUser", "listUsers", "getUserCount"]
    # label → tool → one list of latencies per run
    samples: dict[str, dict[str, list[list[float]]]] = defaultdict(lambda: defaultdict(list))
    firsts: dict[str, list[float]] = defaultdict(list)
    print(f"call latency: {calls} sequential calls per tool, {runs} runs, load before: {load()}")
    with sandbox() as api:
        subjects = {OURS: (ours_argv("*", api, fair=True), tools)}
        if peer:
            subjects[PEER_LABEL] = (peer_argv(peer, api), [t for t in tools if t != "listUsers"])
        for _ in range(runs):
            for label, (argv, its_tools) in subjects.items():
                first, by_tool = run_server(argv, its_tools, calls, user)
                firsts[label].append(first * 1000)
                for tool, lat in by_tool.items():
                    samples[label][tool].append(lat)
            for tool, lat in run_direct(api, tools, calls, user).items():
                samples[DIRECT][tool].append(lat)

    def p(label: str, tool: str, q: float) -> float | None:
        per_run = samples[label].get(tool)
        return median([percentile(r, q) * 1000 for r in per_run]) if per_run else None

    rows = []
    for tool in tools:
        d50 = p(DIRECT, tool, 0.5)
        assert d50 is not None
        peer_over = None
        for label in (OURS, PEER_LABEL, DIRECT):
            if label == PEER_LABEL and not peer:
                continue
            p50, p99 = p(label, tool, 0.5), p(label, tool, 0.99)
            if p50 is None or p99 is None:
                rows.append((f"{tool:<13}{label}", "—", "—", "—", "—", "—", "no such tool"))
                continue
            over = p50 - d50
            if label == PEER_LABEL:
                peer_over = over
            p50s = [percentile(r, 0.5) * 1000 for r in samples[label][tool]]
            rows.append(
                (
                    f"{tool:<13}{label}",
                    f"{p50:.2f}",
                    spread(p50s),
                    f"{p99:.2f}",
                    f"{over:+.2f}" if label != DIRECT else "",
                    "",
                    "",
                )
            )
        if peer_over is not None:  # the ratio belongs on our row: overhead ours / overhead peer
            ours_row = next(i for i, r in enumerate(rows) if r[0] == f"{tool:<13}{OURS}")
            ours_over = float(rows[ours_row][4])
            rows[ours_row] = (*rows[ours_row][:5], f"{ours_over / peer_over:.2f}" if peer_over > 0 else "n/a", "")
    header = ("call / server", "p50 ms", "p50 min–max", "p99 ms", "overhead p50", "overhead vs peer", "note")
    table(header, rows, 42)
    print(
        "first call after initialize (ms, median): "
        + ", ".join(f"{label} {median(v):.1f}" for label, v in firsts.items())
    )
    print(f"(overhead = server p50 − direct p50; medians over {runs} runs; load after: {load()})")


if __name__ == "__main__":
    main()
