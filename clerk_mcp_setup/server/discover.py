"""The `@discover` surface: three tools that reach a whole scope for the context cost of three.

`searchClerkTools` ranks the scope's tools for a request in words (server/search.py); `callClerkRead` runs a
tool of risk read and `callClerkWrite` any other, so a client can auto-approve the one and ask about the
other. The callers only route: the inner tool then goes through `calls.handle` exactly as a direct call
(argument validation, confirmation, audit with the inner name and the caller, redaction, results and errors).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

import mcp_types as types

from clerk_mcp_setup.scope import READ_CALLER, SEARCH_TOOL, WRITE_CALLER
from clerk_mcp_setup.server.calls import error_result, result
from clerk_mcp_setup.server.catalog import BY_NAME, RISKS, Tool
from clerk_mcp_setup.server.confirm import ConfirmMode
from clerk_mcp_setup.server.listing import LIST_LIMIT, MAX_LIMIT, SEARCH_LIMIT, discover_entries, tool_entry
from clerk_mcp_setup.server.search import ToolIndex

MAX_QUERY = 500  # a task in words; longer is a mistake (or an attempt to make the server work for nothing)

Routed = tuple[Tool, dict[str, Any], str]
"""The inner tool, its arguments and the caller's name: what `calls.handle` runs."""


def _invalid(message: str, hint: str | None = None) -> types.CallToolResult:
    return error_result({"code": "invalid_argument", "message": message, "hint": hint})


class Discover:
    """The three tools over one scope; `route` answers a search or names the inner call to run."""

    def __init__(self, tools: Sequence[Tool], confirm: ConfirmMode = "destructive") -> None:
        self.tools = list(tools)
        self.confirm = confirm
        self.by_name = {t.name: t for t in tools}
        self.categories = list(dict.fromkeys(t.category for t in tools))
        self.index = ToolIndex(tools)
        self.entries = discover_entries(tools)
        self.names = [e["name"] for e in self.entries]

    def listed(self) -> list[types.Tool]:
        return [types.Tool.model_validate(entry) for entry in self.entries]

    def instructions(self) -> str:
        categories = ", ".join(self.categories)
        callers = (
            f"{READ_CALLER} for risk read, {WRITE_CALLER} for the others"
            if WRITE_CALLER in self.names
            else f"{READ_CALLER} (this server is read-only)"
        )
        return (
            f"Clerk Backend API: {len(self.tools)} tools ({categories}) reached through three. First call "
            f"{SEARCH_TOOL} with the task in words ('ban a user'; empty query lists all, paged); each match gives "
            f"its name, risk and inputSchema. Then run it with {callers}: {{name, arguments}}. List tools page "
            "with limit/offset and return {items,total_count,has_more,next_offset}; destructive and credential "
            "calls ask for confirmation."
        )

    def route(self, name: str, arguments: Mapping[str, Any]) -> types.CallToolResult | Routed:
        if name == SEARCH_TOOL:
            return self.search(arguments)
        if name in (READ_CALLER, WRITE_CALLER) and name in self.names:
            return self._call(name, arguments)
        return error_result(
            {
                "code": "unknown_tool",
                "message": f"No tool named {name!r} on this server.",
                "hint": f"It serves {', '.join(self.names)}; find Clerk tools with {SEARCH_TOOL}.",
            }
        )

    def search(self, args: Mapping[str, Any]) -> types.CallToolResult:
        """Ranked matches for `query` (every tool in scope, in catalog order, when it is empty), paged."""
        unknown = sorted(set(args) - {"query", "category", "risk", "limit", "offset"})
        if unknown:
            return _invalid(
                f"Unknown argument(s) for {SEARCH_TOOL}: {', '.join(unknown)}.",
                "It takes query, category, risk, limit and offset.",
            )
        query = args.get("query") or ""
        category, risk = args.get("category"), args.get("risk")
        if not isinstance(query, str):
            return _invalid("query must be a string.")
        if len(query) > MAX_QUERY:
            return _invalid(f"query is {len(query):,} characters; describe the task in at most {MAX_QUERY}.")
        if category is not None and category not in self.categories:
            return _invalid(
                f"No category {category!r} in this server's scope.{_close(str(category), self.categories)}",
                "Categories: " + ", ".join(self.categories),
            )
        if risk is not None and risk not in RISKS:
            return _invalid(f"risk must be one of {', '.join(RISKS)}; got {risk!r}.")
        limit = args.get("limit", SEARCH_LIMIT if query.strip() else LIST_LIMIT)
        offset = args.get("offset", 0)
        for label, value, low, high in (("limit", limit, 1, MAX_LIMIT), ("offset", offset, 0, None)):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool) or value < low or (high and value > high):
                span = f"from {low} to {high}" if high else f"of at least {low}"
                return _invalid(f"{label} must be an integer {span}; got {value!r}.")
        limit, offset = int(limit), int(offset)
        found = self.index.search(query, category=category, risk=risk)
        page = found[offset : offset + limit]
        has_more = offset + len(page) < len(found)
        return result(
            {
                "items": [self._describe(t) for t in page],
                "total_count": len(found),
                "has_more": has_more,
                "next_offset": offset + len(page) if has_more else None,
            }
        )

    def _describe(self, tool: Tool) -> dict[str, Any]:
        return {
            "name": tool.name,
            "category": tool.category,
            "risk": tool.risk,
            "caller": READ_CALLER if tool.read_only else WRITE_CALLER,
            "description": tool.description,
            "inputSchema": tool_entry(tool, self.confirm)["inputSchema"],
        }

    def _call(self, caller: str, args: Mapping[str, Any]) -> types.CallToolResult | Routed:
        """The inner tool and its arguments, or the error saying which name or caller to use instead."""
        unknown = sorted(set(args) - {"name", "arguments"})
        name, inner = args.get("name"), args.get("arguments")
        if unknown:
            return _invalid(
                f"Unknown argument(s) for {caller}: {', '.join(unknown)}.",
                "Put the tool's own arguments inside `arguments`: {name, arguments: {...}}.",
            )
        if not isinstance(name, str) or not name:
            return _invalid(f"name is required: the tool to run, from {SEARCH_TOOL}.")
        if inner is None:
            inner = {}
        if not isinstance(inner, dict):
            return _invalid(f"arguments must be an object, got {type(inner).__name__}.")
        tool = self.by_name.get(name)
        if tool is None:
            return self._not_here(name)
        wanted = READ_CALLER if tool.read_only else WRITE_CALLER
        if caller != wanted:
            return error_result(
                {
                    "code": "wrong_caller",
                    "message": f"{name} is a {tool.risk} tool: run it with {wanted}, not {caller}.",
                    "hint": f"{READ_CALLER} runs only tools of risk read; {WRITE_CALLER} runs write, destructive "
                    "and credential tools.",
                }
            )
        return tool, dict(inner), caller

    def _not_here(self, name: str) -> types.CallToolResult:
        known = BY_NAME.get(name)
        if known is not None:
            why = (
                "it changes data and this server only serves read tools"
                if not known.read_only and WRITE_CALLER not in self.names
                else "it is outside this server's --tools scope"
            )
            return error_result(
                {"code": "out_of_scope", "message": f"{name} is not available: {why}.", "hint": f"See {SEARCH_TOOL}."}
            )
        return error_result(
            {
                "code": "unknown_tool",
                "message": f"No tool named {name!r} in this server's scope.{_close(name, list(self.by_name))}",
                "hint": f"Find tools with {SEARCH_TOOL}.",
            }
        )


def _close(word: str, candidates: Sequence[str]) -> str:
    by_lower = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=3, cutoff=0.6)
    return f" Did you mean {', '.join(by_lower[c] for c in close)}?" if close else ""
