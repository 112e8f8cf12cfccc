"""Does a URL ask for OAuth sign-in? One unauthenticated MCP request: 401 with a Bearer challenge says yes."""

from __future__ import annotations

import httpx

_INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "clerk-mcp-setup", "version": "1"},
    },
}


def asks_for_sign_in(url: str, timeout: float = 5.0) -> bool | None:
    """True: 401 with `WWW-Authenticate: Bearer`; False: it answered without one; None: unreachable."""
    try:
        response = httpx.post(
            url,
            json=_INIT,
            headers={"Accept": "application/json, text/event-stream"},
            timeout=timeout,
        )
    except httpx.HTTPError:
        return None
    challenge = response.headers.get("www-authenticate", "").lower().startswith("bearer")
    return response.status_code == 401 and challenge
