"""Clients' tool caps against the tools an entry serves: a warning that offers `@discover` instead.

A client that shows the model at most N tools (Cursor 40, Windsurf 100, VS Code 128 per request) silently
drops or refuses the rest of a bigger scope; `@discover` serves the same scope through three tools. The cap
and its source live on each `Client` record; this module only compares and words the advice.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass

from clerk_mcp_setup.clients import Client
from clerk_mcp_setup.errors import ScopeError
from clerk_mcp_setup.scope import DISCOVER, is_discover, served_names, split_patterns


@dataclass(frozen=True)
class CapWarning:
    """One client whose cap the entry's tool count exceeds, and the command that fits it."""

    client: Client
    served: int
    cap: int
    command: str

    def message(self) -> str:
        return (
            f"{self.client.name} offers the model at most {self.cap} tools and this entry alone serves "
            f"{self.served}: serve the same scope through 3 tools with @discover: {self.command} "
            f"(cap: {self.client.tool_cap_source})"
        )


def discover_patterns(tools: Sequence[str] | None) -> tuple[str, ...]:
    """The `--tools` value that serves the same scope through `@discover` (`*` and `@all` are its default)."""
    if tools is None:
        return (DISCOVER, "@default")
    kept = [p for p in split_patterns(tools) if p not in ("*", "*.*", "@all", DISCOVER)]
    return (DISCOVER, *kept)


def over_cap(clients: Sequence[Client], tools: Sequence[str] | None, *, read_only: bool = False) -> list[CapWarning]:
    """The clients whose tool cap is below the number of tools `tools` serves (none for `@discover` itself).

    A pattern the grammar rejects gives no warning: the faces check patterns first and report that error.
    """
    if is_discover(tools):
        return []
    try:
        served = len(served_names(tools, read_only=read_only))
    except ScopeError:
        return []
    capped = [c for c in clients if c.tool_cap is not None and served > c.tool_cap]
    out = []
    for client in capped:
        argv = ["clerk-mcp-setup", "--client", client.id, "--tools", *discover_patterns(tools)]
        argv += ["--read-only"] if read_only else []
        out.append(CapWarning(client, served, client.tool_cap or 0, " ".join(shlex.quote(a) for a in argv)))
    return out
