"""`python -m clerk_mcp_setup.server` runs the same entry point as `clerk-mcp-server`."""

from clerk_mcp_setup.server.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
