"""`clerk-mcp-setup`: the installer's command line.

It parses arguments and hands a request to the installer; the Textual wizard is imported lazily so
the non-interactive paths stay fast and never load Textual.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from clerk_mcp_setup import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clerk-mcp-setup",
        description="Install the bundled Clerk MCP server (clerk-mcp-server) into your AI clients.",
        epilog="The server itself: clerk-mcp-server --help (try clerk-mcp-server --demo with no account).",
    )
    parser.add_argument("--version", action="version", version=f"clerk-mcp-setup {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(argv)
    parser.print_help()
    return 0
