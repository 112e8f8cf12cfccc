"""The sandbox's stored objects: only what it needs to answer like Clerk, nothing HTTP-shaped.

`objects.py` turns these into the spec's JSON; keeping the two apart lets the store stay small
while the rendered objects carry every field the spec requires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONObject = dict[str, Any]

ROLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "org:admin": (
        "Admin",
        (
            "org:sys_profile:manage",
            "org:sys_profile:delete",
            "org:sys_memberships:read",
            "org:sys_memberships:manage",
            "org:sys_domains:read",
            "org:sys_domains:manage",
        ),
    ),
    "org:member": ("Member", ("org:sys_memberships:read",)),
}
"""Clerk's two default organization roles: key → (display name, system permissions)."""


@dataclass
class EmailAddress:
    id: str
    email_address: str
    created_at: int
    updated_at: int
    verified: bool = True


@dataclass
class PhoneNumber:
    id: str
    phone_number: str
    created_at: int
    updated_at: int
    verified: bool = True


@dataclass
class User:
    id: str
    first_name: str | None
    last_name: str | None
    username: str | None
    created_at: int
    updated_at: int
    email_addresses: list[EmailAddress] = field(default_factory=list)
    phone_numbers: list[PhoneNumber] = field(default_factory=list)
    primary_email_address_id: str | None = None
    primary_phone_number_id: str | None = None
    external_id: str | None = None
    locale: str | None = None
    public_metadata: JSONObject = field(default_factory=dict)
    private_metadata: JSONObject = field(default_factory=dict)
    unsafe_metadata: JSONObject = field(default_factory=dict)
    image_url: str | None = None
    banned: bool = False
    locked: bool = False
    password_enabled: bool = True
    password_last_updated_at: int | None = None
    two_factor_enabled: bool = False
    totp_enabled: bool = False
    backup_code_enabled: bool = False
    mfa_enabled_at: int | None = None
    last_sign_in_at: int | None = None
    last_active_at: int | None = None
    legal_accepted_at: int | None = None
    delete_self_enabled: bool = True
    create_organization_enabled: bool = True
    create_organizations_limit: int | None = None
    bypass_client_trust: bool = False

    @property
    def primary_email(self) -> str | None:
        """The primary email address, which Clerk uses as a user's identifier and sort key."""
        for email in self.email_addresses:
            if email.id == self.primary_email_address_id:
                return email.email_address
        return None

    @property
    def primary_phone(self) -> str | None:
        for phone in self.phone_numbers:
            if phone.id == self.primary_phone_number_id:
                return phone.phone_number
        return None

    @property
    def identifier(self) -> str | None:
        """What Clerk shows for a member: email, else phone, else username."""
        return self.primary_email or self.primary_phone or self.username


@dataclass
class Organization:
    id: str
    name: str
    slug: str
    created_at: int
    updated_at: int
    created_by: str | None = None
    image_url: str | None = None
    max_allowed_memberships: int = 0
    admin_delete_enabled: bool = True
    public_metadata: JSONObject = field(default_factory=dict)
    private_metadata: JSONObject = field(default_factory=dict)


@dataclass
class Membership:
    id: str
    organization_id: str
    user_id: str
    role: str
    created_at: int
    updated_at: int
    public_metadata: JSONObject = field(default_factory=dict)
    private_metadata: JSONObject = field(default_factory=dict)


@dataclass
class OrganizationInvitation:
    id: str
    organization_id: str
    email_address: str
    role: str
    status: str
    created_at: int
    updated_at: int
    expires_at: int | None
    inviter_id: str | None = None
    url: str | None = None
    public_metadata: JSONObject = field(default_factory=dict)
    private_metadata: JSONObject = field(default_factory=dict)


@dataclass
class Invitation:
    id: str
    email_address: str
    status: str
    created_at: int
    updated_at: int
    expires_at: int | None
    url: str
    public_metadata: JSONObject = field(default_factory=dict)

    @property
    def revoked(self) -> bool:
        return self.status == "revoked"
