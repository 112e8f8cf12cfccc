"""What the grown catalog costs and rests on: `tools/list` bytes on the wire, and the generated sandbox
examples still matching the spec they came from."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clerk_mcp_setup.server.catalog import CATALOG

REPO = Path(__file__).resolve().parents[1]
SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
MAX_AVERAGE_BYTES = 700  # issue 6: the full catalog's tools/list, per tool
MAX_AGENT_TOOLKIT_BYTES = 13_793  # half of @clerk/agent-toolkit 0.3.15's 27,587 bytes for the same 19 tools


def tools_list_bytes(*args: str) -> tuple[int, int]:
    """(number of tools, bytes of the `tools/list` answer line) as sent on stdout."""
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    stdin = "".join(json.dumps(m) + "\n" for m in messages)
    proc = subprocess.Popen([SERVER, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write(stdin.encode())
        proc.stdin.flush()
        while True:
            line = proc.stdout.readline()
            assert line, "the server closed stdout before answering tools/list"
            if json.loads(line).get("id") == 2:
                body = line.rstrip(b"\n")
                return len(json.loads(body)["result"]["tools"]), len(body)
    finally:
        proc.kill()
        proc.wait()


def test_full_catalog_averages_at_most_700_bytes_per_tool() -> None:
    count, size = tools_list_bytes("--tools", "*")
    assert count == len(CATALOG)
    assert size / count <= MAX_AVERAGE_BYTES, f"{size:,} bytes for {count} tools = {size / count:.0f}/tool"


def test_agent_toolkit_scope_stays_half_the_old_servers() -> None:
    count, size = tools_list_bytes("--tools", "@agent-toolkit")
    assert count == 19 and size <= MAX_AGENT_TOOLKIT_BYTES, size


def test_generated_sandbox_examples_match_the_spec(bapi_spec: dict[str, Any]) -> None:
    """`clerk_mcp_setup/server/sandbox/examples.py` is what scripts/gen_sandbox_examples.py makes of the spec."""
    spec_ = importlib.util.spec_from_file_location("gen_sandbox_examples", REPO / "scripts" / "gen_sandbox_examples.py")
    assert spec_ and spec_.loader
    gen = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(gen)
    committed = (REPO / "clerk_mcp_setup" / "server" / "sandbox" / "examples.py").read_text(encoding="utf-8")
    if gen.render(gen.build(bapi_spec)) != committed:
        pytest.fail("sandbox/examples.py is out of date: run python scripts/gen_sandbox_examples.py")
