"""Memory: each server's resident set after start-up and its peak after N tool calls.

Usage: python bench/memory.py [--calls 500] [--runs 3] [--peer PATH | --no-peer] [--smoke]
Both servers talk to one local sandbox and get the same work in raw JSON-RPC: initialize, tools/list, then N
sequential `getUser` calls. "idle" is VmRSS after tools/list; "peak" is VmHWM (the kernel's high-water mark of
the resident set) after the calls, from /proc/<pid>/status. Without /proc (macOS), psutil's current RSS is used
where psutil is installed, which is a lower bound of the peak.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from common import (
    PEER_LABEL,
    RawSession,
    add_common_args,
    demo_user,
    load,
    median,
    ours_argv,
    peer_argv,
    peer_path,
    ratio,
    sandbox,
    spread,
    table,
)

OURS = "clerk-mcp-server @agent-toolkit"


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident set in MiB."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        text = status.read_text()
        current, peak = (int(re.search(rf"^{k}:\s+(\d+) kB", text, re.M).group(1)) for k in ("VmRSS", "VmHWM"))  # type: ignore[union-attr]
        return current / 1024, peak / 1024
    import psutil  # no /proc: the best available is the current RSS

    rss = psutil.Process(pid).memory_info().rss / 1024 / 1024
    return rss, rss


def one_run(argv: list[str], calls: int, user: str) -> tuple[float, float]:
    """(idle RSS after tools/list, peak RSS after the calls) of one fresh server, in MiB."""
    with RawSession(argv) as session:
        session.open()
        session.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        session.receive(2)
        idle, _ = rss_mib(session.proc.pid)
        for _ in range(calls):
            session.call("getUser", {"userId": user})
        _, peak = rss_mib(session.proc.pid)
        return idle, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--calls", type=int, help="getUser calls per run (default 500)")
    args = parser.parse_args()
    runs = args.runs or (1 if args.smoke else 3)
    calls = args.calls or (10 if args.smoke else 500)
    peer = peer_path(args)
    user = demo_user()
    samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
    print(f"memory: peak RSS after {calls} getUser calls, {runs} runs, load before: {load()}")
    with sandbox() as api:
        subjects = {OURS: ours_argv("@agent-toolkit", api, fair=True)}
        if not args.smoke:
            subjects[OURS.replace("@agent-toolkit", "*")] = ours_argv("*", api, fair=True)
        if peer:
            subjects = {PEER_LABEL: peer_argv(peer, api), **subjects}
        for _ in range(runs):
            for label, argv in subjects.items():
                samples[label].append(one_run(argv, calls, user))
    peer_peak = median([s[1] for s in samples[PEER_LABEL]]) if peer else None
    rows = []
    for label, runs_ in samples.items():
        idle, peak = [s[0] for s in runs_], [s[1] for s in runs_]
        rows.append((label, f"{median(idle):.1f}", f"{median(peak):.1f}", spread(peak), ratio(median(peak), peer_peak)))
    table(("server", "idle MiB", "peak MiB", "peak min–max", "vs peer"), rows)
    print(f"(medians over {runs} runs; load after: {load()})")


if __name__ == "__main__":
    main()
