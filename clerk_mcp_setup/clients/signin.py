"""How a client signs in to an OAuth-protected remote MCP server by itself.

A client record's `sign_in` is a `SignIn` when the client runs the MCP authorization flow on its own for a URL
entry (then we write its URL entry, plus any key it needs to try); None when it cannot (Claude Desktop reads no
URL entries from its file), and then the installer writes our bridge (`clerk-mcp-server --bridge URL`), which
signs in itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SignIn:
    how: str  # the step the person takes, with {name} for the entry's name
    entry: Mapping[str, Any] = field(default_factory=dict)  # keys the URL entry needs (Gemini: oauth.enabled)
    source: str = ""

    def step(self, name: str) -> str:
        return self.how.replace("{name}", name)
