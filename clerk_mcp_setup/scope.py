"""The `--tools` grammar, shared by the server (what to register) and the installer (what to write).

Compatible with @clerk/agent-toolkit (`*`, `users`, `users.*`, `users.getUserCount`, several values by
space or by repeating the flag) and stricter where it was lax: comma lists work, overlaps collapse,
and an unknown name is an error that lists the valid names and suggests the closest one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from clerk_mcp_setup.errors import ScopeError
from clerk_mcp_setup.server.catalog import CATALOG, Tool

PRESETS = {
    "@default": "the agent-toolkit tools plus the list tools of users, organizations, invitations (the default)",
    "@agent-toolkit": "exactly the 19 tools of @clerk/agent-toolkit 0.3.15",
    "@all": "every tool (same as *)",
    "@discover": "three tools (search, call a read, call a write) that reach the rest of the scope (alone: every tool)",
}
DISCOVER = "@discover"
# The tools a `@discover` server lists instead of its scope (server/discover.py defines them).
SEARCH_TOOL, READ_CALLER, WRITE_CALLER = "searchClerkTools", "callClerkRead", "callClerkWrite"
GRAMMAR = "*, CATEGORY, CATEGORY.*, CATEGORY.TOOL, TOOL, or a preset (" + ", ".join(PRESETS) + ")"


def split_patterns(values: Iterable[str]) -> list[str]:
    """Split flag values on commas and whitespace: `-t users,organizations` and `-t "a b"` both work."""
    return [part for value in values for part in re.split(r"[\s,]+", value) if part]


def _preset(name: str, catalog: Sequence[Tool]) -> list[Tool]:
    if name == "@agent-toolkit":
        return [t for t in catalog if t.compat]
    if name == "@default":
        return [t for t in catalog if t.default]
    if name == DISCOVER:  # a mode, not a set: `resolve` widens it to every tool when it stands alone
        return []
    return list(catalog)


def _suggest(word: str, candidates: Iterable[str]) -> str:
    by_lower = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.5)
    return f" Did you mean '{by_lower[close[0]]}'?" if close else ""


def _match(pattern: str, catalog: Sequence[Tool]) -> list[Tool]:
    """The tools one pattern names; raises ScopeError for a name that matches nothing."""
    categories = list(dict.fromkeys(t.category for t in catalog))
    if pattern in ("*", "*.*"):
        return list(catalog)
    if pattern.startswith("@"):
        if pattern not in PRESETS:
            raise ScopeError(
                f"Unknown preset '{pattern}'.{_suggest(pattern, PRESETS)}",
                "Presets: " + "; ".join(f"{k}: {v}" for k, v in PRESETS.items()),
            )
        return _preset(pattern, catalog)
    category, dot, name = pattern.partition(".")
    if not dot:
        if category in categories:
            return [t for t in catalog if t.category == category]
        tool = next((t for t in catalog if t.name == pattern), None)
        if tool:
            return [tool]
        ids = categories + [t.name for t in catalog]
        raise ScopeError(
            f"Unknown tool category or tool '{pattern}'.{_suggest(pattern, ids)}",
            f"Valid categories: {', '.join(categories)}. Patterns: {GRAMMAR}. "
            "Run `clerk-mcp-server --list-tools` to see every tool.",
        )
    if category not in categories:
        raise ScopeError(
            f"Unknown tool category '{category}' in '{pattern}'.{_suggest(category, categories)}",
            f"Valid categories: {', '.join(categories)}. Patterns: {GRAMMAR}.",
        )
    in_category = [t for t in catalog if t.category == category]
    if name == "*":
        return in_category
    tool = next((t for t in in_category if t.name == name), None)
    if tool:
        return [tool]
    elsewhere = next((t for t in catalog if t.name == name), None)
    if elsewhere:
        raise ScopeError(
            f"Tool '{name}' is not in category '{category}'. Did you mean '{elsewhere.id}'?",
            f"Use '{elsewhere.id}' or just '{name}'.",
        )
    raise ScopeError(
        f"Unknown tool '{pattern}'.{_suggest(pattern, [t.id for t in in_category])}",
        f"Tools in {category}: {', '.join(t.name for t in in_category)}.",
    )


def resolve(values: Sequence[str] | None, catalog: Sequence[Tool] = CATALOG, *, read_only: bool = False) -> list[Tool]:
    """The tools a `--tools` value selects, in catalog order, each once.

    `None` (flag absent) means the default scope. `read_only` keeps only tools that change nothing.
    """
    if values is None:
        chosen = _preset("@default", catalog)
    else:
        patterns = split_patterns(values)
        if not patterns:
            raise ScopeError("--tools was given no pattern.", f"Give at least one of: {GRAMMAR}.")
        if all(p == DISCOVER for p in patterns):
            patterns = ["*"]
        wanted = {t.name for p in patterns for t in _match(p, catalog)}
        chosen = [t for t in catalog if t.name in wanted]
    if read_only:
        chosen = [t for t in chosen if t.read_only]
    return chosen


COMPAT_NOTE = (
    "Started with @clerk/agent-toolkit's flags (-p local-mcp, -y, @clerk/agent-toolkit), --tools picks "
    "among that server's 19 tools only, as it did; drop those flags to choose from the whole catalog."
)


def resolve_compat(
    values: Sequence[str] | None, catalog: Sequence[Tool] = CATALOG, *, read_only: bool = False
) -> list[Tool]:
    """`--tools` as @clerk/agent-toolkit 0.3.15 read it: within its 19 tools (`users` is its 6 user tools,
    no flag is all 19), so an old config never widens what the model may do. Names and comma lists still work."""
    own = [t for t in catalog if t.compat]
    try:
        return resolve(values if values is not None else ["*"], own, read_only=read_only)
    except ScopeError as exc:
        raise ScopeError(exc.message, f"{exc.hint} {COMPAT_NOTE}" if exc.hint else COMPAT_NOTE) from None


def is_discover(values: Sequence[str] | None) -> bool:
    """Whether a `--tools` value asks for the three-tool `@discover` surface over its scope."""
    return values is not None and DISCOVER in split_patterns(values)


def served_names(
    values: Sequence[str] | None, catalog: Sequence[Tool] = CATALOG, *, read_only: bool = False
) -> list[str]:
    """The names `tools/list` shows for a `--tools` value: the scope itself, or for `@discover` the search
    tool plus each caller that has something to call (no write caller under `--read-only`)."""
    tools = resolve(values, catalog, read_only=read_only)
    if not is_discover(values):
        return [t.name for t in tools]
    callers = [READ_CALLER] if any(t.read_only for t in tools) else []
    callers += [WRITE_CALLER] if any(not t.read_only for t in tools) else []
    return [SEARCH_TOOL, *callers]
