"""The catalog: every tool the server can offer, as data, in a stable order.

Importing this package is cheap (no MCP SDK, no httpx), so the installer and the wizard can show tool
names, categories and risks without paying for the server's imports.
"""

from __future__ import annotations

from clerk_mcp_setup.server.catalog import (
    access,
    applications,
    contacts,
    instance,
    invitations,
    organization_access,
    organizations,
    sessions,
    users,
    waitlist,
)
from clerk_mcp_setup.server.catalog.base import RISKS, Param, Risk, Tool

CATALOG: tuple[Tool, ...] = (
    users.TOOLS
    + organizations.TOOLS
    + invitations.TOOLS
    + organization_access.TOOLS
    + sessions.TOOLS
    + contacts.TOOLS
    + access.TOOLS
    + waitlist.TOOLS
    + applications.TOOLS
    + instance.TOOLS
)
BY_NAME: dict[str, Tool] = {t.name: t for t in CATALOG}
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(t.category for t in CATALOG))
# The scope used when --tools is not given (`Tool.default`): the agent-toolkit trio plus our list tools.
DEFAULT_TOOLS: tuple[Tool, ...] = tuple(t for t in CATALOG if t.default)
DEFAULT_CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(t.category for t in DEFAULT_TOOLS))

__all__ = ["BY_NAME", "CATALOG", "CATEGORIES", "DEFAULT_CATEGORIES", "DEFAULT_TOOLS", "RISKS", "Param", "Risk", "Tool"]
