"""The catalog: every tool the server can offer, as data, in a stable order.

Importing this package is cheap (no MCP SDK, no httpx), so the installer and the wizard can show tool
names, categories and risks without paying for the server's imports.
"""

from __future__ import annotations

from clerk_mcp_setup.server.catalog import invitations, organizations, users
from clerk_mcp_setup.server.catalog.base import RISKS, Param, Risk, Tool

CATALOG: tuple[Tool, ...] = users.TOOLS + organizations.TOOLS + invitations.TOOLS
BY_NAME: dict[str, Tool] = {t.name: t for t in CATALOG}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(t.category for t in CATALOG))
# The scope used when --tools is not given: the agent-toolkit trio plus our list tools.
DEFAULT_CATEGORIES: tuple[str, ...] = ("users", "organizations", "invitations")

__all__ = ["BY_NAME", "CATALOG", "CATEGORIES", "DEFAULT_CATEGORIES", "RISKS", "Param", "Risk", "Tool"]
