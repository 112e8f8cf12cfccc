"""Which parts of Clerk's Backend API the catalog covers, and the category each spec tag's tools go in.

Category ids are the camelCase of the spec tag (`Email Addresses` → `emailAddresses`), the way Clerk's
own SDK names these resources (`clerkClient.emailAddresses`) and the way the tool names are cased. Two
exceptions keep older configurations working: the organization membership and invitation tools stay in
`organizations`, as in @clerk/agent-toolkit; and the one `Allow-list / Block-list` tag is two categories.
"""

from __future__ import annotations

TAGS: dict[str, str] = {
    "Users": "users",
    "Organizations": "organizations",
    "Organization Memberships": "organizations",
    "Organization Invitations": "organizations",
    "Organization Domains": "organizationDomains",
    "Organization Roles": "organizationRoles",
    "Organization Permissions": "organizationPermissions",
    "Invitations": "invitations",
    "Sessions": "sessions",
    "Email Addresses": "emailAddresses",
    "Phone Numbers": "phoneNumbers",
    "Allow-list / Block-list": "allowlist",
    "Actor Tokens": "actorTokens",
    "Sign-in Tokens": "signInTokens",
    "Redirect URLs": "redirectUrls",
    "Domains": "domains",
    "JWT Templates": "jwtTemplates",
    "OAuth Applications": "oauthApplications",
    "Waitlist Entries": "waitlistEntries",
    "API Keys": "apiKeys",
    "Machines": "machines",
    "M2M Tokens": "m2mTokens",
    "Webhooks": "webhooks",
    "Instance Settings": "instanceSettings",
}
"""The spec tags whose every non-deprecated operation has a tool (or a listed reason not to), → category."""


def category_for_tag(tag: str, path: str = "") -> str:
    """The category for an operation of `tag`; block-list paths get their own."""
    if path.startswith("/blocklist_identifiers"):
        return "blocklist"
    return TAGS[tag]
