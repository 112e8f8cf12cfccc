"""`python -m clerk_mcp_setup` runs the same entry point as the `clerk-mcp-setup` script."""

from clerk_mcp_setup.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
