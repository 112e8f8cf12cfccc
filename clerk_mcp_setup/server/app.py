"""Build the MCP server from a selection of catalog tools, on the SDK's low-level `Server`.

The low-level server lets the catalog's records be the tools as they are: schemas written once and
kept small, annotations exact, and one call path for every tool.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import mcp_types as types
from mcp.server.lowlevel import Server

from clerk_mcp_setup import __version__
from clerk_mcp_setup.server.api import ClerkAPI, ClerkAPIError
from clerk_mcp_setup.server.catalog import Tool
from clerk_mcp_setup.server.handlers import Runtime, run_tool
from clerk_mcp_setup.server.results import redact, strip_private

log = logging.getLogger("clerk_mcp_setup.server")

_HINTS = {
    401: "The secret key was rejected: copy it again from the Clerk Dashboard → API keys.",
    403: "The key lacks permission for this call, or the feature is not enabled on this instance.",
    404: "Nothing has that id: find the right one with a list tool (listUsers, listOrganizations…).",
    422: "Clerk refused the parameters: long_message says which one and why.",
    429: "Rate limited by Clerk: wait retry_after seconds before trying again.",
}


@dataclass
class ServerConfig:
    """Everything the command line decides about one server instance."""

    tools: Sequence[Tool]
    secret_key: str | None = None
    api_url: str | None = None
    user_id: str | None = None
    allow_private_metadata: bool = False
    demo: bool = False
    timeout: float = 20.0
    missing_key: str | None = None
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)


def _instructions(config: ServerConfig) -> str:
    text = (
        "Tools for a Clerk instance's Backend API (users, organizations, invitations). Use list tools "
        "to find ids; list tools page with limit/offset and return {items,total_count,has_more,next_offset}."
    )
    if config.demo:
        text = (
            "DEMO MODE: every tool runs against a local sandbox with made-up data, not a real Clerk "
            "instance; changes vanish when the server stops. " + text
        )
    return text


def mcp_tool(tool: Tool) -> types.Tool:
    """The catalog record as MCP describes a tool."""
    hints = tool.annotations()
    return types.Tool(
        name=tool.name,
        title=tool.title,
        description=tool.description,
        input_schema=tool.input_schema(),
        annotations=types.ToolAnnotations(
            read_only_hint=hints["readOnlyHint"],
            destructive_hint=hints["destructiveHint"],
            idempotent_hint=hints["idempotentHint"],
            open_world_hint=hints["openWorldHint"],
        ),
    )


def _result(data: Any, *, is_error: bool = False) -> types.CallToolResult:
    structured = data if isinstance(data, dict) else {"result": data}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)], structured_content=structured, is_error=is_error
    )


def error_result(error: ClerkAPIError | dict[str, Any], secrets: tuple[str, ...] = ()) -> types.CallToolResult:
    """A tool error the agent can act on: Clerk's code and messages plus what to do about it."""
    body = error.to_dict() if isinstance(error, ClerkAPIError) else dict(error)
    hint = body.get("hint") or _HINTS.get(body.get("status") or 0)
    if hint:
        body["hint"] = hint
    return _result({"error": redact({k: v for k, v in body.items() if v is not None}, secrets)}, is_error=True)


def build_server(config: ServerConfig) -> Server[Runtime]:
    """An MCP server exposing exactly `config.tools`."""
    by_name = {t.name: t for t in config.tools}
    listed = [mcp_tool(t) for t in config.tools]
    secrets = tuple(s for s in (config.secret_key,) if s)

    @asynccontextmanager
    async def lifespan(_: Server[Runtime]) -> AsyncIterator[Runtime]:
        if not config.secret_key:
            yield Runtime(api=None, user_id=config.user_id, demo=config.demo, missing_key=config.missing_key)
            return
        api = ClerkAPI(config.secret_key, config.api_url, timeout=config.timeout, transport=config.transport)
        try:
            yield Runtime(api=api, user_id=config.user_id, demo=config.demo)
        finally:
            await api.aclose()

    async def on_list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listed)

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        tool = by_name.get(params.name)
        if tool is None:
            return error_result(
                {
                    "code": "unknown_tool",
                    "message": f"No tool named {params.name!r} in this server's scope.",
                    "hint": "Available: " + ", ".join(by_name),
                }
            )
        try:
            data = await run_tool(ctx.lifespan_context, tool, params.arguments or {})
        except ClerkAPIError as exc:
            return error_result(exc, secrets)
        except Exception as exc:  # a bug of ours: report it without a traceback full of locals
            log.error("tool %s failed: %s", tool.name, redact(repr(exc), secrets))
            return error_result(
                {
                    "code": "internal_error",
                    "message": f"{tool.name} failed inside the server: {type(exc).__name__}.",
                    "hint": "Please report this; the server's stderr has details.",
                },
                secrets,
            )
        if not config.allow_private_metadata:
            data = strip_private(data)
        return _result(redact(data, secrets))

    return Server(
        "clerk",
        version=__version__,
        title="Clerk" + (" (demo)" if config.demo else ""),
        instructions=_instructions(config),
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


async def serve_stdio(config: ServerConfig) -> None:
    """Serve one client over stdin/stdout until it disconnects."""
    from mcp.server.stdio import stdio_server

    server = build_server(config)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


class RedactingFilter(logging.Filter):
    """Removes secrets from every log line, ours and the libraries' (httpx logs request URLs, and an agent
    may have put the key into an id)."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(verbose: bool = False, secrets: tuple[str, ...] = ()) -> None:
    """Logs go to stderr (stdout belongs to the protocol), with secrets redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("clerk-mcp-server: %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(tuple(s for s in secrets if s)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
