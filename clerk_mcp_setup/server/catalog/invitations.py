"""Instance invitations: invite people to sign up to the application."""

from __future__ import annotations

from clerk_mcp_setup.server.catalog.base import OFFSET, Param, Tool, limit_param, path_id

TOOLS: tuple[Tool, ...] = (
    Tool(
        "createInvitation",
        "invitations",
        "Invite user",
        "Email someone an invitation to sign up to the application.",
        "write",
        "POST",
        "/invitations",
        (
            Param("emailAddress", "string", "Invitee's email.", required=True),
            Param("redirectUrl", "string", "Where the invitation link lands."),
            Param("publicMetadata", "object", "Public metadata copied to the user on sign-up."),
            Param("notify", "boolean", "Send the email (default true)."),
            Param("ignoreExisting", "boolean", "Create even if a pending invitation exists."),
            Param("expiresInDays", "integer", "Days until the link expires.", minimum=1, maximum=365),
        ),
        compat=True,
        default=True,
    ),
    Tool(
        "revokeInvitation",
        "invitations",
        "Revoke invitation",
        "Revoke a pending invitation so its link stops working. Irreversible.",
        "destructive",
        "POST",
        "/invitations/{invitation_id}/revoke",
        (path_id("invitationId", "Invitation", api="invitation_id"),),
        compat=True,
        idempotent_override=True,
        default=True,
    ),
    Tool(
        "listInvitations",
        "invitations",
        "List invitations",
        "Instance invitations, filterable by status or email, with paging.",
        "read",
        "GET",
        "/invitations",
        (
            Param(
                "status",
                "string",
                "Only this status.",
                where="query",
                enum=("pending", "accepted", "revoked", "expired"),
            ),
            Param("query", "string", "Match on email address or ID.", where="query"),
            Param(
                "orderBy",
                "string",
                "created_at, email_address or expires_at; '-' for descending.",
                where="query",
            ),
            limit_param(),
            OFFSET,
        ),
        list_shape="array",
        default=True,
    ),
    Tool(
        "createInvitationsBulk",
        "invitations",
        "Invite many users",
        "Email sign-up invitations to several people at once.",
        "write",
        "POST",
        "/invitations/bulk",
        (
            Param(
                "invitations",
                "array",
                "Objects {email_address, redirect_url?, public_metadata?, notify?, expires_in_days?}.",
                required=True,
                items="object",
            ),
        ),
        handler="array_body",
    ),
)
