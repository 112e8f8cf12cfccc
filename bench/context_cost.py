"""Context cost: the bytes of `tools/list` as sent on the wire, for the 19-tool compatible scope and for all tools.

Usage: python bench/context_cost.py [--peer PATH/TO/node_modules/.bin/local-mcp]
Spawns the real `clerk-mcp-server`, speaks raw JSON-RPC on stdin (no client library in between), and prints
a table; with --peer it measures @clerk/agent-toolkit's server in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from common import RawSession

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
PEER_PUBLISHED = 27_587  # peers.md: @clerk/agent-toolkit 0.3.15, 19 tools


def tools_list_line(argv: list[str]) -> bytes:
    """`tools/list` exactly as the server sends it, after the handshake."""
    with RawSession(argv) as session:
        session.open()
        session.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
        return session.receive_line(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", help="path of @clerk/agent-toolkit's local-mcp binary")
    args = parser.parse_args()
    rows = []
    peer = None
    if args.peer:
        line = tools_list_line([args.peer, "--secret-key", "sk_test_bench", "--api-url", "http://127.0.0.1:9"])
        peer = len(line)
        rows.append(("@clerk/agent-toolkit 0.3.15", len(json.loads(line)["result"]["tools"]), peer))
    baseline = peer or PEER_PUBLISHED
    for label, scope in (("clerk-mcp-server @agent-toolkit", "@agent-toolkit"), ("clerk-mcp-server *", "*")):
        line = tools_list_line([SERVER, "--tools", scope])
        rows.append((label, len(json.loads(line)["result"]["tools"]), len(line)))
    print(f"{'server':<32} {'tools':>5} {'bytes':>8} {'bytes/tool':>10} {'vs peer 19':>10}")
    for label, count, size in rows:
        print(f"{label:<32} {count:>5} {size:>8,} {size // count:>10} {size / baseline:>10.2f}")
    if peer is None:
        print(f"(peer not run: ratio against its published {PEER_PUBLISHED:,} bytes; pass --peer to measure it)")


if __name__ == "__main__":
    main()
