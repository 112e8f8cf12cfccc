"""Sessions: who is signed in where; end a session, or mint a session token for testing."""

from __future__ import annotations

from clerk_mcp_setup.server.catalog.base import LIMIT, OFFSET, Param, Tool, path_id

SESSION_ID = path_id("sessionId", "Session", api="session_id")
TOKEN_TTL = Param(
    "expiresInSeconds", "integer", "Token lifetime in seconds (default 60).", minimum=30, maximum=315_360_000
)

TOOLS: tuple[Tool, ...] = (
    Tool(
        "listSessions",
        "sessions",
        "List sessions",
        "A user's (or client's) sessions, e.g. to see where they are signed in. Give userId or clientId.",
        "read",
        "GET",
        "/sessions",
        (
            Param("userId", "string", "Sessions of this user.", where="query"),
            Param("clientId", "string", "Sessions of this client (browser/device).", where="query"),
            Param(
                "status",
                "string",
                "Only this status.",
                where="query",
                enum=("active", "ended", "expired", "removed", "replaced", "revoked", "abandoned"),
            ),
            LIMIT,
            OFFSET,
        ),
        list_shape="array",
    ),
    Tool(
        "getSession",
        "sessions",
        "Get session",
        "One session: user, status, last activity (browser, IP, location).",
        "read",
        "GET",
        "/sessions/{session_id}",
        (SESSION_ID,),
    ),
    Tool(
        "revokeSession",
        "sessions",
        "Revoke session",
        "Sign a user out of one session immediately.",
        "destructive",
        "POST",
        "/sessions/{session_id}/revoke",
        (SESSION_ID,),
        idempotent_override=True,
    ),
    Tool(
        "createSession",
        "sessions",
        "Create session",
        "Start a session for a user without sign-in (testing only). Acts as that user.",
        "credential",
        "POST",
        "/sessions",
        (
            Param("userId", "string", "User ID.", required=True),
            Param("activeOrganizationId", "string", "Organization to make active."),
        ),
    ),
    Tool(
        "createSessionToken",
        "sessions",
        "Create session token",
        "Mint a session JWT for a session, e.g. to call your own API as that user. Reveals the token.",
        "credential",
        "POST",
        "/sessions/{session_id}/tokens",
        (SESSION_ID, TOKEN_TTL),
    ),
    Tool(
        "createSessionTokenFromTemplate",
        "sessions",
        "Create token from JWT template",
        "Mint a JWT for a session using a JWT template (e.g. for a third party). Reveals the token.",
        "credential",
        "POST",
        "/sessions/{session_id}/tokens/{template_name}",
        (SESSION_ID, Param("templateName", "string", "JWT template name.", required=True, where="path"), TOKEN_TTL),
    ),
)
