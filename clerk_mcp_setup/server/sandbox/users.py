"""User operations: Clerk's list filters and orderings, updates, metadata merge, deletion, profile image.

The filters follow the spec's descriptions for `GET /users` (exact lists with `+`/`-` include and
exclude, partial `*_query` matches, time windows) so list and count always agree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from . import errors, objects
from .params import Body, Query, contains, signed_match, sort_items, split_signed
from .records import JSONObject, User
from .store import Store, deep_merge

USER_FILTER_PARAMS = (
    "email_address",
    "phone_number",
    "external_id",
    "username",
    "web3_wallet",
    "user_id",
    "organization_id",
    "query",
    "email_address_query",
    "phone_number_query",
    "username_query",
    "name_query",
    "banned",
    "last_active_at_before",
    "last_active_at_after",
    "last_active_at_since",
    "created_at_before",
    "created_at_after",
    "last_sign_in_at_before",
    "last_sign_in_at_after",
)

USER_SORT_KEYS: dict[str, Callable[[User], Any]] = {
    "created_at": lambda u: u.created_at,
    "updated_at": lambda u: u.updated_at,
    "email_address": lambda u: u.primary_email,
    "web3wallet": lambda u: None,
    "first_name": lambda u: u.first_name,
    "last_name": lambda u: u.last_name,
    "phone_number": lambda u: u.primary_phone,
    "username": lambda u: u.username,
    "last_active_at": lambda u: u.last_active_at,
    "last_sign_in_at": lambda u: u.last_sign_in_at,
}

_TIME_WINDOWS: tuple[tuple[str, str, bool], ...] = (
    # (query parameter, User attribute, True = "before" (strictly less than))
    ("created_at_before", "created_at", True),
    ("created_at_after", "created_at", False),
    ("last_active_at_before", "last_active_at", True),
    ("last_active_at_after", "last_active_at", False),
    ("last_active_at_since", "last_active_at", False),
    ("last_sign_in_at_before", "last_sign_in_at", True),
    ("last_sign_in_at_after", "last_sign_in_at", False),
)


@dataclass
class UserFilters:
    """Every user filter of `GET /users` and `GET /users/count`, parsed once."""

    exact: dict[str, set[str]] = field(default_factory=dict)
    signed: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    partial: dict[str, str] = field(default_factory=dict)
    banned: bool | None = None
    windows: list[tuple[str, int, bool]] = field(default_factory=list)

    @classmethod
    def from_query(cls, q: Query, names: Collection[str] = USER_FILTER_PARAMS) -> UserFilters:
        """Read the filters in `names` (an endpoint honours only the ones its spec lists)."""
        f = cls(banned=q.boolean("banned") if "banned" in names else None)
        for name in ("email_address", "phone_number", "username", "web3_wallet"):
            if name in names and (values := q.strings(name)):
                f.exact[name] = {v.casefold() for v in values}
        for name in ("user_id", "organization_id", "external_id"):
            if name in names and (values := q.strings(name)):
                f.signed[name] = split_signed(values)
        for name in ("query", "email_address_query", "phone_number_query", "username_query", "name_query"):
            if name in names and (value := q.string(name)) is not None:
                f.partial[name] = value
        for name, attr, before in _TIME_WINDOWS:
            if name in names and (bound := q.integer(name)) is not None:
                f.windows.append((attr, bound, before))
        return f

    def matches(self, store: Store, u: User) -> bool:
        emails = [e.email_address for e in u.email_addresses]
        phones = [p.phone_number for p in u.phone_numbers]
        exact_values = {
            "email_address": {e.casefold() for e in emails},
            "phone_number": set(phones),
            "username": {u.username.casefold()} if u.username else set(),
            "web3_wallet": set(),
        }
        if any(not exact_values[name] & wanted for name, wanted in self.exact.items()):
            return False
        signed_values = {
            "user_id": {u.id},
            "organization_id": {m.organization_id for m in store.memberships_of(u.id)},
            "external_id": {u.external_id} if u.external_id else set(),
        }
        if any(not signed_match(signed_values[n], *filt) for n, filt in self.signed.items()):
            return False
        if self.banned is not None and u.banned != self.banned:
            return False
        for attr, bound, before in self.windows:
            value = getattr(u, attr)
            if value is None or (value >= bound if before else value <= bound):
                return False
        return all(self._partial(name, needle, u, emails, phones) for name, needle in self.partial.items())

    @staticmethod
    def _partial(name: str, needle: str, u: User, emails: list[str], phones: list[str]) -> bool:
        full_name = " ".join(p for p in (u.first_name, u.last_name) if p)
        digits = "".join(ch for ch in needle if ch.isdigit())
        phone_hit = bool(digits) and any(digits in "".join(ch for ch in p if ch.isdigit()) for p in phones)
        if name == "email_address_query":
            return contains(needle, *emails)
        if name == "phone_number_query":
            return contains(needle, *phones) or phone_hit
        if name == "username_query":
            return contains(needle, u.username)
        if name == "name_query":
            return contains(needle, u.first_name, u.last_name, full_name)
        return contains(needle, u.id, u.username, u.first_name, u.last_name, full_name, *emails, *phones) or phone_hit


def filtered_users(store: Store, q: Query) -> list[User]:
    filters = UserFilters.from_query(q)
    return [u for u in store.users.values() if filters.matches(store, u)]


def list_users(store: Store, q: Query) -> list[JSONObject]:
    """`GET /users`: filter, order (default newest first), then `starting_after` or offset, then limit."""
    field_name, descending = q.order_by(USER_SORT_KEYS, "-created_at")
    users = sort_items(filtered_users(store, q), USER_SORT_KEYS[field_name], descending)
    limit, offset = q.limit(), q.offset()
    cursor = q.string("starting_after")
    if cursor is not None:
        if field_name != "created_at":
            raise errors.param_value_invalid("order_by", q.string("order_by"), ["created_at"])
        if offset:
            raise errors.param_value_invalid("offset", offset, ["0"])
        position = next((i for i, u in enumerate(users) if u.id == cursor), None)
        if position is None:
            raise errors.param_value_invalid("starting_after", cursor)
        offset = position + 1
    return [objects.user(u) for u in users[offset : offset + limit]]


def count_users(store: Store, q: Query) -> JSONObject:
    return {"object": "total_count", "total_count": len(filtered_users(store, q))}


def get_user(store: Store, user_id: str) -> JSONObject:
    return objects.user(store.user(user_id))


def update_user(store: Store, user_id: str, body: Body) -> JSONObject:
    """`PATCH /users/{user_id}`: the profile fields this sandbox keeps; others are accepted and ignored."""
    u = store.user(user_id)
    for name in ("first_name", "last_name", "external_id", "locale"):
        if body.has(name):
            setattr(u, name, body.string(name) or None)
    if body.has("username"):
        _set_username(store, u, body.string("username") or None)
    for name, ids in (
        ("primary_email_address_id", [e.id for e in u.email_addresses]),
        ("primary_phone_number_id", [p.id for p in u.phone_numbers]),
    ):
        if (value := body.string(name)) is not None:
            if value not in ids:
                raise errors.form_resource_not_found(name)
            setattr(u, name, value)
    if (password := body.string("password")) is not None:
        if len(password) < 8 and not body.boolean("skip_password_checks"):
            raise errors.ClerkAPIError(
                422,
                "form_password_length_too_short",
                "Passwords must be 8 characters or more.",
                meta={"param_name": "password"},
            )
        u.password_enabled = True
        u.password_last_updated_at = store.now()
    for name in ("delete_self_enabled", "create_organization_enabled", "bypass_client_trust"):
        if (flag := body.boolean(name)) is not None:
            setattr(u, name, flag)
    if (limit := body.integer("create_organizations_limit", minimum=0)) is not None:
        u.create_organizations_limit = limit
    u.updated_at = store.now()
    return objects.user(u)


def _set_username(store: Store, u: User, username: str | None) -> None:
    if username is not None:
        if not 4 <= len(username) <= 64:
            raise errors.ClerkAPIError(
                422,
                "form_username_invalid_length",
                "Username must be between 4 and 64 characters long.",
                meta={"param_name": "username"},
            )
        taken = any(
            o.id != u.id and o.username and o.username.casefold() == username.casefold() for o in store.users.values()
        )
        if taken:
            raise errors.identifier_exists("username")
    u.username = username


def delete_user(store: Store, user_id: str) -> JSONObject:
    u = store.user(user_id)
    for m in store.memberships_of(u.id):
        del store.memberships[m.id]
    del store.users[u.id]
    return objects.deleted("user", u.id)


def merge_user_metadata(store: Store, user_id: str, body: Body) -> JSONObject:
    """`PATCH /users/{user_id}/metadata`: deep merge; `null` at any depth removes that key."""
    u = store.user(user_id)
    for name in ("public_metadata", "private_metadata", "unsafe_metadata"):
        patch = body.obj(name)
        if patch is not None:
            setattr(u, name, deep_merge(getattr(u, name), patch))
    u.updated_at = store.now()
    return objects.user(u)


def set_profile_image(store: Store, user_id: str, content: bytes, filename: str) -> JSONObject:
    """`POST /users/{user_id}/profile_image`: keep nothing but a stable URL derived from the bytes."""
    u = store.user(user_id)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    digest = hashlib.sha256(content).hexdigest()[:16]
    u.image_url = f"{objects.IMAGE_HOST}/uploads/{u.id}/{digest}.{suffix}"
    u.updated_at = store.now()
    return objects.user(u)
