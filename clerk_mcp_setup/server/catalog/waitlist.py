"""Waitlist entries: people waiting for access, to invite or reject."""

from __future__ import annotations

from clerk_mcp_setup.server.catalog.base import LIMIT, OFFSET, ORDER_BY, Param, Tool, path_id

ENTRY_ID = path_id("waitlistEntryId", "Waitlist entry", api="waitlist_entry_id")

TOOLS: tuple[Tool, ...] = (
    Tool(
        "listWaitlistEntries",
        "waitlistEntries",
        "List waitlist",
        "People on the waitlist, by status or email.",
        "read",
        "GET",
        "/waitlist_entries",
        (
            Param("query", "string", "Partial match on email.", where="query"),
            Param(
                "status",
                "string",
                "Only this status.",
                where="query",
                enum=("pending", "invited", "completed", "rejected"),
            ),
            ORDER_BY,
            LIMIT,
            OFFSET,
        ),
        list_shape="data",
    ),
    Tool(
        "createWaitlistEntry",
        "waitlistEntries",
        "Add to waitlist",
        "Put an email address on the waitlist.",
        "write",
        "POST",
        "/waitlist_entries",
        (
            Param("emailAddress", "string", "Email address.", required=True),
            Param("notify", "boolean", "Email a confirmation."),
        ),
    ),
    Tool(
        "createWaitlistEntriesBulk",
        "waitlistEntries",
        "Add many to waitlist",
        "Put several email addresses on the waitlist at once.",
        "write",
        "POST",
        "/waitlist_entries/bulk",
        (Param("entries", "array", "Objects {email_address, notify?}.", required=True, items="object"),),
        handler="array_body",
    ),
    Tool(
        "inviteWaitlistEntry",
        "waitlistEntries",
        "Invite from waitlist",
        "Let a waitlisted person in: sends them a sign-up invitation.",
        "write",
        "POST",
        "/waitlist_entries/{waitlist_entry_id}/invite",
        (ENTRY_ID, Param("ignoreExisting", "boolean", "Invite even if an invitation exists.")),
    ),
    Tool(
        "rejectWaitlistEntry",
        "waitlistEntries",
        "Reject waitlist entry",
        "Reject a waitlisted person; they are not invited.",
        "destructive",
        "POST",
        "/waitlist_entries/{waitlist_entry_id}/reject",
        (ENTRY_ID,),
        idempotent_override=True,
    ),
    Tool(
        "deleteWaitlistEntry",
        "waitlistEntries",
        "Delete waitlist entry",
        "Remove a pending entry from the waitlist.",
        "destructive",
        "DELETE",
        "/waitlist_entries/{waitlist_entry_id}",
        (ENTRY_ID,),
    ),
)
