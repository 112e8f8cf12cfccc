"""The in-memory instance: tables keyed by id, a clock, id minting and the lookups every operation shares.

No HTTP here. Operations live in `users.py`, `organizations.py`, `invitations.py`, `accounts.py` and
`resources.py`; each raises
`ClerkAPIError` so the HTTP layer only has to render what went wrong.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import errors
from .records import Invitation, JSONObject, Membership, Organization, OrganizationInvitation, User

if TYPE_CHECKING:
    from .resources import Entry


class Store:
    """Everything one sandboxed Clerk instance knows, in insertion (creation) order."""

    def __init__(self, clock: Callable[[], int] | None = None) -> None:
        self._clock = clock or (lambda: int(time.time() * 1000))
        self._last_ms = 0
        self._serial = 0
        self.users: dict[str, User] = {}
        self.organizations: dict[str, Organization] = {}
        self.memberships: dict[str, Membership] = {}
        self.org_invitations: dict[str, OrganizationInvitation] = {}
        self.invitations: dict[str, Invitation] = {}
        # The generic resources (`resources.py`): kind → id → stored object, plus a little state.
        self.resources: dict[str, dict[str, Entry]] = {}
        self.settings: dict[str, JSONObject] = {}
        self.machine_secrets: dict[str, str] = {}
        self.compromised_passwords: set[str] = set()
        self.svix_app = False

    def now(self) -> int:
        """Milliseconds since the epoch, strictly increasing so new objects sort in creation order."""
        self._last_ms = max(self._clock(), self._last_ms + 1)
        return self._last_ms

    def new_id(self, prefix: str) -> str:
        """A deterministic, Clerk-looking id (`user_3sandbox000001`) for objects created at runtime."""
        self._serial += 1
        return f"{prefix}_3sandbox{self._serial:06d}"

    # --- lookups ------------------------------------------------------------------------------

    def user(self, user_id: str) -> User:
        found = self.users.get(user_id)
        if found is None:
            raise errors.not_found()
        return found

    def organization(self, id_or_slug: str, *, allow_slug: bool = False) -> Organization:
        found = self.organizations.get(id_or_slug)
        if found is None and allow_slug:
            found = next((o for o in self.organizations.values() if o.slug == id_or_slug), None)
        if found is None:
            raise errors.organization_not_found()
        return found

    def org_by_slug(self, slug: str) -> Organization | None:
        return next((o for o in self.organizations.values() if o.slug == slug), None)

    def members(self, organization_id: str) -> list[Membership]:
        return [m for m in self.memberships.values() if m.organization_id == organization_id]

    def memberships_of(self, user_id: str) -> list[Membership]:
        return [m for m in self.memberships.values() if m.user_id == user_id]

    def membership(self, organization_id: str, user_id: str) -> Membership:
        for m in self.memberships.values():
            if m.organization_id == organization_id and m.user_id == user_id:
                return m
        raise errors.not_found()

    def find_membership(self, organization_id: str, user_id: str) -> Membership | None:
        try:
            return self.membership(organization_id, user_id)
        except errors.ClerkAPIError:
            return None

    def users_with_email(self, email_address: str) -> list[User]:
        wanted = email_address.lower()
        return [u for u in self.users.values() if any(e.email_address.lower() == wanted for e in u.email_addresses)]


def deep_merge(base: JSONObject, patch: JSONObject) -> JSONObject:
    """Clerk's metadata merge: nested objects merge, `null` removes a key, anything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict):
            current = merged.get(key)
            merged[key] = deep_merge(current if isinstance(current, dict) else {}, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def copy_json(value: Any) -> Any:
    """A private copy of caller-supplied JSON so later edits never alias stored data."""
    return copy.deepcopy(value)
