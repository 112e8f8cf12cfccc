"""Bridge mode: stdio in, streamable HTTP out, for clients that only start local commands (Claude Desktop).

A team's server runs at a URL; Claude Desktop cannot read URL entries from its file, so its entry starts
`clerk-mcp-server --bridge URL`, which relays `tools/list` and `tools/call` to that URL with the MCP SDK's
own client. No Node or `mcp-remote` needed.

When the URL asks for OAuth sign-in (401 with MCP's discovery), the bridge signs in with the SDK's OAuth
client (`clerk_mcp_setup.auth`): the browser opens the first time, tokens live in the vault and refresh. A
sign-in it cannot do (a revoked refresh token) becomes a JSON-RPC error the client shows, naming
`clerk-mcp-setup login`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import mcp_types as types
from mcp.server.lowlevel import Server

from clerk_mcp_setup import __version__
from clerk_mcp_setup.errors import ClerkMcpError, UsageError

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


SIGN_IN_ERROR = -32001  # a server-defined JSON-RPC error code: "sign-in required"
SIGN_IN_ENV = "CLERK_MCP_SIGN_IN"


def build_bridge(url: str, headers: Mapping[str, str], timeout: float = 30.0, name: str | None = None) -> Server[Any]:
    """A stdio-side server whose tools are whatever the remote server lists."""

    @asynccontextmanager
    async def lifespan(_: Server[Any]) -> AsyncIterator[Any]:
        from mcp import Client
        from mcp.client.streamable_http import streamable_http_client

        async with AsyncExitStack() as stack:
            try:
                http = await stack.enter_async_context(_http_client(url, headers, timeout, name))
                remote = await stack.enter_async_context(Client(streamable_http_client(url, http_client=http)))
            except Exception as exc:
                from clerk_mcp_setup.auth.signin import explain

                problem = explain(exc, name or url)
                if problem is None:
                    raise
                log.error("%s", problem.render())
                yield problem  # the client still starts, and every request answers with this message
                return
            yield remote

    def remote(ctx: Any) -> Any:
        held = ctx.lifespan_context
        if isinstance(held, ClerkMcpError):
            from mcp.shared.exceptions import MCPError

            raise MCPError(SIGN_IN_ERROR, held.render().replace("\nhint: ", " "))
        return held

    async def on_list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return await remote(ctx).list_tools()

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        return await remote(ctx).call_tool(params.name, params.arguments or {})

    return Server(
        "clerk",
        version=__version__,
        title="Clerk (via bridge)",
        instructions=f"Clerk tools served by the team server at {url}.",
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


def _http_client(url: str, headers: Mapping[str, str], timeout: float, name: str | None) -> Any:
    """A plain client when the entry brings its own Authorization header; else one that signs in on a 401.

    It may open the browser only when this server was never signed in to: after a refused refresh the
    person is sent to `clerk-mcp-setup login` instead of a browser popping up behind their editor."""
    import httpx2

    if any(h.lower() == "authorization" for h in headers):
        return httpx2.AsyncClient(headers=dict(headers), timeout=timeout)
    from clerk_mcp_setup.auth.signin import authed_http
    from clerk_mcp_setup.auth.store import VaultTokenStorage

    storage = VaultTokenStorage(url)
    # `clerk-mcp-setup verify` starts the bridge with CLERK_MCP_SIGN_IN=never: check, never open a browser.
    first_time = storage.state().state == "not-signed-in" and os.environ.get(SIGN_IN_ENV) != "never"
    return authed_http(url, storage, interactive=first_time, name=name or url, headers=dict(headers))


async def serve_bridge(url: str, headers: Mapping[str, str], name: str | None = None) -> None:
    from mcp.server.stdio import stdio_server

    server = build_bridge(url, headers, name=name)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
