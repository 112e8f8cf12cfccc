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


@pytest.mark.parametrize("tool", CATALOG, ids=lambda t: t.name)
def test_every_tool_is_titled_described_and_annotated(tool: Tool) -> None:
    assert tool.title and tool.description.endswith(".")
    assert len(tool.description) <= 200
    for param in tool.params:
        assert param.description, f"{tool.name}.{param.name} has no description"
    hints = tool.annotations()
    assert hints["readOnlyHint"] == (tool.risk == "read") == (tool.method in ("GET", ""))
    assert hints["destructiveHint"] == (tool.risk in ("destructive", "credential"))
    if tool.method == "DELETE" or "revoke" in tool.name:
        assert tool.risk == "destructive"
    if tool.method == "POST" and "revoke" not in tool.name:
        assert hints["idempotentHint"] is False
    assert tool.name[0].islower() and "_" not in tool.name


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
