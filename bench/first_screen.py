"""Time to first screen: from starting `clerk-mcp-setup` in a terminal to the Clients screen being drawn.

Usage: python bench/first_screen.py [--runs 7] [--size 80x24] [--smoke]
Starts the real console script on a pseudo-terminal (so it opens the wizard, as for a person), reads what it
draws until the Clients table's last row appears, then quits it with ctrl+q. Each run gets a fresh empty home,
so nothing is detected and nothing is cached by us. Prints the median and spread, with two baselines.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
MARKER = b"Gemini CLI"  # the last client row: the whole first screen is on the terminal


def first_screen(size: tuple[int, int], timeout: float = 30.0) -> float:
    """Seconds from spawn to MARKER on the terminal; then the app is quit and reaped."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "TERM": "xterm-256color", "CLERK_MCP_VAULT": "file"}
        for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            env.pop(var, None)
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        started = time.perf_counter()
        proc = subprocess.Popen([SETUP], stdin=follower, stdout=follower, stderr=follower, env=env, cwd=home)
        os.close(follower)
        seen = b""
        elapsed = float("nan")
        deadline = started + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
                if MARKER in seen:
                    elapsed = time.perf_counter() - started
                    break
        os.write(leader, b"\x11")  # ctrl+q
        try:
            while proc.poll() is None and select.select([leader], [], [], 0.2)[0]:
                os.read(leader, 65536)
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        os.close(leader)
        return elapsed


def run_to_exit(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return time.perf_counter() - started


def row(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"{name:<40} {statistics.median(ms):>8.0f} {ms[0]:>8.0f} {ms[-1]:>8.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxLINES (default 80x24)")
    parser.add_argument("--smoke", action="store_true", help="one run each, for tests/test_bench_smoke.py")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    cols, lines = (int(n) for n in args.size.split("x"))
    first_screen((cols, lines))  # warm the OS file cache and .pyc files; not counted
    rows = [
        ("python -c pass (interpreter start)", [run_to_exit([sys.executable, "-c", "pass"]) for _ in range(args.runs)]),
        ("clerk-mcp-setup --version (CLI start)", [run_to_exit([SETUP, "--version"]) for _ in range(args.runs)]),
        (f"wizard: first screen drawn ({args.size})", [first_screen((cols, lines)) for _ in range(args.runs)]),
    ]
    print(f"{args.runs} runs each, milliseconds, Python {sys.version.split()[0]}, {sys.platform}")
    print(f"{'':<40} {'median':>8} {'min':>8} {'max':>8}")
    for name, samples in rows:
        print(row(name, samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
