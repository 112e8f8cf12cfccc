"""Cold start: process spawn → `initialize` answered → `tools/list` answered, ours against the peer.

Usage: python bench/cold_start.py [--runs 15] [--peer PATH | --no-peer] [--floor] [--breakdown] [--baseline DIR]
                                  [--smoke]
Writes initialize, initialized and tools/list on stdin at once, in raw JSON-RPC (no client library), and times
each answer's line on stdout. Servers are run round-robin so machine load hits all of them alike. Our server runs
with the 19-tool compatible scope (`--tools @agent-toolkit`) and with every tool (`--tools '*'`). "cpu ms" is the
process's user + system CPU time until it is killed right after answering tools/list: less sensitive than wall
time to whatever else the machine is doing.
--floor times bare interpreters and the MCP SDK's own import (what no change of ours can go below);
--breakdown runs our server under `python -X importtime` and sums import time by top-level package;
--baseline DIR adds a row for the package in DIR (another checkout), for before/after comparisons.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from common import (
    PEER_LABEL,
    RawSession,
    add_common_args,
    load,
    median,
    ours_argv,
    peer_argv,
    peer_path,
    ratio,
    server_env,
    spread,
    table,
)

LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def one_start(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, float]:
    """Seconds to the initialize answer and to the tools/list answer, the number of tools listed, and the CPU
    seconds the process used (user + system, all threads; it is killed as soon as tools/list is answered)."""
    session = RawSession(argv, env)
    try:
        session.send(RawSession.initialize(), INITIALIZED, LIST)
        session.receive(1)
        initialized = time.perf_counter() - session.started
        tools = session.receive(2)["result"]["tools"]
        listed = time.perf_counter() - session.started
    finally:
        session.proc.kill()
        _, status, usage = os.wait4(session.proc.pid, 0)
        session.proc.returncode = status
    return initialized, listed, len(tools), usage.ru_utime + usage.ru_stime


def measure(
    subjects: dict[str, list[str]], runs: int, *, smoke: bool = False, baseline_env: dict[str, str] | None = None
) -> dict[str, list[tuple[float, float, int, float]]]:
    """`runs` starts of each subject, round-robin, after one unmeasured start each (page cache, .pyc files)."""
    samples: dict[str, list[tuple[float, float, int, float]]] = defaultdict(list)
    for _ in range(runs + (0 if smoke else 1)):
        for label, argv in subjects.items():
            samples[label].append(one_start(argv, baseline_env if label.startswith("baseline") else None))
    return {label: runs_[-runs:] for label, runs_ in samples.items()}


def report(samples: dict[str, list[tuple[float, float, int, float]]], peer_label: str | None) -> None:
    peer_ms = median([s[1] for s in samples[peer_label]]) * 1000 if peer_label else None
    peer_cpu = median([s[3] for s in samples[peer_label]]) * 1000 if peer_label else None
    rows = []
    for label, runs in samples.items():
        init_ms = [s[0] * 1000 for s in runs]
        list_ms = [s[1] * 1000 for s in runs]
        cpu_ms = [s[3] * 1000 for s in runs]
        rows.append(
            (
                label,
                runs[0][2],
                f"{median(init_ms):.0f}",
                f"{median(list_ms):.0f}",
                spread(list_ms),
                ratio(median(list_ms), peer_ms),
                f"{median(cpu_ms):.0f}",
                ratio(median(cpu_ms), peer_cpu),
            )
        )
    header = ("server", "tools", "init ms", "tools/list ms", "min–max", "vs peer", "cpu ms", "cpu vs peer")
    table(header, rows)


def _until_ready(argv: list[str], env: dict[str, str] | None) -> float:
    """Seconds from spawn to the process's first line on stdout (it prints once its imports are done); the
    interpreter's teardown is not counted, as a server's is not."""
    began = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env)
    assert proc.stdout
    proc.stdout.readline()
    elapsed = time.perf_counter() - began
    proc.kill()
    proc.wait()
    return elapsed


def floor(runs: int) -> None:
    """What the interpreter and the SDK cost before any code of ours runs: spawn to imports done."""
    python = sys.executable
    sdk = "mcp.server.lowlevel, mcp.server.stdio"
    no_plugins = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
    subjects: dict[str, tuple[str, dict[str, str] | None]] = {
        "python: nothing": ("sys", None),
        "import anyio, httpx": ("anyio, httpx", None),
        "import mcp_types": ("mcp_types", None),
        "import mcp.server.lowlevel": ("mcp.server.lowlevel", None),
        f"import {sdk}": (sdk, None),
        "  same, PYDANTIC_DISABLE_PLUGINS=__all__": (sdk, no_plugins),
        "import clerk_mcp_setup.server.app": ("clerk_mcp_setup.server.app", None),
    }
    commands = {k: ([python, "-c", f"import {m}; print(flush=True)"], env) for k, (m, env) in subjects.items()}
    if shutil.which("node"):
        commands["node: nothing"] = (["node", "-e", "console.log()"], None)
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for label, (argv, env) in commands.items():
            times[label].append(_until_ready(argv, env) * 1000)
    rows = [(k, f"{median(v):.0f}", spread(v)) for k, v in times.items()]
    table(("floor: spawn to imports done", "median ms", "min–max"), rows, 44)


def breakdown(argv: list[str]) -> None:
    """Our server's imports under -X importtime, summed by top-level package (self time, so nothing counts twice)."""
    with tempfile.TemporaryFile() as log:
        command = [sys.executable, "-X", "importtime", "-m", "clerk_mcp_setup.server", *argv[1:]]
        session = RawSession(command, stderr=log)
        session.send(RawSession.initialize(), INITIALIZED, LIST)
        session.receive(2)
        session.close()
        log.seek(0)
        text = log.read().decode(errors="replace")
    by_package: dict[str, int] = defaultdict(int)
    count = 0
    for line in text.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            count += 1
            by_package[match.group(2).split(".")[0]] += int(match.group(1))
    total = sum(by_package.values())
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:15]
    rows = [(name, f"{us / 1000:.0f}", f"{us / total:.0%}") for name, us in top]
    rows.append((f"(all {count} modules)", f"{total / 1000:.0f}", "100%"))
    table(("imports of `clerk-mcp-server @agent-toolkit`", "self ms", "share"), rows, 44)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser)
    parser.add_argument("--floor", action="store_true", help="also time bare interpreters and the SDK import")
    parser.add_argument("--breakdown", action="store_true", help="also sum our imports by package (-X importtime)")
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="also run the package found in DIR (e.g. `git worktree add DIR HEAD~1`) for a before/after row",
    )
    args = parser.parse_args()
    runs = args.runs or (1 if args.smoke else 15)
    peer = peer_path(args)
    subjects: dict[str, list[str]] = {}
    if peer:
        subjects[PEER_LABEL] = peer_argv(peer)
    subjects["clerk-mcp-server @agent-toolkit"] = ours_argv("@agent-toolkit")
    subjects["clerk-mcp-server *"] = ours_argv("*")
    env = None
    if args.baseline:
        env = {**server_env(), "PYTHONPATH": str(Path(args.baseline).resolve())}
        subjects["baseline @agent-toolkit"] = [sys.executable, "-P", "-m", "clerk_mcp_setup.server", *ours_argv()[1:]]
    print(f"cold start, {runs} runs each (round-robin), load before: {load()}")
    report(measure(subjects, runs, smoke=args.smoke, baseline_env=env), PEER_LABEL if peer else None)
    if args.floor or args.smoke:
        print()
        floor(runs)
    if args.breakdown or args.smoke:
        print()
        breakdown(ours_argv("@agent-toolkit"))
    print(f"(load after: {load()}; {Path(sys.executable).parent / 'clerk-mcp-server'})")


if __name__ == "__main__":
    main()
