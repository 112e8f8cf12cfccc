"""Bridge mode: stdio in, streamable HTTP out, for clients that only start local commands (Claude Desktop).

A team's server runs at a URL; Claude Desktop cannot read URL entries from its file, so its entry starts
`clerk-mcp-server --bridge URL`, which relays `tools/list` and `tools/call` to that URL with the MCP SDK's
own client. No Node or `mcp-remote` needed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import mcp_types as types
from mcp.server.lowlevel import Server

from clerk_mcp_setup import __version__
from clerk_mcp_setup.errors import UsageError

log = logging.getLogger("clerk_mcp_setup.server.bridge")


def parse_headers(
    raw: Sequence[str], from_env: Sequence[str], environ: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """`--header 'Name: value'` and `--header-env Name=VAR` (the value read from the environment)."""
    headers: dict[str, str] = {}
    for item in raw:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"--header {item!r} is not 'Name: value'.")
        headers[name.strip()] = value.strip()
    for item in from_env:
        name, sep, var = item.partition("=")
        if not sep or not name.strip() or not var.strip():
            raise UsageError(f"--header-env {item!r} is not 'Name=VARIABLE'.")
        value = environ.get(var.strip())
        if not value:
            raise UsageError(
                f"--header-env {name.strip()}: the environment variable {var.strip()} is empty.",
                "Set it in the client's entry (env) or in the environment the client starts from.",
            )
        headers[name.strip()] = value
    return headers


def build_bridge(url: str, headers: Mapping[str, str], timeout: float = 30.0) -> Server[Any]:
    """A stdio-side server whose tools are whatever the remote server lists."""

    @asynccontextmanager
    async def lifespan(_: Server[Any]) -> AsyncIterator[Any]:
        import httpx2
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        async with (
            httpx2.AsyncClient(headers=dict(headers), timeout=timeout) as http,
            Client(streamable_http_client(url, http_client=http)) as remote,
        ):
            yield remote

    async def on_list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return await ctx.lifespan_context.list_tools()

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return await ctx.lifespan_context.call_tool(params.name, params.arguments or {})

    return Server(
        "clerk",
        version=__version__,
        title="Clerk (via bridge)",
        instructions=f"Clerk tools served by the team server at {url}.",
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


async def serve_bridge(url: str, headers: Mapping[str, str]) -> None:
    from mcp.server.stdio import stdio_server

    server = build_bridge(url, headers)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
