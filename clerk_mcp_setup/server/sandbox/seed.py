"""Deterministic demo data: 26 people, 4 organizations, memberships and invitations, fixed ids and times.

Every private_metadata value (users, organizations, memberships, invitations) contains
`PRIVATE_MARKER`, so a test can prove a server never lets private metadata through at any depth.
`DEMO_IDS` names the well-known objects so tests and the demo mode can refer to them; its
`users` and `organizations` entries are tuples of every seeded id, the rest are single ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import resources
from .invitations import DAY_MS, ticket_url
from .records import (
    EmailAddress,
    Invitation,
    JSONObject,
    Membership,
    Organization,
    OrganizationInvitation,
    PhoneNumber,
    User,
)
from .store import Store

PRIVATE_MARKER = "sandbox-private"
BASE_MS = 1_736_121_600_000  # 2025-01-06T00:00:00Z
FAR_FUTURE_MS = 2_051_222_400_000  # 2035-01-01T00:00:00Z: seeded pending invitations never lapse
HOUR_MS = 3_600_000

# key, first name, last name, username, emails, phones, extras
_PEOPLE: list[tuple[str, str | None, str | None, str | None, list[str], list[str], dict[str, Any]]] = [
    ("Amara", "Amara", "Okafor", "amara", ["amara.okafor@example.com", "amara@personal.example.com"],
     ["+15555550101"], {"public": {"plan": "pro", "title": "CEO"}, "two_factor": True, "external_id": "crm-0001"}),
    ("Bjorn", "Björn", "Lindqvist", "bjorn", ["bjorn.lindqvist@example.com"], [],
     {"public": {"plan": "pro", "title": "CTO"}, "locale": "sv-SE"}),
    ("Chen", "Chen", "Wei", "chenwei", ["chen.wei@example.com"], ["+15555550103"],
     {"public": {"plan": "team"}, "external_id": "crm-0003"}),
    ("Diego", "Diego", "Ramírez", "diego_r", ["diego.ramirez@example.com"], [],
     {"public": {"plan": "team", "onboarded": True}, "locale": "es-MX"}),
    ("Elif", "Elif", "Yılmaz", None, ["elif.yilmaz@example.com"], [], {"public": {"onboarded": True}}),
    ("Fatima", "Fatima", "Zahra", "fzahra", ["fatima.zahra@example.com"], ["+15555550106"], {}),
    ("Giulia", "Giulia", "Rossi", "giulia", ["giulia.rossi@example.com"], [], {"public": {"beta": True}}),
    ("Hiroshi", "Hiroshi", "Tanaka", "htanaka", ["hiroshi.tanaka@example.com"], [], {"locale": "ja-JP"}),
    ("Ingrid", "Ingrid", "Nilsen", "ingrid", ["ingrid.nilsen@example.com"], [], {}),
    ("Jamal", "Jamal", "Washington", "jamalw", ["jamal.washington@example.com"], ["+15555550110"],
     {"two_factor": True}),
    ("Kavya", "Kavya", "Iyer", "kavya", ["kavya.iyer@example.com"], [], {"public": {"plan": "pro"}}),
    ("Liam", "Liam", "O'Brien", "liamob", ["liam.obrien@example.com"], [], {}),
    ("Maya", "Maya", "Cohen", "mayac", ["maya.cohen@example.com"], [], {"public": {"plan": "free"}}),
    ("Noah", "Noah", "Schmidt", "noah", ["noah.schmidt@example.com"], [], {"locale": "de-DE"}),
    ("Olivia", "Olivia", "Brown", "oliviab", ["olivia.brown@example.com"], ["+15555550115"], {}),
    ("Priya", "Priya", "Patel", "priya", ["priya.patel@example.com"], [], {"public": {"plan": "pro"}}),
    ("Quentin", "Quentin", "Dubois", "qdubois", ["quentin.dubois@example.com"], [], {"locale": "fr-FR"}),
    ("Rosa", "Rosa", "Martínez", "rosam", ["rosa.martinez@example.com"], [], {"never_signed_in": True}),
    ("Samuel", "Samuel", "Mensah", "smensah", ["samuel.mensah@example.com"], ["+15555550119"], {}),
    ("Tatiana", "Tatiana", "Ivanova", "tivanova", ["tatiana.ivanova@example.com"], [],
     {"banned": True, "public": {"plan": "free"}}),
    ("Umar", "Umar", "Farooq", "umarf", ["umar.farooq@example.com"], [], {"locked": True}),
    ("Valentina", "Valentina", "Costa", "vcosta", ["valentina.costa@example.com"], [], {}),
    ("Wen", "Wen", "Li", "wenli", [], ["+15555550123"], {}),
    ("Xavier", None, None, "xnguyen", ["xavier.nguyen@example.com"], [], {"never_signed_in": True}),
    ("Yara", "Yara", "Haddad", "yara", ["yara.haddad@example.com"], [], {"public": {"beta": True}}),
    ("Zoe", "Zoe", "Clarke", None, ["zoe.clarke@example.com"], [], {"unverified_email": True}),
]  # fmt: skip

# key, name, slug, creator key, max memberships, public metadata, members (user key, role)
_ORGS: list[tuple[str, str, str, str, int, JSONObject, list[tuple[str, str]]]] = [
    ("Acme", "Acme Corporation", "acme-corp", "Amara", 0, {"plan": "enterprise", "industry": "manufacturing"},
     [("Amara", "org:admin"), ("Bjorn", "org:admin"), ("Elif", "org:member"), ("Fatima", "org:member"),
      ("Giulia", "org:member"), ("Hiroshi", "org:member"), ("Kavya", "org:member"), ("Liam", "org:member")]),
    ("Globex", "Globex Industries", "globex", "Chen", 0, {"plan": "business", "region": "eu"},
     [("Chen", "org:admin"), ("Amara", "org:member"), ("Ingrid", "org:member"), ("Jamal", "org:member"),
      ("Noah", "org:member")]),
    ("Initech", "Initech", "initech", "Diego", 5, {"plan": "starter"},
     [("Diego", "org:admin"), ("Maya", "org:member"), ("Olivia", "org:member")]),
    ("Nimbus", "Nimbus Labs", "nimbus-labs", "Priya", 0, {"plan": "free"}, [("Priya", "org:admin")]),
]  # fmt: skip

# id suffix, organization key, email, role, status, inviter key
_ORG_INVITATIONS = [
    ("AcmeNewHire", "Acme", "new.hire@example.com", "org:member", "pending", "Amara"),
    ("AcmeContractor", "Acme", "contractor@example.com", "org:admin", "pending", "Bjorn"),
    ("AcmeRevoked", "Acme", "former.candidate@example.com", "org:member", "revoked", "Amara"),
    ("GlobexPending", "Globex", "partner@example.com", "org:member", "pending", "Chen"),
    ("InitechPending", "Initech", "consultant@example.com", "org:member", "pending", None),
    ("InitechAccepted", "Initech", "olivia.brown@example.com", "org:member", "accepted", "Diego"),
]

# id suffix, email, status
_INVITATIONS = [
    ("Pending", "beta.tester@example.com", "pending"),
    ("PendingTwo", "early.adopter@example.com", "pending"),
    ("Accepted", "valentina.costa@example.com", "accepted"),
    ("Revoked", "spam.signup@example.com", "revoked"),
    ("Expired", "late.reply@example.com", "expired"),
]

DEMO_IDS: Mapping[str, Any] = MappingProxyType(
    {
        "users": tuple(f"user_2demo{p[0]}" for p in _PEOPLE),
        "organizations": tuple(f"org_2demo{o[0]}" for o in _ORGS),
        "user": "user_2demoAmara",  # admin of acme-corp, member of globex, 2 emails, a phone
        "member_user": "user_2demoElif",  # plain member of acme-corp
        "unaffiliated_user": "user_2demoQuentin",  # in no organization
        "banned_user": "user_2demoTatiana",
        "locked_user": "user_2demoUmar",
        "phone_only_user": "user_2demoWen",
        "organization": "org_2demoAcme",
        "organization_slug": "acme-corp",
        "other_organization": "org_2demoGlobex",
        "limited_organization": "org_2demoInitech",  # max 5 memberships: 3 members + 1 pending invitation
        "membership": "orgmem_2demoAcmeElif",
        "pending_org_invitation": "orginv_2demoAcmeNewHire",
        "revoked_org_invitation": "orginv_2demoAcmeRevoked",
        "pending_invitation": "inv_2demoPending",
        "revoked_invitation": "inv_2demoRevoked",
        "accepted_invitation": "inv_2demoAccepted",
        "private_marker": PRIVATE_MARKER,
        "email_address": "idn_2demoAmaraEmail2",  # Amara's second, non-primary address
        "phone_number": "idn_2demoAmaraPhone1",
        **resources.SEED_IDS,
    }
)
USER_COUNT = len(_PEOPLE)
ORGANIZATION_COUNT = len(_ORGS)


def _private(kind: str, key: str) -> JSONObject:
    """Private metadata with the marker at the top level and nested, as real apps store it."""
    return {
        "internal_note": f"{PRIVATE_MARKER}: {kind} {key}",
        "billing": {"customer_id": f"cus_{PRIVATE_MARKER}_{key.lower()}", "tier": 2},
    }


def _user(index: int, person: tuple[Any, ...]) -> User:
    key, first, last, username, emails, phones, extra = person
    created = BASE_MS + index * 5 * DAY_MS + index * 37 * 60_000
    uid = f"user_2demo{key}"
    email_records = [
        EmailAddress(f"idn_2demo{key}Email{n}", e, created, created, not extra.get("unverified_email"))
        for n, e in enumerate(emails, 1)
    ]
    phone_records = [PhoneNumber(f"idn_2demo{key}Phone{n}", p, created, created) for n, p in enumerate(phones, 1)]
    signed_in = None if extra.get("never_signed_in") else created + (40 + index) * DAY_MS + 9 * HOUR_MS
    return User(
        id=uid,
        first_name=first,
        last_name=last,
        username=username,
        created_at=created,
        updated_at=created + 2 * DAY_MS,
        email_addresses=email_records,
        phone_numbers=phone_records,
        primary_email_address_id=email_records[0].id if email_records else None,
        primary_phone_number_id=phone_records[0].id if phone_records else None,
        external_id=extra.get("external_id"),
        locale=extra.get("locale"),
        public_metadata=dict(extra.get("public", {})),
        private_metadata=_private("user", key),
        unsafe_metadata={"theme": "dark" if index % 2 else "light"},
        banned=bool(extra.get("banned")),
        locked=bool(extra.get("locked")),
        password_enabled=bool(emails),
        password_last_updated_at=created if emails else None,
        two_factor_enabled=bool(extra.get("two_factor")),
        totp_enabled=bool(extra.get("two_factor")),
        mfa_enabled_at=created + DAY_MS if extra.get("two_factor") else None,
        last_sign_in_at=signed_in,
        last_active_at=(signed_in // DAY_MS) * DAY_MS if signed_in else None,
        legal_accepted_at=created,
    )


def seed(store: Store) -> None:
    """Fill an empty store with the demo instance (same ids and timestamps every time)."""
    for index, person in enumerate(_PEOPLE):
        u = _user(index, person)
        store.users[u.id] = u
    for index, (key, name, slug, creator, maximum, public, members) in enumerate(_ORGS):
        created = BASE_MS + (3 + index * 20) * DAY_MS
        org = Organization(
            id=f"org_2demo{key}",
            name=name,
            slug=slug,
            created_at=created,
            updated_at=created + DAY_MS,
            created_by=f"user_2demo{creator}",
            max_allowed_memberships=maximum,
            public_metadata=dict(public),
            private_metadata=_private("organization", key),
        )
        store.organizations[org.id] = org
        for n, (user_key, role) in enumerate(members):
            joined = created + n * DAY_MS
            membership = Membership(
                id=f"orgmem_2demo{key}{user_key}",
                organization_id=org.id,
                user_id=f"user_2demo{user_key}",
                role=role,
                created_at=joined,
                updated_at=joined,
                public_metadata={"title": "Founder" if n == 0 else "Team member", "team": key.lower()},
                private_metadata=_private("membership", f"{key}-{user_key}"),
            )
            store.memberships[membership.id] = membership
    _seed_invitations(store)
    resources.seed(store, DEMO_IDS["user"], DEMO_IDS["member_user"], DEMO_IDS["organization"])


def _seed_invitations(store: Store) -> None:
    for index, (suffix, org_key, email, role, status, inviter) in enumerate(_ORG_INVITATIONS):
        created = BASE_MS + (100 + index * 3) * DAY_MS
        inv = OrganizationInvitation(
            id=f"orginv_2demo{suffix}",
            organization_id=f"org_2demo{org_key}",
            email_address=email,
            role=role,
            status=status,
            created_at=created,
            updated_at=created + (DAY_MS if status != "pending" else 0),
            expires_at=FAR_FUTURE_MS if status == "pending" else created + 30 * DAY_MS,
            inviter_id=f"user_2demo{inviter}" if inviter else None,
            public_metadata={"source": "seed"},
            private_metadata=_private("org invitation", suffix),
        )
        store.org_invitations[inv.id] = inv
    for index, (suffix, email, status) in enumerate(_INVITATIONS):
        created = BASE_MS + (120 + index * 4) * DAY_MS
        inv_id = f"inv_2demo{suffix}"
        store.invitations[inv_id] = Invitation(
            id=inv_id,
            email_address=email,
            status=status,
            created_at=created,
            updated_at=created + (DAY_MS if status != "pending" else 0),
            expires_at=FAR_FUTURE_MS if status == "pending" else created + 30 * DAY_MS,
            url=ticket_url(inv_id, None),
            public_metadata={"campaign": "spring-launch", "index": index},
        )
