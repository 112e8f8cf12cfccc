"""The OAuth client side: signing in to remote MCP servers and keeping the tokens in the vault.

Used by the bridge (`clerk-mcp-server --bridge URL`), `clerk-mcp-setup login/logout/status`, `verify` and
`doctor`. It imports only the vault, the typed errors and the MCP SDK's client auth.
"""
