"""clerk-mcp-setup: Clerk's Backend API as an MCP server, and the installer that puts it into AI clients."""

__version__ = "0.1.0"
