"""Entries for a remote MCP server: the client's own URL entry where it can sign in by itself, our signing-in
bridge (`clerk-mcp-server --bridge URL`) where it cannot or where the person asks for it (`--via-bridge`).

Clerk's hosted MCP server is a preset: `--server clerk-hosted` is this URL, under its own name, beside the
bundled Backend API server.
"""

from __future__ import annotations

from typing import Any

from clerk_mcp_setup.clients import Client

Request = Any  # install.installer.Request (which imports this module)

CLERK_HOSTED_URL = "https://mcp.clerk.com/mcp"  # Clerk's hosted MCP server (SDK snippets), streamable HTTP + OAuth
CLERK_HOSTED_NAME = "clerk-docs"


def bridged(client: Client, request: Request) -> bool:
    """Whether `client` gets our bridge: it reads no URL entries, cannot sign in itself, or the person chose it."""
    if not client.supports_remote or client.id in request.via_bridge or "all" in request.via_bridge:
        return True
    return request.remote_auth == "oauth" and client.sign_in is None


def url_entry(client: Client, request: Request, hp: Any) -> dict[str, Any]:
    """The client's own URL entry (headers as `install/headers.py` placed them), plus what it needs to sign in."""
    assert request.remote_url
    entry = client.remote_entry(request.remote_url, hp.plain, header_env=hp.env, bearer_env=hp.bearer_env)
    if request.remote_auth == "oauth" and client.sign_in is not None:
        entry.update(client.sign_in.entry)
    return entry


def sign_in_notes(request: Request) -> list[str]:
    """What the person does to sign in, per client: the client's own step, or our `login`."""
    if request.remote_auth != "oauth" or not request.remote_url:
        return []
    notes = []
    for target in request.targets:
        client = target.client
        if bridged(client, request):
            notes.append(
                f"{client.name}: our bridge signs in on its first start; to do it now, run "
                f"clerk-mcp-setup login {request.name}"
            )
        elif client.sign_in is not None:
            notes.append(f"{client.name}: {client.sign_in.step(request.name)}")
    return list(dict.fromkeys(notes))
