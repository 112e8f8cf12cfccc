"""The --tools grammar as a table of inputs and outcomes, including every bad form."""

from __future__ import annotations

import pytest

from clerk_mcp_setup.errors import ScopeError
from clerk_mcp_setup.scope import resolve, split_patterns
from clerk_mcp_setup.server.catalog import CATALOG

ALL = [t.name for t in CATALOG]
USERS = [t.name for t in CATALOG if t.category == "users"]
ORGS = [t.name for t in CATALOG if t.category == "organizations"]
INVITES = [t.name for t in CATALOG if t.category == "invitations"]
COMPAT = [t.name for t in CATALOG if t.compat]
DEFAULT = [t.name for t in CATALOG if t.default]


def names(values: list[str] | None, **kw: bool) -> list[str]:
    return [t.name for t in resolve(values, **kw)]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, DEFAULT),
        (["*"], ALL),
        (["@all"], ALL),
        (["users"], USERS),
        (["users.*"], USERS),
        (["users.getUserCount"], ["getUserCount"]),
        (["getUserCount"], ["getUserCount"]),
        (["users", "organizations"], USERS + ORGS),  # several values by space (argparse nargs)
        (["users", "invitations"], USERS + INVITES),
        (["users,organizations"], USERS + ORGS),  # comma list, which the old server rejected
        (["users, organizations"], USERS + ORGS),
        (["users organizations"], USERS + ORGS),  # one quoted value with a space
        (["users", "users.getUser"], USERS),  # overlap: the old server crashed here
        (["users.getUser", "users.getUser"], ["getUser"]),
        (["invitations.revokeInvitation", "users.getUser"], ["getUser", "revokeInvitation"]),  # catalog order
        (["@agent-toolkit"], COMPAT),
        (["@default"], DEFAULT),
    ],
)
def test_valid_patterns(values: list[str] | None, expected: list[str]) -> None:
    assert names(values) == expected


def test_agent_toolkit_preset_is_the_19_tools() -> None:
    assert len(COMPAT) == 19


def test_default_is_the_19_plus_the_five_list_tools() -> None:
    assert len(DEFAULT) == 24 and set(COMPAT) < set(DEFAULT)
    assert {n for n in DEFAULT if n not in COMPAT} == {
        "listUsers",
        "listOrganizations",
        "listOrganizationMemberships",
        "listOrganizationInvitations",
        "listInvitations",
    }


def test_read_only_keeps_only_read_tools() -> None:
    chosen = resolve(["*"], read_only=True)
    assert chosen and all(t.risk == "read" for t in chosen)
    assert "deleteOrganization" not in [t.name for t in chosen]
    assert "listUsers" in [t.name for t in chosen]


@pytest.mark.parametrize(
    ("values", "message", "hint_part"),
    [
        (
            ["nope"],
            "Unknown tool category or tool 'nope'",
            "Valid categories: users, organizations, invitations",
        ),
        (["usrs"], "Did you mean 'users'?", "Valid categories"),
        (["users.nope"], "Unknown tool 'users.nope'", "Tools in users: getUserId"),
        (["users.getuser"], "Did you mean 'users.getUser'?", "Tools in users"),
        (["usr.getUser"], "Unknown tool category 'usr'", "Valid categories"),
        (
            ["organizations.getUser"],
            "not in category 'organizations'. Did you mean 'users.getUser'?",
            "users.getUser",
        ),
        (["users,nope"], "'nope'", "Valid categories"),
        (["@agent"], "Unknown preset '@agent'", "@agent-toolkit"),
        ([""], "--tools was given no pattern", "CATEGORY.TOOL"),
        ([" , "], "--tools was given no pattern", "CATEGORY.TOOL"),
    ],
)
def test_bad_patterns_name_the_valid_ones(values: list[str], message: str, hint_part: str) -> None:
    with pytest.raises(ScopeError) as info:
        resolve(values)
    assert message in info.value.message
    assert hint_part in (info.value.hint or "")
    assert info.value.exit_code == 2


def test_split_patterns() -> None:
    assert split_patterns(["a,b", "c d", "", "e,,f"]) == ["a", "b", "c", "d", "e", "f"]
