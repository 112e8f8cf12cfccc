"""Entries for a remote MCP server: the client's own URL entry where it can sign in by itself, our signing-in
bridge (`clerk-mcp-server --bridge URL`) where it cannot or where the person asks for it (`--via-bridge`).

Clerk's hosted MCP server is a preset: `--server clerk-hosted` is this URL, under its own name, beside the
bundled Backend API server.
"""

from __future__ import annotations

from typing import Any

from clerk_mcp_setup.clients import Client
from clerk_mcp_setup.install import keys
from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.vault import Vault

Request = Any  # install.installer.Request (which imports this module)

CLERK_HOSTED_URL = "https://mcp.clerk.com/mcp"  # Clerk's hosted MCP server (SDK snippets), streamable HTTP + OAuth
CLERK_HOSTED_NAME = "clerk-docs"


def bridged(client: Client, request: Request) -> bool:
    """Whether `client` gets our bridge: it reads no URL entries, cannot sign in itself, or the person chose it."""
    if not client.supports_remote or client.id in request.via_bridge or "all" in request.via_bridge:
        return True
    return request.remote_auth == "oauth" and client.sign_in is None


def remote_entry(client: Client, request: Request, launcher: Launcher) -> dict[str, Any]:
    """The entry for `request.remote_url` in `client`'s shape."""
    assert request.remote_url
    if bridged(client, request):
        bridge = ["--bridge", request.remote_url]
        for name, value in request.headers:
            bridge += ["--header", f"{name}: {value}"]
        # The bridge keeps its tokens in the vault: name the backend `login` used, so a client that gives its
        # servers a bare environment (Codex: no D-Bus, no XDG_*) still reaches the same store.
        env: dict[str, str] = {}
        pass_env: list[str] = []
        if request.remote_auth == "oauth":
            env, pass_env = keys.vault_env(client, Vault.open().backend)
        return client.stdio_entry(launcher.command, [*launcher.prefix, *bridge], env, pass_env=pass_env)
    entry = client.remote_entry(request.remote_url, dict(request.headers))
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
