"""Build the MCP server from a selection of catalog tools, on the SDK's low-level `Server`.

The low-level server lets the catalog's records be the tools as they are: schemas written once and
kept small, annotations exact, and one call path for every tool.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import mcp_types as types
from mcp.server.lowlevel import Server

from clerk_mcp_setup import __version__
from clerk_mcp_setup.server.api import ClerkAPI
from clerk_mcp_setup.server.approval import ApprovalPage
from clerk_mcp_setup.server.audit import AuditLog
from clerk_mcp_setup.server.calls import Caller, Policy, error_result, handle
from clerk_mcp_setup.server.catalog import Tool
from clerk_mcp_setup.server.confirm import ConfirmMode, SqliteUsed, StateSigner, default_used_path
from clerk_mcp_setup.server.discover import Discover
from clerk_mcp_setup.server.fetch import FetchPolicy
from clerk_mcp_setup.server.handlers import Runtime
from clerk_mcp_setup.server.listing import tool_entry
from clerk_mcp_setup.server.results import redact, redact_key_shapes

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("clerk_mcp_setup.server")


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
    confirm: ConfirmMode = "destructive"
    confirm_ttl: float = 300.0
    approval_timeout: float = 120.0
    open_browser: bool = True
    audit_log: str = "default"
    allow_fetch_hosts: tuple[str, ...] = ()  # image URLs: hosts trusted for http and private addresses
    discover: bool = False  # list the three @discover tools instead of the scope's own
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)


def _instructions(config: ServerConfig, surface: Discover | None = None) -> str:
    categories = ", ".join(dict.fromkeys(t.category for t in config.tools))
    text = (
        surface.instructions()
        if surface
        else (
            f"Tools for a Clerk instance's Backend API ({categories}). Use list tools to find ids; they page with "
            "limit/offset and return {items,total_count,has_more,next_offset}. Each description starts with its risk; "
            "destructive and credential calls ask for confirmation."
        )
    )
    if config.demo:
        text = (
            "DEMO MODE: every tool runs against a local sandbox with made-up data, not a real Clerk "
            "instance; changes vanish when the server stops. " + text
        )
    return text


def mcp_tool(tool: Tool, confirm: ConfirmMode = "destructive") -> types.Tool:
    """The catalog record as MCP describes a tool (built by `listing.tool_entry`, which the wizard counts)."""
    return types.Tool.model_validate(tool_entry(tool, confirm))


def policy_for(
    config: ServerConfig, key: str | None = None, *, http: bool = False, approver: ApprovalPage | None = None
) -> Policy:
    """The call policy; over HTTP one per request key, its elicitation states signed with a key-derived secret
    and claimed in the machine-wide store (so every worker, and a restart, accepts each answer once)."""
    key = key or config.secret_key
    secrets = tuple(s for s in (key,) if s)
    if http:
        states = StateSigner.for_secret(key, SqliteUsed(default_used_path()), ttl=config.confirm_ttl)
    else:
        states = StateSigner(ttl=config.confirm_ttl)  # a key of this process alone: a restart voids every state
    return Policy(
        confirm=config.confirm,
        states=states,
        audit=AuditLog(config.audit_log, secrets),
        allow_private_metadata=config.allow_private_metadata,
        secrets=secrets,
        approver=None if http else approver,
    )


def _request_header(ctx: Any, name: str) -> str | None:
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    return headers.get(name) if headers is not None else None


def _oauth_subject() -> str | None:
    """The user signed in with Clerk (OAuth), who then acts through the tools."""
    from mcp.server.auth.middleware.auth_context import get_access_token

    token = get_access_token()
    return token.subject if token else None


def build_server(
    config: ServerConfig, *, public: bool = False, http: bool = False, approver: ApprovalPage | None = None
) -> Server[Runtime]:
    """An MCP server exposing exactly `config.tools`.

    `public` (HTTP without a server key): each call uses the key its own request carries, through an API
    client made for that call alone, so keys never meet. `approver` (stdio only): the approval page.
    """
    by_name = {t.name: t for t in config.tools}
    surface = Discover(config.tools, config.confirm) if config.discover else None
    listed = surface.listed() if surface else [mcp_tool(t, config.confirm) for t in config.tools]
    policy = policy_for(config, http=http or public, approver=approver)
    fetch = FetchPolicy.allowing(config.allow_fetch_hosts)

    @asynccontextmanager
    async def lifespan(_: Server[Runtime]) -> AsyncIterator[Runtime]:
        if not config.secret_key:
            yield Runtime(
                api=None, user_id=config.user_id, demo=config.demo, missing_key=config.missing_key, fetch=fetch
            )
            return
        api = ClerkAPI(config.secret_key, config.api_url, timeout=config.timeout, transport=config.transport)
        try:
            yield Runtime(api=api, user_id=config.user_id, demo=config.demo, fetch=fetch)
        finally:
            await api.aclose()

    async def on_list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listed)

    async def on_call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        arguments, via = params.arguments or {}, None
        if surface is not None:
            routed = surface.route(params.name, arguments)
            if isinstance(routed, types.CallToolResult):
                return routed
            tool, arguments, via = routed
        else:
            tool = by_name.get(params.name)
        if tool is None:
            return error_result(
                {
                    "code": "unknown_tool",
                    "message": f"No tool named {params.name!r} in this server's scope.",
                    "hint": "Available: " + ", ".join(by_name),
                }
            )
        caller = Caller.from_context(ctx, params)
        caller.agent = _request_header(ctx, "user-agent")
        caller.via = via
        rt: Runtime = ctx.lifespan_context
        acting = _oauth_subject() if getattr(ctx, "request", None) is not None else None
        if not public:
            if acting:
                rt = replace(rt, user_id=acting)
            return await handle(rt, tool, arguments, policy, caller)
        key = (_request_header(ctx, "x-clerk-secret-key") or "").strip()
        api = ClerkAPI(key, config.api_url, timeout=config.timeout, transport=config.transport) if key else None
        try:
            own = Runtime(
                api=api,
                user_id=acting or config.user_id,
                demo=config.demo,
                missing_key="Send the key in the X-Clerk-Secret-Key header.",
                fetch=fetch,
            )
            return await handle(own, tool, arguments, policy_for(config, key, http=True), caller)
        finally:
            if api is not None:
                await api.aclose()

    return Server(
        "clerk",
        version=__version__,
        title="Clerk" + (" (demo)" if config.demo else ""),
        instructions=_instructions(config, surface),
        lifespan=lifespan,
        on_list_tools=on_list_tools,
        on_call_tool=on_call_tool,
    )


async def serve_stdio(config: ServerConfig) -> None:
    """Serve one client over stdin/stdout until it disconnects."""
    from mcp.server.stdio import stdio_server

    approver = ApprovalPage(config.approval_timeout, open_browser=config.open_browser)
    server = build_server(config, approver=approver)
    try:
        async with stdio_server() as (read, write):
            await server.run(read, write, server.create_initialization_options())
    finally:
        approver.close()


class RedactingFilter(logging.Filter):
    """Removes secrets from every log line, ours and the libraries' (httpx logs request URLs, the SDK logs
    each request with -v, and an agent may have put a key into an argument): the server's own secrets, and
    anything key-shaped, since in public mode every request brings a key the server never saw before."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_key_shapes(redact(message, self.secrets))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:  # a traceback's text can quote arguments too
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_key_shapes(redact(record.exc_text, self.secrets))
        return True


def configure_logging(verbose: bool = False, secrets: tuple[str, ...] = ()) -> None:
    """Logs go to stderr (stdout belongs to the protocol), with secrets redacted.

    uvicorn is started with `log_config=None`, so its access and error lines come here too.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("clerk-mcp-server: %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(tuple(s for s in secrets if s)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
