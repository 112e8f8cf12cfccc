"""Installer: `clerk-mcp-setup` end to end, into a fresh temporary home each run.

Usage: python bench/installer.py [--runs 5] [--client cursor] [--smoke]
Times, from spawn to exit: an install into one client without and with verification (verification starts the
written entry and lists its tools), an install into all 8 clients at once with verification, and `status` with
those 8 clients present. Every install is `--demo --yes` (no key needed), with HOME a temporary directory, the
XDG variables unset, `CLERK_MCP_VAULT=file`, and the `claude` CLI route off so only our own code is timed.
Time to the wizard's first screen is bench/first_screen.py's measurement (run it for its own table).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from collections.abc import Callable

from common import SETUP, load, median, spread, table

CLIENTS = ["claude-desktop", "claude-code", "cursor", "vscode", "windsurf", "zed", "codex", "gemini"]
TARGETS = {"status, 8 clients present": 500.0, "install 8 clients, with verification": 3000.0}


def env_for(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=home, CLERK_MCP_VAULT="file", CLERK_MCP_SETUP_NO_CLAUDE_CLI="1")
    return env


def run(argv: list[str], home: str) -> float:
    """Seconds from spawn to exit; a failure stops the benchmark with the command's output."""
    began = time.perf_counter()
    done = subprocess.run([SETUP, *argv], env=env_for(home), cwd=home, capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"clerk-mcp-setup {' '.join(argv)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return elapsed


def install(clients: list[str], *, verify: bool) -> Callable[[], float]:
    def once() -> float:
        with tempfile.TemporaryDirectory() as home:
            argv = [arg for c in clients for arg in ("--client", c)] + ["--demo", "--yes"]
            return run(argv + ([] if verify else ["--no-verify"]), home)

    return once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one run each; no thresholds")
    parser.add_argument("--runs", type=int, help="repetitions (default 5)")
    parser.add_argument("--client", default="cursor", help="the client of the one-client installs (default cursor)")
    args = parser.parse_args()
    runs = args.runs or (1 if args.smoke else 5)
    print(f"installer: {runs} runs each, load before: {load()}")
    with tempfile.TemporaryDirectory() as status_home:
        run([arg for c in CLIENTS for arg in ("--client", c)] + ["--demo", "--yes", "--no-verify"], status_home)
        cases: dict[str, Callable[[], float]] = {
            f"install 1 client ({args.client}), no verification": install([args.client], verify=False),
            f"install 1 client ({args.client}), with verification": install([args.client], verify=True),
            "install 8 clients, with verification": install(CLIENTS, verify=True),
            "status, 8 clients present": lambda: run(["status"], status_home),
        }
        if not args.smoke:
            for once in cases.values():  # unmeasured: page cache, .pyc files
                once()
        samples: dict[str, list[float]] = {label: [] for label in cases}
        for _ in range(runs):
            for label, once in cases.items():
                samples[label].append(once() * 1000)
    rows = []
    for label, ms in samples.items():
        target = TARGETS.get(label)
        verdict = "" if target is None else ("met" if median(ms) < target else f"missed by {median(ms) - target:.0f}")
        rows.append((label, f"{median(ms):.0f}", spread(ms), f"< {target:.0f}" if target else "", verdict))
    table(("command (spawn to exit)", "median ms", "min–max", "target ms", ""), rows, 46)
    print(f"(load after: {load()}; wizard first screen: python bench/first_screen.py)")


if __name__ == "__main__":
    main()
