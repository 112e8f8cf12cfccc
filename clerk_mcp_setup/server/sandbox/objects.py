"""Stored records → the JSON objects of Clerk's spec (User, Organization, OrganizationMembership, …).

Every field the spec marks required is present, with `null` where the spec allows it, so clients
and schema validators see exactly what Clerk would send. Metadata is copied out, never aliased.
"""

from __future__ import annotations

from typing import Any

from .records import (
    ROLES,
    EmailAddress,
    Invitation,
    JSONObject,
    Membership,
    Organization,
    OrganizationInvitation,
    PhoneNumber,
    User,
)
from .store import Store, copy_json

IMAGE_HOST = "https://img.example.com/sandbox"


def default_avatar(object_id: str) -> str:
    return f"{IMAGE_HOST}/default/{object_id}.png"


def _verification(strategy: str, verified: bool) -> JSONObject:
    if strategy == "admin":
        return {
            "object": "verification_admin",
            "status": "verified",
            "strategy": "admin",
            "attempts": None,
            "expire_at": None,
        }
    return {
        "object": "verification_otp",
        "status": "verified" if verified else "unverified",
        "strategy": strategy,
        "attempts": 1 if verified else 0,
        "expire_at": None,
    }


def email_address(email: EmailAddress) -> JSONObject:
    return {
        "id": email.id,
        "object": "email_address",
        "email_address": email.email_address,
        "reserved": False,
        "verification": _verification("admin" if email.verified else "email_code", email.verified),
        "linked_to": [],
        "matches_sso_connection": False,
        "created_at": email.created_at,
        "updated_at": email.updated_at,
    }


def phone_number(phone: PhoneNumber) -> JSONObject:
    return {
        "id": phone.id,
        "object": "phone_number",
        "phone_number": phone.phone_number,
        "reserved_for_second_factor": False,
        "default_second_factor": False,
        "reserved": False,
        "verification": _verification("phone_code", phone.verified),
        "linked_to": [],
        "backup_codes": None,
        "created_at": phone.created_at,
        "updated_at": phone.updated_at,
    }


def user(u: User) -> JSONObject:
    image = u.image_url or default_avatar(u.id)
    return {
        "id": u.id,
        "object": "user",
        "external_id": u.external_id,
        "primary_email_address_id": u.primary_email_address_id,
        "primary_phone_number_id": u.primary_phone_number_id,
        "primary_web3_wallet_id": None,
        "username": u.username,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "locale": u.locale,
        "profile_image_url": image,
        "image_url": image,
        "has_image": u.image_url is not None,
        "public_metadata": copy_json(u.public_metadata),
        "private_metadata": copy_json(u.private_metadata),
        "unsafe_metadata": copy_json(u.unsafe_metadata),
        "email_addresses": [email_address(e) for e in u.email_addresses],
        "phone_numbers": [phone_number(p) for p in u.phone_numbers],
        "web3_wallets": [],
        "passkeys": [],
        "password_enabled": u.password_enabled,
        "two_factor_enabled": u.two_factor_enabled,
        "totp_enabled": u.totp_enabled,
        "backup_code_enabled": u.backup_code_enabled,
        "mfa_enabled_at": u.mfa_enabled_at,
        "mfa_disabled_at": None,
        "password_last_updated_at": u.password_last_updated_at,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "last_sign_in_at": u.last_sign_in_at,
        "banned": u.banned,
        "locked": u.locked,
        "deprovisioned": False,
        "lockout_expires_in_seconds": None,
        "verification_attempts_remaining": None if u.locked else 100,
        "created_at": u.created_at,
        "updated_at": u.updated_at,
        "delete_self_enabled": u.delete_self_enabled,
        "create_organization_enabled": u.create_organization_enabled,
        "create_organizations_limit": u.create_organizations_limit,
        "last_active_at": u.last_active_at,
        "legal_accepted_at": u.legal_accepted_at,
        "bypass_client_trust": u.bypass_client_trust,
    }


def organization(store: Store, org: Organization, *, members_count: bool = False) -> JSONObject:
    out: JSONObject = {
        "object": "organization",
        "id": org.id,
        "name": org.name,
        "slug": org.slug,
        "image_url": org.image_url or default_avatar(org.id),
        "has_image": org.image_url is not None,
        "max_allowed_memberships": org.max_allowed_memberships,
        "admin_delete_enabled": org.admin_delete_enabled,
        "public_metadata": copy_json(org.public_metadata),
        "private_metadata": copy_json(org.private_metadata),
        "created_at": org.created_at,
        "updated_at": org.updated_at,
        "role_set_key": None,
    }
    if org.created_by:
        out["created_by"] = org.created_by
    if members_count:
        out["members_count"] = len(store.members(org.id))
        out["pending_invitations_count"] = sum(
            1 for i in store.org_invitations.values() if i.organization_id == org.id and i.status == "pending"
        )
    return out


def public_user_data(u: User) -> JSONObject:
    image = u.image_url or default_avatar(u.id)
    return {
        "user_id": u.id,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "profile_image_url": image,
        "image_url": image,
        "has_image": u.image_url is not None,
        "identifier": u.identifier,
        "username": u.username,
        "banned": u.banned,
    }


def membership(store: Store, m: Membership) -> JSONObject:
    role_name, permissions = ROLES.get(m.role, (m.role, ()))
    return {
        "id": m.id,
        "object": "organization_membership",
        "role": m.role,
        "role_name": role_name,
        "permissions": list(permissions),
        "public_metadata": copy_json(m.public_metadata),
        "private_metadata": copy_json(m.private_metadata),
        "organization": organization(store, store.organizations[m.organization_id]),
        "public_user_data": public_user_data(store.users[m.user_id]),
        "created_at": m.created_at,
        "updated_at": m.updated_at,
    }


def _inviter_data(store: Store, inviter_id: str | None) -> JSONObject | None:
    inviter = store.users.get(inviter_id) if inviter_id else None
    if inviter is None:
        return None
    return {
        "user_id": inviter.id,
        "first_name": inviter.first_name,
        "last_name": inviter.last_name,
        "image_url": inviter.image_url or default_avatar(inviter.id),
        "has_image": inviter.image_url is not None,
        "identifier": inviter.identifier or "",
    }


def org_invitation(store: Store, inv: OrganizationInvitation, *, with_org: bool = False) -> JSONObject:
    role_name = ROLES.get(inv.role, (inv.role, ()))[0]
    out: dict[str, Any] = {
        "object": "organization_invitation",
        "id": inv.id,
        "email_address": inv.email_address,
        "role": inv.role,
        "role_name": role_name,
        "organization_id": inv.organization_id,
        "inviter_id": inv.inviter_id,
        "public_inviter_data": _inviter_data(store, inv.inviter_id),
        "status": inv.status,
        "public_metadata": copy_json(inv.public_metadata),
        "private_metadata": copy_json(inv.private_metadata),
        "url": inv.url,
        "expires_at": inv.expires_at,
        "created_at": inv.created_at,
        "updated_at": inv.updated_at,
    }
    if with_org:
        org = store.organizations[inv.organization_id]
        out["public_organization_data"] = {
            "id": org.id,
            "name": org.name,
            "slug": org.slug,
            "image_url": org.image_url or default_avatar(org.id),
            "has_image": org.image_url is not None,
        }
    return out


def invitation(inv: Invitation) -> JSONObject:
    return {
        "object": "invitation",
        "id": inv.id,
        "email_address": inv.email_address,
        "public_metadata": copy_json(inv.public_metadata),
        "revoked": inv.revoked,
        "status": inv.status,
        "url": inv.url,
        "expires_at": inv.expires_at,
        "created_at": inv.created_at,
        "updated_at": inv.updated_at,
    }


def deleted(object_type: str, object_id: str, **extra: str) -> JSONObject:
    """Clerk's DeletedObject: what a DELETE of a user or an organization answers."""
    return {"object": object_type, "id": object_id, **extra, "deleted": True}


def page(items: list[JSONObject], total_count: int) -> JSONObject:
    """The `{data, total_count}` envelope most list endpoints answer with."""
    return {"data": items, "total_count": total_count}
