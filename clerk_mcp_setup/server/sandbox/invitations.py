"""Invitations, per organization and instance-wide: create, list, revoke, with Clerk's duplicate rules.

No email is ever sent; an invitation only gets a `url` carrying a made-up ticket, like the link
Clerk would email.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import errors, objects
from .organizations import check_quota, check_role, is_admin
from .params import Body, Query, contains, sort_items
from .records import Invitation, JSONObject, OrganizationInvitation
from .store import Store, copy_json

STATUSES = ("pending", "accepted", "revoked", "expired")
DAY_MS = 86_400_000
SIGN_UP_URL = "https://accounts.example.com/sign-up"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _checked_email(body: Body) -> str:
    email = (body.string("email_address", required=True) or "").strip()
    if not _EMAIL.fullmatch(email):
        raise errors.param_format_invalid("email_address")
    return email


def _expiry(body: Body, now: int) -> int:
    days = body.integer("expires_in_days", minimum=1, maximum=365)
    return now + (days or 30) * DAY_MS


def ticket_url(invitation_id: str, redirect_url: str | None) -> str:
    base = redirect_url or SIGN_UP_URL
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}__clerk_ticket=sandbox_ticket_{invitation_id}"


def _sorted_page(q: Query, items: list[Any], keys: dict[str, Callable[[Any], Any]]) -> tuple[list[Any], int]:
    field_name, descending = q.order_by(keys, "-created_at")
    limit, offset = q.limit(), q.offset()
    ordered = sort_items(items, keys[field_name], descending)
    return ordered[offset : offset + limit], len(ordered)


# --- organization invitations -------------------------------------------------------------------

_ORG_INVITATION_KEYS: dict[str, Callable[[Any], Any]] = {
    "created_at": lambda i: i.created_at,
    "email_address": lambda i: i.email_address,
}


def list_org_invitations(store: Store, organization_id: str, q: Query) -> JSONObject:
    org = store.organization(organization_id)
    statuses = set(q.enum("status", STATUSES))
    email = q.string("email_address")
    found = [
        i
        for i in store.org_invitations.values()
        if i.organization_id == org.id
        and (not statuses or i.status in statuses)
        and (email is None or i.email_address.casefold() == email.casefold())
    ]
    items, total = _sorted_page(q, found, _ORG_INVITATION_KEYS)
    return objects.page([objects.org_invitation(store, i) for i in items], total)


def list_instance_org_invitations(store: Store, q: Query) -> JSONObject:
    """`GET /organization_invitations`: all organizations, with public organization data."""
    statuses = set(q.enum("status", STATUSES))
    needle = q.string("query")
    found = [
        i
        for i in store.org_invitations.values()
        if (not statuses or i.status in statuses) and (needle is None or contains(needle, i.email_address))
    ]
    items, total = _sorted_page(q, found, _ORG_INVITATION_KEYS)
    return objects.page([objects.org_invitation(store, i, with_org=True) for i in items], total)


def create_org_invitation(store: Store, organization_id: str, body: Body) -> JSONObject:
    """One pending invitation per email and organization; the inviter, if named, must be an admin."""
    org = store.organization(organization_id)
    email = _checked_email(body)
    role = body.string("role", required=True) or ""
    check_role(role)
    inviter_id = body.string("inviter_user_id")
    if inviter_id is not None:
        if inviter_id not in store.users:
            raise errors.form_resource_not_found("inviter_user_id")
        if not is_admin(store, org.id, inviter_id):
            raise errors.not_an_admin(inviter_id)
    for member in store.users_with_email(email):
        if store.find_membership(org.id, member.id) is not None:
            raise errors.already_a_member(member.id)
    if any(
        i.organization_id == org.id and i.status == "pending" and i.email_address.casefold() == email.casefold()
        for i in store.org_invitations.values()
    ):
        raise errors.org_invitation_not_unique()
    check_quota(store, org)
    body.boolean("notify")
    now = store.now()
    inv_id = store.new_id("orginv")
    redirect_url = body.string("redirect_url")
    inv = OrganizationInvitation(
        id=inv_id,
        organization_id=org.id,
        email_address=email,
        role=role,
        status="pending",
        created_at=now,
        updated_at=now,
        expires_at=_expiry(body, now),
        inviter_id=inviter_id,
        url=ticket_url(inv_id, redirect_url) if redirect_url else None,
        public_metadata=copy_json(body.obj("public_metadata") or {}),
        private_metadata=copy_json(body.obj("private_metadata") or {}),
    )
    store.org_invitations[inv.id] = inv
    return objects.org_invitation(store, inv)


def revoke_org_invitation(store: Store, organization_id: str, invitation_id: str, body: Body) -> JSONObject:
    org = store.organization(organization_id)
    inv = store.org_invitations.get(invitation_id)
    if inv is None or inv.organization_id != org.id:
        raise errors.not_found(f"No invitation found with id {invitation_id}.")
    requester = body.string("requesting_user_id")
    if requester is not None and not is_admin(store, org.id, requester):
        raise errors.not_an_admin(requester)
    if inv.status != "pending":
        raise errors.org_invitation_not_pending()
    inv.status = "revoked"
    inv.updated_at = store.now()
    return objects.org_invitation(store, inv)


# --- instance invitations -----------------------------------------------------------------------

_INVITATION_KEYS: dict[str, Callable[[Any], Any]] = {
    "created_at": lambda i: i.created_at,
    "email_address": lambda i: i.email_address,
    "expires_at": lambda i: i.expires_at,
}


def list_invitations(store: Store, q: Query) -> list[JSONObject] | JSONObject:
    """`GET /invitations`: a bare array, or `{data, total_count}` with `paginated=true`.

    The spec documents only the array, but says `paginated` paginates, and Clerk's own SDK sends
    `paginated=true` and reads `{data, total_count}`. Revoked invitations are listed only when a
    `status` filter asks for them ("Returns all non-revoked invitations").
    """
    statuses = set(q.enum("status", STATUSES))
    needle = q.string("query")
    found = [
        i
        for i in store.invitations.values()
        if (i.status in statuses if statuses else i.status != "revoked")
        and (needle is None or contains(needle, i.email_address, i.id))
    ]
    paginated = bool(q.boolean("paginated"))
    items, total = _sorted_page(q, found, _INVITATION_KEYS)
    data = [objects.invitation(i) for i in items]
    return objects.page(data, total) if paginated else data


def create_invitation(store: Store, body: Body) -> JSONObject:
    """A second pending invitation, or one for an existing user's email, fails unless `ignore_existing`."""
    email = _checked_email(body)
    ignore_existing = bool(body.boolean("ignore_existing"))
    body.boolean("notify")
    if not ignore_existing:
        if store.users_with_email(email):
            raise errors.identifier_exists("email_address")
        if any(
            i.status == "pending" and i.email_address.casefold() == email.casefold() for i in store.invitations.values()
        ):
            raise errors.duplicate_invitation(email)
    now = store.now()
    inv_id = store.new_id("inv")
    inv = Invitation(
        id=inv_id,
        email_address=email,
        status="pending",
        created_at=now,
        updated_at=now,
        expires_at=_expiry(body, now),
        url=ticket_url(inv_id, body.string("redirect_url")),
        public_metadata=copy_json(body.obj("public_metadata") or {}),
    )
    store.invitations[inv.id] = inv
    return objects.invitation(inv)


def revoke_invitation(store: Store, invitation_id: str) -> JSONObject:
    inv = store.invitations.get(invitation_id)
    if inv is None:
        raise errors.not_found(f"No invitation was found with id {invitation_id}.")
    if inv.status == "revoked":
        raise errors.invitation_already_revoked()
    if inv.status == "accepted":
        raise errors.invitation_already_accepted()
    inv.status = "revoked"
    inv.updated_at = store.now()
    return objects.invitation(inv)
