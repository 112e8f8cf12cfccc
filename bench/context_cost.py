"""Context cost: the bytes of `tools/list` as sent on the wire, for the 19-tool compatible scope, the default,
all tools, and all tools through `@discover` (three tools); and how well `@discover`'s search finds tools.

Usage: python bench/context_cost.py [--peer PATH/TO/node_modules/.bin/local-mcp]
Spawns the real `clerk-mcp-server`, speaks raw JSON-RPC on stdin (no client library in between), and prints
a table; with --peer it measures @clerk/agent-toolkit's server in the same run. Then it runs the requests of
tests/discover_queries.py through the search and prints the top-1 and top-3 hit rates.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import RawSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from discover_queries import QUERIES  # the table the tests hold the search to

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
    scopes = (
        ("clerk-mcp-server @agent-toolkit", ["@agent-toolkit"]),
        ("clerk-mcp-server @default", ["@default"]),
        ("clerk-mcp-server *", ["*"]),
        ("clerk-mcp-server @discover (171)", ["@discover"]),
        ("  same, --read-only", ["@discover", "--read-only"]),
    )
    for label, scope in scopes:
        line = tools_list_line([SERVER, "--tools", *scope])
        rows.append((label, len(json.loads(line)["result"]["tools"]), len(line)))
    print(f"{'server':<34} {'tools':>5} {'bytes':>8} {'bytes/tool':>10} {'vs peer 19':>10}")
    for label, count, size in rows:
        print(f"{label:<34} {count:>5} {size:>8,} {size // count:>10} {size / baseline:>10.2f}")
    if peer is None:
        print(f"(peer not run: ratio against its published {PEER_PUBLISHED:,} bytes; pass --peer to measure it)")
    search_quality()


def search_quality() -> None:
    """Top-1 and top-3 hit rates of `searchClerkTools` over every tool, for the requests of the tests' table."""
    from clerk_mcp_setup.server.catalog import CATALOG
    from clerk_mcp_setup.server.search import ToolIndex

    index = ToolIndex(CATALOG)
    started = time.perf_counter()
    found = [(want, [t.name for t in index.search(query)[:3]]) for query, want in QUERIES]
    per_query_ms = (time.perf_counter() - started) * 1000 / len(QUERIES)
    top1 = sum(bool(got) and got[0] == want for want, got in found)
    top3 = sum(want in got for want, got in found)
    print(
        f"@discover search, {len(QUERIES)} requests over {len(CATALOG)} tools: top-1 {top1}/{len(QUERIES)} "
        f"({top1 / len(QUERIES):.0%}), top-3 {top3}/{len(QUERIES)} ({top3 / len(QUERIES):.0%}), "
        f"{per_query_ms:.2f} ms a search"
    )


if __name__ == "__main__":
    main()
