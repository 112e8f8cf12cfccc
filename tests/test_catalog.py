"""The catalog's promises: old tool names and parameters kept, every tool titled, annotated and described."""

from __future__ import annotations

import pytest

from clerk_mcp_setup.server.catalog import BY_NAME, CATALOG, Tool
from clerk_mcp_setup.server.results import REDACTED, envelope, redact, strip_private

# @clerk/agent-toolkit 0.3.15's tools: name → (category, required params, optional params), from peers.md.
AGENT_TOOLKIT = {
    "getUserId": ("users", [], []),
    "getUser": ("users", ["userId"], []),
    "getUserCount": ("users", [], []),
    "updateUser": ("users", ["userId"], ["firstName", "lastName", "username", "profileImageUrl"]),
    "updateUserPublicMetadata": ("users", ["userId", "metadata"], []),
    "updateUserUnsafeMetadata": ("users", ["userId", "metadata"], []),
    "getOrganization": ("organizations", [], ["organizationId", "slug", "includeMembersCount"]),
    "createOrganization": (
        "organizations",
        ["name"],
        ["slug", "createdBy", "maxAllowedMemberships", "publicMetadata", "privateMetadata"],
    ),
    "updateOrganization": (
        "organizations",
        ["organizationId"],
        ["name", "slug", "maxAllowedMemberships", "publicMetadata", "privateMetadata"],
    ),
    "updateOrganizationMetadata": (
        "organizations",
        ["organizationId"],
        ["publicMetadata", "privateMetadata"],
    ),
    "deleteOrganization": ("organizations", ["organizationId"], []),
    "createOrganizationMembership": ("organizations", ["organizationId", "userId", "role"], []),
    "updateOrganizationMembership": ("organizations", ["organizationId", "userId", "role"], []),
    "updateOrganizationMembershipMetadata": (
        "organizations",
        ["organizationId", "userId"],
        ["publicMetadata", "privateMetadata"],
    ),
    "deleteOrganizationMembership": ("organizations", ["organizationId", "userId"], []),
    "createOrganizationInvitation": (
        "organizations",
        ["organizationId", "emailAddress", "role"],
        ["inviterUserId", "redirectUrl", "publicMetadata"],
    ),
    "revokeOrganizationInvitation": (
        "organizations",
        ["organizationId", "invitationId"],
        ["requestingUserId"],
    ),
    "createInvitation": (
        "invitations",
        ["emailAddress"],
        ["redirectUrl", "publicMetadata", "notify", "ignoreExisting"],
    ),
    "revokeInvitation": ("invitations", ["invitationId"], []),
}


@pytest.mark.parametrize("name", sorted(AGENT_TOOLKIT))
def test_agent_toolkit_tools_kept(name: str) -> None:
    category, required, optional = AGENT_TOOLKIT[name]
    tool = BY_NAME[name]
    assert tool.compat and tool.category == category
    schema = tool.input_schema()
    assert sorted(schema.get("required", [])) == sorted(required)
    assert set(required) | set(optional) <= set(schema["properties"])


def test_exactly_the_old_tools_are_marked_compatible() -> None:
    assert {t.name for t in CATALOG if t.compat} == set(AGENT_TOOLKIT)


# Reads that the API happens to serve as POST (the secret to check goes in the body, not the URL).
POST_READS = {"verifyApiKey", "verifyM2MToken"}

# Every tool that creates or reveals a token, secret or sign-in link, or changes how users authenticate
# or tokens are signed. Written out so that a change of class is a visible, reviewed edit.
CREDENTIAL = {
    "getUserOauthAccessToken",
    "createSession",
    "createSessionToken",
    "createSessionTokenFromTemplate",
    "createActorToken",
    "createSignInToken",
    "createOAuthApplication",
    "rotateOAuthApplicationSecret",
    "createApiKey",
    "getApiKeySecret",
    "createMachine",
    "getMachineSecretKey",
    "rotateMachineSecretKey",
    "createJwtTemplate",
    "updateJwtTemplate",
    "createSvixApp",
    "generateSvixAuthUrl",
    "updateInstance",
    "updateInstanceRestrictions",
    "updateInstanceProtect",
    "updateInstanceCommunication",
    "updateInstanceOAuthApplicationSettings",
    "updateInstanceOrganizationSettings",
}
DESTRUCTIVE_VERBS = ("delete", "revoke", "ban", "lock", "remove", "disable", "reject", "replace", "setUserPassword")
SECRET_PARAMS = {"password", "code", "token", "secret", "signingKey"}


@pytest.mark.parametrize("tool", CATALOG, ids=lambda t: t.name)
def test_every_tool_is_titled_described_and_annotated(tool: Tool) -> None:
    assert tool.title and tool.description.endswith(".")
    assert len(tool.description) <= 200 and len(tool.title) <= 40
    for param in tool.params:
        assert param.description, f"{tool.name}.{param.name} has no description"
    hints = tool.annotations()
    assert hints["readOnlyHint"] == (tool.risk == "read")
    if tool.method in ("GET", ""):
        assert tool.risk in ("read", "credential")
    elif tool.risk == "read":
        assert tool.name in POST_READS and tool.method == "POST" and hints["idempotentHint"]
    assert hints["destructiveHint"] == (tool.risk in ("destructive", "credential"))
    if tool.method == "DELETE" or "revoke" in tool.name.lower():
        assert tool.risk == "destructive"
    if tool.method == "POST" and tool.idempotent_override is None:
        assert hints["idempotentHint"] is False
    assert tool.name[0].islower() and "_" not in tool.name


@pytest.mark.parametrize("tool", CATALOG, ids=lambda t: t.name)
def test_risk_class_follows_the_rules(tool: Tool) -> None:
    """credential: exactly the listed tools; destructive: deletes, revocations, bans, locks, removals."""
    assert (tool.risk == "credential") == (tool.name in CREDENTIAL), tool.name
    if tool.name.startswith(DESTRUCTIVE_VERBS) and not tool.name.startswith("unban"):
        assert tool.risk == "destructive", tool.name
    if tool.name.startswith(("unban", "unlock", "unset")):
        assert tool.risk == "write", tool.name
    for param in tool.params:
        assert param.secret == (param.name in SECRET_PARAMS), f"{tool.name}.{param.name}"


def test_default_scope_is_the_agent_toolkit_tools_and_the_list_tools() -> None:
    """A setup without --tools keeps exactly the 24 tools it had before the catalog grew."""
    default = {t.name for t in CATALOG if t.default}
    assert default == set(AGENT_TOOLKIT) | {
        "listUsers",
        "listOrganizations",
        "listOrganizationMemberships",
        "listOrganizationInvitations",
        "listInvitations",
    }
    assert {t.category for t in CATALOG if t.default} == {"users", "organizations", "invitations"}


def test_categories_are_camel_case_words() -> None:
    import re

    for tool in CATALOG:
        assert re.fullmatch(r"[a-z][a-zA-Z0-9]*", tool.category), tool.category


def test_names_are_unique() -> None:
    assert len({t.name for t in CATALOG}) == len(CATALOG)


def test_private_metadata_removed_at_every_depth() -> None:
    membership = {
        "id": "orgmem_1",
        "private_metadata": {"x": 1},
        "public_metadata": {"ok": True},
        "organization": {"id": "org_1", "private_metadata": {"secret": "plan"}, "name": "Acme"},
        "list": [{"privateMetadata": 1, "keep": 2}],
    }
    clean = strip_private(membership)
    assert clean == {
        "id": "orgmem_1",
        "public_metadata": {"ok": True},
        "organization": {"id": "org_1", "name": "Acme"},
        "list": [{"keep": 2}],
    }


def test_redact_replaces_secret_everywhere() -> None:
    key = "sk_live_abcdefgh12345678"
    data = {"message": f"bad key {key}!", key: [key, 1]}
    assert redact(data, (key,)) == {"message": f"bad key {REDACTED}!", REDACTED: [REDACTED, 1]}


def test_envelope() -> None:
    assert envelope([1, 2], offset=4, total_count=10, has_more=True) == {
        "items": [1, 2],
        "total_count": 10,
        "has_more": True,
        "next_offset": 6,
    }
    assert envelope([], offset=0, total_count=0, has_more=False)["next_offset"] is None


def test_results_never_carry_the_key() -> None:
    from clerk_mcp_setup.server.calls import result

    key = "sk_live_resultKEY123456789"
    out = result({"echo": f"saw {key}", "nested": [{"k": key}]}, secrets=(key,))
    assert key not in out.content[0].text and key not in str(out.structured_content)
    assert REDACTED in out.content[0].text
    clean = result({"id": "user_1"}, secrets=(key,))
    assert clean.structured_content == {"id": "user_1"}
