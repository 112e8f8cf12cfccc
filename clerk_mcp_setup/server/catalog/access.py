"""Who may sign up or in (allow-list, block-list), and admin sign-in links (actor and sign-in tokens)."""

from __future__ import annotations

from clerk_mcp_setup.server.catalog.base import LIMIT, OFFSET, Param, Tool, path_id

IDENTIFIER_ID = path_id("identifierId", "Identifier", api="identifier_id")
IDENTIFIER = Param(
    "identifier", "string", "Email, phone (E.164), domain (*@example.com) or web3 wallet.", required=True
)
TARGET_USER = Param("userId", "string", "ID of the user to sign in as.", required=True)
TOKEN_TTL = Param("expiresInSeconds", "integer", "Seconds until the link expires (default 3600).", minimum=1)

TOOLS: tuple[Tool, ...] = (
    Tool(
        "listAllowlistIdentifiers",
        "allowlist",
        "List allow-list",
        "Identifiers allowed to sign up when the allow-list restriction is on.",
        "read",
        "GET",
        "/allowlist_identifiers",
        (LIMIT, OFFSET),
        list_shape="array",
    ),
    Tool(
        "createAllowlistIdentifier",
        "allowlist",
        "Allow identifier",
        "Add an email, phone or domain to the allow-list.",
        "write",
        "POST",
        "/allowlist_identifiers",
        (IDENTIFIER, Param("notify", "boolean", "Email or text them an invitation.")),
    ),
    Tool(
        "deleteAllowlistIdentifier",
        "allowlist",
        "Remove from allow-list",
        "Remove an identifier from the allow-list.",
        "destructive",
        "DELETE",
        "/allowlist_identifiers/{identifier_id}",
        (IDENTIFIER_ID,),
    ),
    Tool(
        "listBlocklistIdentifiers",
        "blocklist",
        "List block-list",
        "Identifiers blocked from signing up or in.",
        "read",
        "GET",
        "/blocklist_identifiers",
        list_shape="data",
    ),
    Tool(
        "createBlocklistIdentifier",
        "blocklist",
        "Block identifier",
        "Block an email, phone or domain from signing up or in.",
        "write",
        "POST",
        "/blocklist_identifiers",
        (IDENTIFIER,),
    ),
    Tool(
        "deleteBlocklistIdentifier",
        "blocklist",
        "Unblock identifier",
        "Remove an identifier from the block-list.",
        "destructive",
        "DELETE",
        "/blocklist_identifiers/{identifier_id}",
        (IDENTIFIER_ID,),
    ),
    Tool(
        "createActorToken",
        "actorTokens",
        "Create impersonation link",
        "Let an actor (e.g. a support agent) sign in as a user: returns a one-time URL. Reveals a token.",
        "credential",
        "POST",
        "/actor_tokens",
        (
            TARGET_USER,
            Param("actor", "object", 'Who impersonates, e.g. {"sub": "user_..."}.', required=True),
            TOKEN_TTL,
            Param("sessionMaxDurationInSeconds", "integer", "Max impersonated session length.", minimum=1),
        ),
    ),
    Tool(
        "revokeActorToken",
        "actorTokens",
        "Revoke impersonation link",
        "Revoke an unused actor token so its link stops working.",
        "destructive",
        "POST",
        "/actor_tokens/{actor_token_id}/revoke",
        (path_id("actorTokenId", "Actor token", api="actor_token_id"),),
        idempotent_override=True,
    ),
    Tool(
        "createSignInToken",
        "signInTokens",
        "Create sign-in link",
        "A one-time link that signs a user in without password (magic link you deliver). Reveals a token.",
        "credential",
        "POST",
        "/sign_in_tokens",
        (TARGET_USER, TOKEN_TTL),
    ),
    Tool(
        "revokeSignInToken",
        "signInTokens",
        "Revoke sign-in link",
        "Revoke an unused sign-in token so its link stops working.",
        "destructive",
        "POST",
        "/sign_in_tokens/{sign_in_token_id}/revoke",
        (path_id("signInTokenId", "Sign-in token", api="sign_in_token_id"),),
        idempotent_override=True,
    ),
)
