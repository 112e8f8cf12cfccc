"""Does a URL ask for OAuth sign-in? One unauthenticated MCP request: 401 with a Bearer challenge says yes."""

from __future__ import annotations

import httpx

# One unauthenticated `initialize`: what a client sends first, so the server's answer (or its 401) is the real one.
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "clerk-mcp-setup", "version": "1"},
    },
}
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def asks_for_sign_in(url: str, timeout: float = 5.0) -> bool | None:
    """True: 401 with `WWW-Authenticate: Bearer`; False: it answered without one; None: unreachable."""
    try:
        response = httpx.post(
            url,
            json=INIT,
            headers=ACCEPT,
            timeout=timeout,
        )
    except httpx.HTTPError:
        return None
    challenge = response.headers.get("www-authenticate", "").lower().startswith("bearer")
    return response.status_code == 401 and challenge


async def issuer_of(url: str, timeout: float = 5.0) -> str | None:
    """The authorization server a URL's protected-resource metadata names (None when it cannot be found)."""
    import re

    from mcp.client.auth.utils import build_protected_resource_metadata_discovery_urls

    try:
        async with httpx.AsyncClient(timeout=timeout) as http:
            response = await http.post(url, json=INIT, headers={"Accept": "application/json, text/event-stream"})
            header = response.headers.get("www-authenticate", "")
            if response.status_code != 401 or not header.lower().startswith("bearer"):
                return None  # it does not ask for a sign-in (doctor says what it does instead)
            match = re.search(r'resource_metadata="([^"]+)"', header)
            for candidate in build_protected_resource_metadata_discovery_urls(match.group(1) if match else None, url):
                found = await http.get(candidate)
                if found.status_code == 200:
                    servers = found.json().get("authorization_servers") or []
                    return str(servers[0]).rstrip("/") if servers else None
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return None
