"""Both programs exit quietly when the reader of their output goes away (`… | head -1`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe whose read end is already closed: the first write fails, whatever its size."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(argv, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False)
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "argv",
    [
        ["clerk-mcp-server", "--list-tools", "-t", "*"],
        ["clerk-mcp-server", "--list-tools", "--json", "-t", "*"],
        ["clerk-mcp-server", "--help"],
        ["clerk-mcp-setup", "--help"],
        ["clerk-mcp-setup", "status"],
    ],
    ids=" ".join,
)
def test_closed_output_pipe_is_quiet(argv: list[str]) -> None:
    out = run_into_closed_pipe(str(BIN / argv[0]), *argv[1:])
    assert "Traceback" not in out.stderr and "BrokenPipeError" not in out.stderr, out.stderr
    assert out.returncode in (0, 141), (out.returncode, out.stderr)


def test_head_reads_the_first_line_only() -> None:
    """The case people type: a shell pipeline into head."""
    server = BIN / "clerk-mcp-server"
    out = subprocess.run(
        f"'{server}' --list-tools --json -t '*' | head -1", shell=True, capture_output=True, text=True, check=False
    )
    assert out.stdout == "[\n" and "Traceback" not in out.stderr and "Error" not in out.stderr, out.stderr
