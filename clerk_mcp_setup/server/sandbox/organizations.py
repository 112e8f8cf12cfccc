"""Organization and membership operations, with Clerk's rules: unique slugs, the creator becomes an
admin, known roles only, one membership per user, quotas, and cascading deletes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from . import errors, objects
from .params import Body, Query, contains, signed_match, sort_items, split_signed
from .records import ROLES, JSONObject, Membership, Organization
from .store import Store, copy_json, deep_merge
from .users import UserFilters

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_NAME_LENGTH = 256


# --- organizations ------------------------------------------------------------------------------


def list_organizations(store: Store, q: Query) -> JSONObject:
    """`GET /organizations`: query by id (exact) or name/slug (partial), member filters, ordering."""
    with_count = bool(q.boolean("include_members_count"))
    sort_keys: dict[str, Callable[[Organization], Any]] = {
        "name": lambda o: o.name,
        "created_at": lambda o: o.created_at,
        "members_count": lambda o: len(store.members(o.id)),
    }
    field_name, descending = q.order_by(sort_keys, "-created_at")
    limit, offset = q.limit(), q.offset()
    needle = q.string("query")
    users_filter = split_signed(q.strings("user_id"))
    orgs_filter = split_signed(q.strings("organization_id"))
    found = []
    for org in store.organizations.values():
        if needle is not None and org.id != needle and not contains(needle, org.name, org.slug):
            continue
        if not signed_match({org.id}, *orgs_filter):
            continue
        member_ids = {m.user_id for m in store.members(org.id)}
        if (users_filter[0] or users_filter[1]) and not signed_match(member_ids, *users_filter):
            continue
        found.append(org)
    ordered = sort_items(found, sort_keys[field_name], descending)
    data = [objects.organization(store, o, members_count=with_count) for o in ordered[offset : offset + limit]]
    return objects.page(data, len(found))


def get_organization(store: Store, id_or_slug: str, q: Query) -> JSONObject:
    org = store.organization(id_or_slug, allow_slug=True)
    return objects.organization(store, org, members_count=bool(q.boolean("include_members_count")))


def create_organization(store: Store, body: Body) -> JSONObject:
    """`POST /organizations`: a slug is derived from the name when none is given."""
    name = _checked_name(body.string("name", required=True) or "")
    creator_id = body.string("created_by")
    if creator_id is not None and creator_id not in store.users:
        raise errors.creator_not_found(creator_id)
    slug = body.string("slug")
    slug = _checked_slug(store, slug, None) if slug is not None else _free_slug(store, name)
    now = store.now()
    created_at = _parse_time("created_at", body.string("created_at")) or now
    org = Organization(
        id=store.new_id("org"),
        name=name,
        slug=slug,
        created_at=created_at,
        updated_at=now,
        created_by=creator_id,
        max_allowed_memberships=body.integer("max_allowed_memberships", minimum=0) or 0,
        public_metadata=copy_json(body.obj("public_metadata") or {}),
        private_metadata=copy_json(body.obj("private_metadata") or {}),
    )
    store.organizations[org.id] = org
    if creator_id is not None:
        _add_member(store, org, creator_id, "org:admin", {}, {})
    return objects.organization(store, org)


def update_organization(store: Store, organization_id: str, body: Body) -> JSONObject:
    """`PATCH /organizations/{id}`: since 2026-05-12 metadata goes through `/metadata`, not here."""
    org = store.organization(organization_id)
    if body.has("name"):
        org.name = _checked_name(body.string("name") or "")
    if body.has("slug"):
        org.slug = _checked_slug(store, body.string("slug") or "", org.id)
    if (maximum := body.integer("max_allowed_memberships", minimum=0)) is not None:
        org.max_allowed_memberships = maximum
    if (flag := body.boolean("admin_delete_enabled")) is not None:
        org.admin_delete_enabled = flag
    if (created_at := _parse_time("created_at", body.string("created_at"))) is not None:
        org.created_at = created_at
    org.updated_at = store.now()
    return objects.organization(store, org)


def delete_organization(store: Store, organization_id: str) -> JSONObject:
    """Deleting an organization also deletes its memberships and invitations, as Clerk does."""
    org = store.organization(organization_id)
    for m in store.members(org.id):
        del store.memberships[m.id]
    for inv in [i for i in store.org_invitations.values() if i.organization_id == org.id]:
        del store.org_invitations[inv.id]
    del store.organizations[org.id]
    return objects.deleted("organization", org.id, slug=org.slug)


def merge_organization_metadata(store: Store, organization_id: str, body: Body) -> JSONObject:
    org = store.organization(organization_id)
    for name in ("public_metadata", "private_metadata"):
        patch = body.obj(name)
        if patch is not None:
            setattr(org, name, deep_merge(getattr(org, name), patch))
    org.updated_at = store.now()
    return objects.organization(store, org)


def _checked_name(name: str) -> str:
    if not name.strip():
        raise errors.param_missing("name")
    if len(name) > MAX_NAME_LENGTH:
        raise errors.param_value_invalid("name", f"a name of {len(name)} characters (max {MAX_NAME_LENGTH})")
    return name


def _checked_slug(store: Store, slug: str, own_id: str | None) -> str:
    if not _SLUG.fullmatch(slug):
        raise errors.param_format_invalid(
            "slug", 'It can contain only lowercase alphanumeric characters and the dash "-".'
        )
    holder = store.org_by_slug(slug)
    if holder is not None and holder.id != own_id:
        raise errors.identifier_exists("slug")
    return slug


def _free_slug(store: Store, name: str) -> str:
    base = "-".join(re.findall(r"[a-z0-9]+", name.lower())) or "organization"
    slug, n = base, 1
    while store.org_by_slug(slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _parse_time(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(datetime.fromisoformat(value).timestamp() * 1000)
    except ValueError:
        raise errors.param_format_invalid(name, "Use RFC 3339, e.g. 2012-10-20T07:15:20.902Z.") from None


# --- memberships --------------------------------------------------------------------------------


MEMBER_FILTER_PARAMS = (
    "user_id",
    "email_address",
    "phone_number",
    "username",
    "web3_wallet",
    "query",
    "email_address_query",
    "phone_number_query",
    "username_query",
    "name_query",
    "last_active_at_before",
    "last_active_at_after",
    "created_at_before",
    "created_at_after",
)
"""The user filters `GET /organizations/{id}/memberships` accepts (applied to each member's user)."""


def _membership_sort_keys(store: Store) -> dict[str, Callable[[Membership], Any]]:
    def by_user(attr: str) -> Callable[[Membership], Any]:
        return lambda m: getattr(store.users[m.user_id], attr)

    return {
        "phone_number": by_user("primary_phone"),
        "email_address": by_user("primary_email"),
        "created_at": lambda m: m.created_at,
        "first_name": by_user("first_name"),
        "last_name": by_user("last_name"),
        "username": by_user("username"),
    }


def _page_of_memberships(store: Store, q: Query, memberships: list[Membership]) -> JSONObject:
    sort_keys = _membership_sort_keys(store)
    field_name, descending = q.order_by(sort_keys, "-created_at")
    limit, offset = q.limit(), q.offset()
    ordered = sort_items(memberships, sort_keys[field_name], descending)
    return objects.page([objects.membership(store, m) for m in ordered[offset : offset + limit]], len(ordered))


def list_memberships(store: Store, organization_id: str, q: Query) -> JSONObject:
    """`GET /organizations/{id}/memberships`: roles, plus the user filters applied to each member."""
    org = store.organization(organization_id)
    roles = set(q.strings("role"))
    user_filters = UserFilters.from_query(q, MEMBER_FILTER_PARAMS)
    found = [
        m
        for m in store.members(org.id)
        if (not roles or m.role in roles) and user_filters.matches(store, store.users[m.user_id])
    ]
    return _page_of_memberships(store, q, found)


def list_all_memberships(store: Store, q: Query) -> JSONObject:
    """`GET /organization_memberships`: every membership of the instance."""
    return _page_of_memberships(store, q, list(store.memberships.values()))


def create_membership(store: Store, organization_id: str, body: Body) -> JSONObject:
    org = store.organization(organization_id)
    user_id = body.string("user_id", required=True) or ""
    role = body.string("role", required=True) or ""
    if user_id not in store.users:
        raise errors.form_resource_not_found("user_id")
    check_role(role)
    if store.find_membership(org.id, user_id) is not None:
        raise errors.already_a_member(user_id)
    check_quota(store, org)
    m = _add_member(store, org, user_id, role, body.obj("public_metadata") or {}, body.obj("private_metadata") or {})
    return objects.membership(store, m)


def update_membership(store: Store, organization_id: str, user_id: str, body: Body) -> JSONObject:
    org = store.organization(organization_id)
    role = body.string("role", required=True) or ""
    m = store.membership(org.id, user_id)
    check_role(role)
    m.role = role
    m.updated_at = store.now()
    return objects.membership(store, m)


def delete_membership(store: Store, organization_id: str, user_id: str) -> JSONObject:
    """Answers with the removed membership (the spec's `OrganizationMembership`, not a DeletedObject)."""
    org = store.organization(organization_id)
    m = store.membership(org.id, user_id)
    rendered = objects.membership(store, m)
    del store.memberships[m.id]
    return rendered


def merge_membership_metadata(store: Store, organization_id: str, user_id: str, body: Body) -> JSONObject:
    org = store.organization(organization_id)
    m = store.membership(org.id, user_id)
    for name in ("public_metadata", "private_metadata"):
        patch = body.obj(name)
        if patch is not None:
            setattr(m, name, deep_merge(getattr(m, name), patch))
    m.updated_at = store.now()
    return objects.membership(store, m)


def check_role(role: str, param: str = "role") -> None:
    if role not in ROLES:
        raise errors.role_not_found(param)


def check_quota(store: Store, org: Organization) -> None:
    """A limited organization counts members plus pending invitations against its maximum."""
    if org.max_allowed_memberships <= 0:
        return
    pending = sum(1 for i in store.org_invitations.values() if i.organization_id == org.id and i.status == "pending")
    if len(store.members(org.id)) + pending >= org.max_allowed_memberships:
        raise errors.membership_quota_exceeded(org.max_allowed_memberships)


def _add_member(
    store: Store, org: Organization, user_id: str, role: str, public: JSONObject, private: JSONObject
) -> Membership:
    now = store.now()
    m = Membership(
        id=store.new_id("orgmem"),
        organization_id=org.id,
        user_id=user_id,
        role=role,
        created_at=now,
        updated_at=now,
        public_metadata=copy_json(public),
        private_metadata=copy_json(private),
    )
    store.memberships[m.id] = m
    return m


def is_admin(store: Store, organization_id: str, user_id: str) -> bool:
    m = store.find_membership(organization_id, user_id)
    return m is not None and m.role == "org:admin"
