"""What `tools/list` says, as plain JSON built from the catalog: the server sends it, and the installer and the
wizard count its bytes without starting a server (or importing the MCP SDK).

tests/test_discover.py checks that `tools_list_bytes` equals what the real server writes on stdout.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from clerk_mcp_setup.scope import READ_CALLER, SEARCH_TOOL, WRITE_CALLER, is_discover, resolve
from clerk_mcp_setup.server.catalog import RISKS, Tool
from clerk_mcp_setup.server.confirm import ConfirmMode

SEARCH_LIMIT, LIST_LIMIT, MAX_LIMIT = 5, 20, 50


def tool_entry(tool: Tool, confirm: ConfirmMode = "destructive") -> dict[str, Any]:
    """The catalog record as MCP describes a tool: risk first in the description. No parameter lets the model
    confirm a call itself (a person does: server/confirm.py), so `confirm` changes nothing here."""
    hints = tool.annotations()
    schema = tool.input_schema()
    return {
        "name": tool.name,
        "title": tool.title,
        "description": f"[{tool.risk}] {tool.description}",
        "inputSchema": schema,
        "annotations": {
            "readOnlyHint": hints["readOnlyHint"],
            "destructiveHint": hints["destructiveHint"],
            "idempotentHint": hints["idempotentHint"],
            "openWorldHint": hints["openWorldHint"],
        },
    }


def _hints(read_only: bool, destructive: bool, idempotent: bool, open_world: bool) -> dict[str, bool]:
    return {
        "readOnlyHint": read_only,
        "destructiveHint": destructive,
        "idempotentHint": idempotent,
        "openWorldHint": open_world,
    }


_NAME = {"type": "string", "description": "Tool name from searchClerkTools."}
_ARGS = {"type": "object", "description": "The tool's arguments, as its inputSchema says."}


def discover_entries(tools: Sequence[Tool]) -> list[dict[str, Any]]:
    """The `@discover` surface over `tools`: the search tool, and each caller that has something to call."""
    categories = list(dict.fromkeys(t.category for t in tools))
    search = {
        "name": SEARCH_TOOL,
        "title": "Search Clerk tools",
        "description": f"[read] Find the Clerk Backend API tool for a task ({len(tools)} in scope): name, risk, "
        f"inputSchema. Run it with {READ_CALLER} (risk read) or {WRITE_CALLER} (others).",
        "inputSchema": {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "The task in words, e.g. 'ban a user'; empty lists all."},
                "category": {"type": "string", "enum": categories, "description": "Only this category."},
                "risk": {"type": "string", "enum": list(RISKS), "description": "Only this risk."},
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "description": f"Results per page (default {SEARCH_LIMIT}; {LIST_LIMIT} if query is empty).",
                },
                "offset": {"type": "integer", "minimum": 0, "description": "Results to skip: next_offset."},
            },
            "additionalProperties": False,
        },
        "annotations": _hints(True, False, True, False),
    }
    entries = [search]
    if any(t.read_only for t in tools):
        entries.append(
            {
                "name": READ_CALLER,
                "title": "Run a Clerk read tool",
                "description": "[read] Run a tool of risk read found with searchClerkTools.",
                "inputSchema": {
                    "type": "object",
                    "properties": {"name": _NAME, "arguments": _ARGS},
                    "required": ["name"],
                    "additionalProperties": False,
                },
                "annotations": _hints(True, False, True, True),
            }
        )
    if any(not t.read_only for t in tools):
        entries.append(
            {
                "name": WRITE_CALLER,
                "title": "Run a Clerk write tool",
                "description": "[write] Run a tool of risk write, destructive or credential found with "
                "searchClerkTools. Destructive and credential calls ask for confirmation first.",
                "inputSchema": {
                    "type": "object",
                    "properties": {
                        "name": _NAME,
                        "arguments": _ARGS,
                    },
                    "required": ["name"],
                    "additionalProperties": False,
                },
                "annotations": _hints(False, True, False, True),
            }
        )
    return entries


def listed(
    tools: Sequence[Tool], *, discover: bool = False, confirm: ConfirmMode = "destructive"
) -> list[dict[str, Any]]:
    """Every entry of `tools/list` for a server of these tools (or their `@discover` surface)."""
    return discover_entries(tools) if discover else [tool_entry(t, confirm) for t in tools]


def tools_list_bytes(
    values: Sequence[str] | None, *, read_only: bool = False, confirm: ConfirmMode = "destructive", request_id: int = 2
) -> int:
    """Bytes of the `tools/list` answer line (without its newline) a server started with `--tools values` sends."""
    tools = resolve(values, read_only=read_only)
    message = {
        "jsonrpc": "2.0",
        "id": request_id,
        "result": {"tools": listed(tools, discover=is_discover(values), confirm=confirm)},
    }
    return len(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())
