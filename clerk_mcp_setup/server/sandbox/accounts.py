"""The rest of the user, organization and invitation operations, on the sandbox's own records.

Bans, locks, MFA and password changes set the flags `getUser` shows; email addresses and phone numbers
live on their user, so adding, verifying, making primary or deleting one shows in the user at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors, invitations, objects, resources
from .params import Body
from .records import EmailAddress, JSONObject, PhoneNumber, User
from .store import Store, copy_json

if TYPE_CHECKING:
    from .routes import Call

TEST_CODE = "424242"
"""The one verification code the sandbox accepts (Clerk's test code for test identifiers)."""

# --- users --------------------------------------------------------------------------------------


def create_user(c: Call) -> JSONObject:
    body, store = c.body, c.store
    emails = _string_list(body, "email_address")
    phones = _string_list(body, "phone_number")
    username = body.string("username")
    if not emails and not phones and not username:
        raise errors.param_missing("email_address")
    for email in emails:
        if store.users_with_email(email):
            raise errors.identifier_exists("email_address")
    password = body.string("password")
    if password is not None and len(password) < 8 and not body.boolean("skip_password_checks"):
        raise errors.ClerkAPIError(
            422,
            "form_password_length_too_short",
            "Passwords must be 8 characters or more.",
            meta={"param_name": "password"},
        )
    now = store.now()
    user = User(
        id=store.new_id("user"),
        first_name=body.string("first_name"),
        last_name=body.string("last_name"),
        username=None,
        created_at=now,
        updated_at=now,
        external_id=body.string("external_id"),
        public_metadata=copy_json(body.obj("public_metadata") or {}),
        private_metadata=copy_json(body.obj("private_metadata") or {}),
        unsafe_metadata=copy_json(body.obj("unsafe_metadata") or {}),
        password_enabled=password is not None,
        password_last_updated_at=now if password is not None else None,
        banned=bool(body.boolean("banned")),
        locked=bool(body.boolean("locked")),
    )
    store.users[user.id] = user
    try:
        if username is not None:
            from .users import _set_username

            _set_username(store, user, username)
    except errors.ClerkAPIError:
        del store.users[user.id]
        raise
    for email in emails:
        user.email_addresses.append(EmailAddress(store.new_id("idn"), email, now, now))
    for phone in phones:
        user.phone_numbers.append(PhoneNumber(store.new_id("idn"), phone, now, now))
    user.primary_email_address_id = user.email_addresses[0].id if user.email_addresses else None
    user.primary_phone_number_id = user.phone_numbers[0].id if user.phone_numbers else None
    return objects.user(user)


def _string_list(body: Body, name: str) -> list[str]:
    value = body.data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.param_type_invalid(name, "array of strings")
    return value


def set_user(c: Call, **flags: Any) -> JSONObject:
    """Set flags on the user in the path and answer the user."""
    user = c.store.user(c.params["user_id"])
    return _apply(c.store, user, flags)


def _apply(store: Store, user: User, flags: dict[str, Any]) -> JSONObject:
    for name, value in flags.items():
        setattr(user, name, value)
    if flags.get("banned"):
        resources.revoke_user_sessions(store, user.id)
    user.updated_at = store.now()
    return objects.user(user)


def ban_many(c: Call, banned: bool) -> list[JSONObject]:
    ids = _string_list(c.body, "user_ids")
    if not ids:
        raise errors.param_missing("user_ids")
    users = [c.store.user(i) for i in ids]
    return [_apply(c.store, u, {"banned": banned}) for u in users]


def remove_password(c: Call) -> JSONObject:
    user = c.store.user(c.params["user_id"])
    if not user.password_enabled:
        raise errors.ClerkAPIError(400, "password_not_set", "This user has no password.")
    if c.body.boolean("sign_out_of_other_sessions"):
        resources.revoke_user_sessions(c.store, user.id)
    return _apply(c.store, user, {"password_enabled": False, "password_last_updated_at": None})


def password_compromised(c: Call, compromised: bool) -> JSONObject:
    user = c.store.user(c.params["user_id"])
    if compromised and c.body.boolean("revoke_all_sessions"):
        resources.revoke_user_sessions(c.store, user.id)
    c.store.compromised_passwords.discard(user.id)
    if compromised:
        c.store.compromised_passwords.add(user.id)
    return _apply(c.store, user, {})


def second_factors(c: Call, *, totp: bool, backup: bool) -> JSONObject:
    """DELETE of MFA, TOTP or backup codes: the flags drop, the answer is `{user_id}`."""
    user = c.store.user(c.params["user_id"])
    if totp:
        user.totp_enabled = False
    if backup:
        user.backup_code_enabled = False
    user.two_factor_enabled = user.totp_enabled or user.backup_code_enabled
    if not user.two_factor_enabled:
        user.mfa_enabled_at = None
    user.updated_at = c.store.now()
    return {"user_id": user.id}


def replace_user_metadata(c: Call) -> JSONObject:
    user = c.store.user(c.params["user_id"])
    for name in ("public_metadata", "private_metadata", "unsafe_metadata"):
        setattr(user, name, copy_json(c.body.obj(name) or {}))
    return _apply(c.store, user, {})


def user_memberships(c: Call) -> JSONObject:
    user = c.store.user(c.params["user_id"])
    found = sorted(c.store.memberships_of(user.id), key=lambda m: m.created_at, reverse=True)
    limit, offset = c.query.limit(), c.query.offset()
    return objects.page([objects.membership(c.store, m) for m in found[offset : offset + limit]], len(found))


def user_org_invitations(c: Call) -> JSONObject:
    user = c.store.user(c.params["user_id"])
    emails = {e.email_address.casefold() for e in user.email_addresses}
    statuses = set(c.query.enum("status", invitations.STATUSES))
    found = [
        i
        for i in c.store.org_invitations.values()
        if i.email_address.casefold() in emails and (not statuses or i.status in statuses)
    ]
    found.sort(key=lambda i: i.created_at, reverse=True)
    limit, offset = c.query.limit(), c.query.offset()
    page = [objects.org_invitation(c.store, i, with_org=True) for i in found[offset : offset + limit]]
    return objects.page(page, len(found))


# --- email addresses and phone numbers ------------------------------------------------------------


def _owner_of(store: Store, ident: str, phones: bool) -> tuple[User, EmailAddress | PhoneNumber]:
    for user in store.users.values():
        for item in user.phone_numbers if phones else user.email_addresses:
            if item.id == ident:
                return user, item
    raise errors.not_found(f"No {'phone number' if phones else 'email address'} was found with id {ident}.")


def _render(item: EmailAddress | PhoneNumber) -> JSONObject:
    return objects.phone_number(item) if isinstance(item, PhoneNumber) else objects.email_address(item)


def create_identification(c: Call, phones: bool) -> JSONObject:
    field = "phone_number" if phones else "email_address"
    user_id = c.body.string("user_id", required=True) or ""
    if user_id not in c.store.users:
        raise errors.form_resource_not_found("user_id")
    value = (c.body.string(field, required=True) or "").strip()
    if phones and not value.startswith("+"):
        raise errors.param_format_invalid(field, "Use E.164, e.g. +15555550100.")
    if not phones and "@" not in value:
        raise errors.param_format_invalid(field)
    taken = (
        any(p.phone_number == value for u in c.store.users.values() for p in u.phone_numbers)
        if phones
        else bool(c.store.users_with_email(value))
    )
    if taken:
        raise errors.identifier_exists(field)
    user = c.store.users[user_id]
    now = c.store.now()
    verified = bool(c.body.boolean("verified"))
    item: EmailAddress | PhoneNumber
    if phones:
        item = PhoneNumber(c.store.new_id("idn"), value, now, now, verified)
        user.phone_numbers.append(item)
    else:
        item = EmailAddress(c.store.new_id("idn"), value, now, now, verified)
        user.email_addresses.append(item)
    _primary(user, item, bool(c.body.boolean("primary")))
    user.updated_at = now
    return _render(item)


def _primary(user: User, item: EmailAddress | PhoneNumber, make_primary: bool) -> None:
    if isinstance(item, PhoneNumber):
        if make_primary or user.primary_phone_number_id is None:
            user.primary_phone_number_id = item.id
    elif make_primary or user.primary_email_address_id is None:
        user.primary_email_address_id = item.id


def get_identification(c: Call, phones: bool, param: str) -> JSONObject:
    return _render(_owner_of(c.store, c.params[param], phones)[1])


def update_identification(c: Call, phones: bool, param: str) -> JSONObject:
    user, item = _owner_of(c.store, c.params[param], phones)
    if (verified := c.body.boolean("verified")) is not None:
        item.verified = verified
    _primary(user, item, bool(c.body.boolean("primary")))
    item.updated_at = user.updated_at = c.store.now()
    return _render(item)


def delete_identification(c: Call, phones: bool, param: str) -> JSONObject:
    user, item = _owner_of(c.store, c.params[param], phones)
    if phones:
        user.phone_numbers = [p for p in user.phone_numbers if p.id != item.id]
        if user.primary_phone_number_id == item.id:
            user.primary_phone_number_id = user.phone_numbers[0].id if user.phone_numbers else None
    else:
        user.email_addresses = [e for e in user.email_addresses if e.id != item.id]
        if user.primary_email_address_id == item.id:
            user.primary_email_address_id = user.email_addresses[0].id if user.email_addresses else None
    user.updated_at = c.store.now()
    return objects.deleted("phone_number" if phones else "email_address", item.id)


def prepare_verification(c: Call, phones: bool, param: str) -> JSONObject:
    _, item = _owner_of(c.store, c.params[param], phones)
    if item.verified:
        raise errors.ClerkAPIError(400, "verification_already_verified", "This identifier is already verified.")
    return _verification(c.store, item, "unverified", phones)


def attempt_verification(c: Call, phones: bool, param: str) -> JSONObject:
    _, item = _owner_of(c.store, c.params[param], phones)
    c.body.string("verification_id", required=True)
    if c.body.string("code", required=True) != TEST_CODE:
        raise errors.ClerkAPIError(
            422,
            "form_code_incorrect",
            "Incorrect code",
            f"Incorrect code (the sandbox accepts {TEST_CODE}).",
            meta={"param_name": "code"},
        )
    item.verified = True
    item.updated_at = c.store.now()
    return _verification(c.store, item, "verified", phones)


def _verification(store: Store, item: EmailAddress | PhoneNumber, status: str, phones: bool) -> JSONObject:
    return {
        "object": "verification_otp",
        "id": f"ver_{item.id.split('_', 1)[1]}",
        "status": status,
        "strategy": "phone_code" if phones else "email_code",
        "attempts": 0 if status == "unverified" else 1,
        "expire_at": store.now() + 600_000,
        "channel": "sms" if phones else "email",
    }


def replace_identification(c: Call, phones: bool) -> JSONObject:
    user = c.store.user(c.params["user_id"])
    field = "phone_number" if phones else "email_address"
    value = (c.body.string(field, required=True) or "").strip()
    status = c.body.string("identification_status") or "verified"
    if status not in ("verified", "reserved", "unverified"):
        raise errors.param_value_invalid("identification_status", status, ["verified", "reserved", "unverified"])
    now = c.store.now()
    item: EmailAddress | PhoneNumber
    if phones:
        item = PhoneNumber(c.store.new_id("idn"), value, now, now, status == "verified")
        user.phone_numbers, user.primary_phone_number_id = [item], item.id
    else:
        if any(u.id != user.id for u in c.store.users_with_email(value)):
            raise errors.identifier_exists(field)
        item = EmailAddress(c.store.new_id("idn"), value, now, now, status == "verified")
        user.email_addresses, user.primary_email_address_id = [item], item.id
    user.updated_at = now
    return _render(item)


# --- organizations and invitations ----------------------------------------------------------------


def replace_org_metadata(c: Call) -> JSONObject:
    org = c.store.organization(c.params["organization_id"])
    for name in ("public_metadata", "private_metadata"):
        setattr(org, name, copy_json(c.body.obj(name) or {}))
    org.updated_at = c.store.now()
    return objects.organization(c.store, org)


def org_logo(c: Call, upload: bool) -> JSONObject:
    org = c.store.organization(c.params["organization_id"])
    if upload:
        import hashlib

        digest = hashlib.sha256(resources.uploaded(c)).hexdigest()[:16]
        org.image_url = f"{objects.IMAGE_HOST}/uploads/{org.id}/{digest}.png"
    else:
        org.image_url = None
    org.updated_at = c.store.now()
    return objects.organization(c.store, org)


def get_org_invitation(c: Call) -> JSONObject:
    org = c.store.organization(c.params["organization_id"])
    inv = c.store.org_invitations.get(c.params["invitation_id"])
    if inv is None or inv.organization_id != org.id:
        raise errors.not_found(f"No invitation found with id {c.params['invitation_id']}.")
    return objects.org_invitation(c.store, inv)


def bulk_items(c: Call) -> list[dict[str, Any]]:
    batch = c.items or []
    if not batch or not all(isinstance(i, dict) for i in batch):
        raise errors.request_body_invalid()
    return batch


def bulk_org_invitations(c: Call) -> JSONObject:
    org_id = c.params["organization_id"]
    made = [invitations.create_org_invitation(c.store, org_id, Body(dict(i))) for i in bulk_items(c)]
    return objects.page(made, len(made))


def bulk_invitations(c: Call) -> list[JSONObject]:
    return [invitations.create_invitation(c.store, Body(dict(i))) for i in bulk_items(c)]


def bulk_waitlist(c: Call) -> list[JSONObject]:
    return [resources.new_waitlist_entry(c.store, Body(dict(i))) for i in bulk_items(c)]
