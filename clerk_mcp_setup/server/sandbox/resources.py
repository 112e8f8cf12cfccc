"""The many simple resources (sessions, roles, JWT templates, API keys, machines, ...), served generically.

Each kind is a table of spec-shaped JSON objects. A new object starts as the operation's example answer
(`examples.py`, generated from the spec), gets a fresh id and times, and takes the request's fields that
the object has; updates overlay fields the same way. On top of that sit the few behaviours a caller
relies on: revocations and rejections change `status`, secrets are shown only where the API shows them,
deletes answer the spec's deleted object, and lists answer in their operation's shape.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors
from .examples import EXAMPLES
from .params import Body, Query, contains
from .records import ROLES, JSONObject
from .store import Store

if TYPE_CHECKING:
    from .routes import Call

SANDBOX_JWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzYW5kYm94In0.c2FuZGJveA"
M2M_TOKEN = "mt_sandbox_token_worker"
API_KEY_SECRET = "ak_sandbox_secret_amara"
INSTANCE_ID = "ins_2demoInstance"


@dataclass
class Entry:
    """One stored object and the id of what it belongs to (a user, an organization), if anything."""

    obj: JSONObject
    parent: str | None = None


def example(key: str) -> Any:
    return copy.deepcopy(EXAMPLES[key])


def _fits(current: Any, value: Any) -> bool:
    """Whether a request value may replace a field without breaking its spec type."""
    if current is None or value is None:
        return value is not None
    if isinstance(current, bool) or isinstance(value, bool):
        return isinstance(current, bool) and isinstance(value, bool)
    if isinstance(current, int | float):
        return isinstance(value, int | float)
    return isinstance(value, type(current))


def overlay(obj: JSONObject, fields: dict[str, Any], names: Iterable[str] | None = None) -> JSONObject:
    for name, value in fields.items():
        if (
            (names is None or name in names)
            and name in obj
            and name not in ("id", "object")
            and _fits(obj[name], value)
        ):
            obj[name] = copy.deepcopy(value)
    return obj


def overlay_entry(entry: Entry, fields: dict[str, Any], names: Iterable[str] | None = None) -> Entry:
    overlay(entry.obj, fields, names)
    return entry


def everything(store: Store, kind: str) -> JSONObject:
    """`{data, total_count}` of a whole kind, for the list operations without paging."""
    found = items(store, kind)
    return {"data": found, "total_count": len(found)}


def table(store: Store, kind: str) -> dict[str, Entry]:
    return store.resources.setdefault(kind, {})


def add(store: Store, kind: str, key: str, object_id: str, fields: dict[str, Any], parent: str | None = None) -> Entry:
    """Store a new object built from the example answer of `key`."""
    obj = example(key)
    obj["id"] = object_id
    now = store.now()
    for stamp in ("created_at", "updated_at"):
        if stamp in obj:
            obj[stamp] = now
    overlay(obj, fields)
    entry = Entry(obj, parent)
    table(store, kind)[object_id] = entry
    return entry


def find(store: Store, kind: str, object_id: str, parent: str | None = None) -> Entry:
    entry = table(store, kind).get(object_id)
    if entry is None or (parent is not None and entry.parent != parent):
        raise errors.not_found(f"No {kind.replace('_', ' ')} was found with id {object_id}.")
    return entry


def touch(store: Store, entry: Entry, **changes: Any) -> JSONObject:
    entry.obj.update(changes)
    if "updated_at" in entry.obj:
        entry.obj["updated_at"] = store.now()
    return copy.deepcopy(entry.obj)


def deleted(store: Store, kind: str, key: str, object_id: str, parent: str | None = None) -> JSONObject:
    """Remove an object; answer the operation's deleted-object shape with its id."""
    entry = find(store, kind, object_id, parent)
    del table(store, kind)[object_id]
    out = example(key)
    out["id"] = object_id
    out["deleted"] = True
    if "object" in out and "object" in entry.obj:
        out["object"] = entry.obj["object"]
    for extra in ("slug", "external_id"):
        out.pop(extra, None)
    return out


def items(
    store: Store, kind: str, parent: str | None = None, keep: Callable[[JSONObject], bool] | None = None
) -> list[JSONObject]:
    return [
        copy.deepcopy(e.obj)
        for e in table(store, kind).values()
        if (parent is None or e.parent == parent) and (keep is None or keep(e.obj))
    ]


def page(q: Query, found: list[JSONObject], key: str = "data") -> JSONObject:
    """`{data, total_count}` (or another key) after the usual ordering by newest and limit/offset."""
    found = sorted(found, key=lambda o: o.get("created_at") or 0, reverse=True)
    limit, offset = q.limit(), q.offset()
    return {key: found[offset : offset + limit], "total_count": len(found)}


def array(q: Query, found: list[JSONObject]) -> list[JSONObject]:
    return page(q, found)["data"]


def hex_id(prefix: str, store: Store) -> str:
    """Ids Clerk writes as a prefix and 32 hex digits (API keys, M2M tokens)."""
    return f"{prefix}_{store.new_id('x').encode().hex()[-32:].rjust(32, '0')}"


def long_id(prefix: str, store: Store) -> str:
    """Ids Clerk writes as a prefix and 27 characters (machines)."""
    return f"{prefix}_{store.new_id('x').split('_', 1)[1].ljust(27, '0')}"


def _secret(*parts: str) -> str:
    return "sandbox_" + hashlib.sha256("/".join(parts).encode()).hexdigest()[:24]


# --- sessions -----------------------------------------------------------------------------------

SESSION_STATUSES = ("active", "revoked", "ended", "expired", "removed", "abandoned", "replaced", "pending")


def list_sessions(c: Call) -> list[JSONObject]:
    user, client = c.query.string("user_id"), c.query.string("client_id")
    statuses = set(c.query.enum("status", SESSION_STATUSES))
    if user is None and client is None:
        raise errors.param_missing("user_id")

    def keep(s: JSONObject) -> bool:
        return (
            (user is None or s["user_id"] == user)
            and (client is None or s["client_id"] == client)
            and (not statuses or s["status"] in statuses)
        )

    return array(c.query, items(c.store, "session", keep=keep))


def create_session(c: Call) -> JSONObject:
    user_id = c.body.string("user_id", required=True) or ""
    c.store.user(user_id)
    org = c.body.string("active_organization_id")
    return copy.deepcopy(new_session(c.store, user_id, org).obj)


def new_session(store: Store, user_id: str, org: str | None = None, session_id: str | None = None) -> Entry:
    sid = session_id or store.new_id("sess")
    entry = add(store, "session", "POST /sessions", sid, {"user_id": user_id, "status": "active"}, parent=user_id)
    now = entry.obj["created_at"]
    entry.obj.update(
        client_id=f"client_{sid.split('_', 1)[1]}",
        actor=None,
        last_active_organization_id=org,
        last_active_at=now,
        expire_at=now + 7 * 86_400_000,
        abandon_at=now + 30 * 86_400_000,
        tasks=None,
    )
    entry.obj["latest_activity"].update(
        id=f"sess_activity_{sid.split('_', 1)[1]}",
        object="session_activity",
        device_type="Macintosh",
        browser_name="Firefox",
        browser_version="128.0",
        ip_address="203.0.113.7",
        city="Lisbon",
        country="PT",
    )
    return entry


def revoke_user_sessions(store: Store, user_id: str) -> None:
    """What a ban does to a user's sessions."""
    for entry in table(store, "session").values():
        if entry.parent == user_id and entry.obj["status"] == "active":
            touch(store, entry, status="revoked")


def session_token(c: Call) -> JSONObject:
    entry = find(c.store, "session", c.params["session_id"])
    if entry.obj["status"] != "active":
        raise errors.ClerkAPIError(
            422, "session_not_active", "Session is not active", "Only an active session can get tokens."
        )
    c.body.integer("expires_in_seconds", minimum=30, maximum=315_360_000)
    template = c.params.get("template_name")
    if template is not None and not any(t.obj["name"] == template for t in table(c.store, "jwt_template").values()):
        raise errors.not_found(f"No JWT template exists with name: {template}")
    return {"object": "token", "jwt": SANDBOX_JWT}


# --- user sub-resources -------------------------------------------------------------------------


def user_child_delete(kind: str, param: str, key: str) -> Callable[[Call], JSONObject]:
    def handler(c: Call) -> JSONObject:
        c.store.user(c.params["user_id"])
        return deleted(c.store, kind, key, c.params[param], parent=c.params["user_id"])

    return handler


def list_trusted_devices(c: Call) -> JSONObject:
    c.store.user(c.params["user_id"])
    found = items(c.store, "trusted_device", parent=c.params["user_id"])
    return {"data": found, "total_count": len(found)}


def revoke_trusted_device(c: Call) -> JSONObject:
    c.store.user(c.params["user_id"])
    entry = find(c.store, "trusted_device", c.params["trusted_device_id"], parent=c.params["user_id"])
    return touch(c.store, entry, status="revoked", revoked_at=c.store.now())


def oauth_access_tokens(c: Call) -> list[JSONObject]:
    """Tokens of the user's external accounts for that provider (the demo user has Google)."""
    user, provider = c.store.user(c.params["user_id"]), c.params["provider"]
    out = []
    for entry in table(c.store, "external_account").values():
        if entry.parent == user.id and entry.obj.get("provider") == provider:
            out.append(
                {
                    "object": "oauth_access_token",
                    "external_account_id": entry.obj["id"],
                    "provider_user_id": entry.obj["provider_user_id"],
                    "token": _secret("oauth", entry.obj["id"]),
                    "expires_at": c.store.now() + 3_600_000,
                    "provider": provider,
                    "public_metadata": {},
                    "label": None,
                    "scopes": ["email", "profile"],
                }
            )
    return out


def billing(key: str, payer: str) -> Callable[[Call], JSONObject]:
    """A payer's subscription, balance or ledger entry: the example with the payer's id filled in."""

    def handler(c: Call) -> JSONObject:
        payer_id = c.params[payer]
        if payer == "user_id":
            c.store.user(payer_id)
        else:
            c.store.organization(payer_id)
        out = example(key)
        if "payer_id" in out:
            out["payer_id"] = payer_id
        if key.startswith("POST"):
            c.body.integer("amount", minimum=1)
            c.body.string("idempotency_key", required=True)
            out["id"] = c.store.new_id("cledger")
            if (note := c.body.string("note")) is not None:
                out["note"] = note
        elif "id" in out:
            out["id"] = f"csub_{payer_id}"
            out["instance_id"] = INSTANCE_ID
        return out

    return handler


# --- organization domains, roles, permissions ----------------------------------------------------

_ORG_DOMAIN = "POST /organizations/{organization_id}/domains"


def create_org_domain(c: Call) -> JSONObject:
    org = c.store.organization(c.params["organization_id"])
    name = c.body.string("name", required=True) or ""
    if any(e.obj["name"] == name for e in table(c.store, "organization_domain").values()):
        raise errors.identifier_exists("name")
    entry = add(c.store, "organization_domain", _ORG_DOMAIN, c.store.new_id("orgdmn"), c.body.data, org.id)
    _fill_org_domain(c.store, entry, org.id, verified=c.body.boolean("verified") is not False)
    return copy.deepcopy(entry.obj)


def _fill_org_domain(store: Store, entry: Entry, organization_id: str, *, verified: bool) -> None:
    org = store.organizations[organization_id]
    now = store.now()
    state = {
        "status": "verified" if verified else "unverified",
        "strategy": "admin",
        "attempts": 0,
        "expire_at": None,
        "verified_at": now if verified else None,
    }
    entry.obj.update(
        organization_id=org.id,
        affiliation_email_address=None,
        affiliation_verification=dict(state),
        ownership_verification=dict(state),
        verification=dict(state),
        total_pending_invitations=0,
        total_pending_suggestions=0,
        public_organization_data={
            "id": org.id,
            "name": org.name,
            "slug": org.slug,
            "image_url": org.image_url or f"https://img.example.com/sandbox/default/{org.id}.png",
            "has_image": org.image_url is not None,
        },
    )


def list_org_domains(c: Call, organization_id: str | None = None) -> JSONObject:
    verified = c.query.string("verified")
    modes = set(c.query.strings("enrollment_mode"))
    needle = c.query.string("query")

    def keep(d: JSONObject) -> bool:
        is_verified = (d.get("verification") or {}).get("status") == "verified"
        return (
            (verified is None or is_verified == (verified == "true"))
            and (not modes or d["enrollment_mode"] in modes)
            and (needle is None or contains(needle, d["name"]))
        )

    return page(c.query, items(c.store, "organization_domain", parent=organization_id, keep=keep))


def org_domain(c: Call) -> Entry:
    c.store.organization(c.params["organization_id"])
    return find(c.store, "organization_domain", c.params["domain_id"], parent=c.params["organization_id"])


def update_org_domain(c: Call) -> JSONObject:
    entry = org_domain(c)
    overlay(entry.obj, c.body.data, ("enrollment_mode",))
    if (verified := c.body.boolean("verified")) is not None:
        _fill_org_domain(c.store, entry, entry.parent or "", verified=verified)
    return touch(c.store, entry)


def delete_org_domain(c: Call) -> JSONObject:
    org_domain(c)
    key = "DELETE /organizations/{organization_id}/domains/{domain_id}"
    return deleted(c.store, "organization_domain", key, c.params["domain_id"])


def verify_org_domain(c: Call) -> JSONObject:
    entry = org_domain(c)
    now = c.store.now()
    state = {"status": "verified", "strategy": "admin", "attempts": 0, "expire_at": None, "verified_at": now}
    return touch(c.store, entry, verification=state, ownership_verification=dict(state))


def _permission_objects(store: Store, ids: list[str]) -> list[JSONObject]:
    out = []
    for pid in ids:
        entry = table(store, "permission").get(pid)
        if entry is None:
            raise errors.form_resource_not_found("permissions")
        out.append(copy.deepcopy(entry.obj))
    return out


def create_role(c: Call) -> JSONObject:
    key = c.body.string("key", required=True) or ""
    c.body.string("name", required=True)
    if any(e.obj["key"] == key for e in table(c.store, "role").values()):
        raise errors.identifier_exists("key")
    fields = {k: v for k, v in c.body.data.items() if k != "permissions"}
    entry = add(c.store, "role", "POST /organization_roles", c.store.new_id("role"), fields)
    entry.obj["permissions"] = _permission_objects(c.store, c.body.data.get("permissions") or [])
    return copy.deepcopy(entry.obj)


def update_role(c: Call) -> JSONObject:
    entry = find(c.store, "role", c.params["organization_role_id"])
    overlay(entry.obj, {k: v for k, v in c.body.data.items() if k != "permissions"})
    if isinstance(c.body.data.get("permissions"), list):
        entry.obj["permissions"] = _permission_objects(c.store, c.body.data["permissions"])
    return touch(c.store, entry)


def role_permission(add_it: bool) -> Callable[[Call], JSONObject]:
    def handler(c: Call) -> JSONObject:
        entry = find(c.store, "role", c.params["organization_role_id"])
        permission = find(c.store, "permission", c.params["permission_id"]).obj
        held = [p for p in entry.obj["permissions"] if p["id"] != permission["id"]]
        if add_it:
            held.append(copy.deepcopy(permission))
        elif len(held) == len(entry.obj["permissions"]):
            raise errors.not_found("The role does not have this permission.")
        return touch(c.store, entry, permissions=held)

    return handler


def create_permission(c: Call) -> JSONObject:
    key = c.body.string("key", required=True) or ""
    c.body.string("name", required=True)
    if any(e.obj["key"] == key for e in table(c.store, "permission").values()):
        raise errors.identifier_exists("key")
    entry = add(c.store, "permission", "POST /organization_permissions", c.store.new_id("perm"), c.body.data)
    entry.obj["type"] = "user"
    return copy.deepcopy(entry.obj)


def delete_permission(c: Call) -> JSONObject:
    pid = c.params["permission_id"]
    if find(c.store, "permission", pid).obj["type"] == "system":
        raise errors.ClerkAPIError(403, "system_permission", "System permissions cannot be deleted.")
    for role in table(c.store, "role").values():
        role.obj["permissions"] = [p for p in role.obj["permissions"] if p["id"] != pid]
    return deleted(c.store, "permission", "DELETE /organization_permissions/{permission_id}", pid)


# --- allow/block lists, actor and sign-in tokens, redirect URLs, domains, JWT templates ------------


def create_identifier(kind: str, key: str, prefix: str) -> Callable[[Call], JSONObject]:
    def handler(c: Call) -> JSONObject:
        identifier = c.body.string("identifier", required=True) or ""
        if any(e.obj["identifier"] == identifier for e in table(c.store, kind).values()):
            raise errors.identifier_exists("identifier")
        c.body.boolean("notify")
        entry = add(c.store, kind, key, c.store.new_id(prefix), {"identifier": identifier})
        entry.obj.update(identifier_type=identifier_type(identifier), instance_id=INSTANCE_ID)
        entry.obj.pop("invitation_id", None)  # set only when Clerk sent an invitation
        return copy.deepcopy(entry.obj)

    return handler


def identifier_type(identifier: str) -> str:
    if identifier.startswith("+"):
        return "phone_number"
    if identifier.startswith("0x"):
        return "web3_wallet"
    return "email_address"


def create_sign_in_link(kind: str, key: str, prefix: str) -> Callable[[Call], JSONObject]:
    """Actor and sign-in tokens: the token and its URL are in this answer only."""

    def handler(c: Call) -> JSONObject:
        user_id = c.body.string("user_id", required=True) or ""
        c.store.user(user_id)
        if kind == "actor_token" and not (c.body.obj("actor") or {}).get("sub"):
            raise errors.param_missing("actor")
        c.body.integer("expires_in_seconds", minimum=1)
        entry = add(c.store, kind, key, c.store.new_id(prefix), c.body.data, parent=user_id)
        token = _secret(kind, entry.obj["id"])
        shown = touch(c.store, entry, status="pending", user_id=user_id)
        for hidden in ("token", "url"):
            entry.obj.pop(hidden, None)
        return {**shown, "token": token, "url": f"https://accounts.example.com/v1/tickets/accept?ticket={token}"}

    return handler


def revoke_pending(kind: str, param: str) -> Callable[[Call], JSONObject]:
    def handler(c: Call) -> JSONObject:
        entry = find(c.store, kind, c.params[param])
        if entry.obj["status"] != "pending":
            raise errors.ClerkAPIError(
                400,
                f"{kind}_not_pending",
                "Only pending tokens can be revoked.",
                f"This {kind} is {entry.obj['status']}.",
            )
        return touch(c.store, entry, status="revoked")

    return handler


def create_redirect_url(c: Call) -> JSONObject:
    url = c.body.string("url", required=True) or ""
    if any(e.obj["url"] == url for e in table(c.store, "redirect_url").values()):
        raise errors.identifier_exists("url")
    return copy.deepcopy(add(c.store, "redirect_url", "POST /redirect_urls", c.store.new_id("ru"), {"url": url}).obj)


def create_domain(c: Call) -> JSONObject:
    name = c.body.string("name", required=True) or ""
    if c.body.boolean("is_satellite") is not True:
        raise errors.param_value_invalid("is_satellite", c.body.data.get("is_satellite"), ["true"])
    entry = add(c.store, "domain", "POST /domains", c.store.new_id("dmn"), c.body.data)
    _fill_domain(entry, name, satellite=True)
    return copy.deepcopy(entry.obj)


def _fill_domain(entry: Entry, name: str, *, satellite: bool) -> None:
    entry.obj.update(
        name=name,
        is_satellite=satellite,
        frontend_api_url=f"https://clerk.{name}",
        accounts_portal_url=None if satellite else f"https://accounts.{name}",
        proxy_url=entry.obj.get("proxy_url") if entry.obj.get("proxy_url") != "proxy_url" else None,
        development_origin="",
        cname_targets=[{"host": f"clerk.{name}", "value": "frontend-api.clerk.services", "required": True}],
    )


def update_domain(c: Call) -> JSONObject:
    entry = find(c.store, "domain", c.params["domain_id"])
    overlay(entry.obj, c.body.data, ("proxy_url",))
    if (name := c.body.string("name")) is not None:
        _fill_domain(entry, name, satellite=entry.obj["is_satellite"])
    return touch(c.store, entry)


def delete_domain(c: Call) -> JSONObject:
    if not find(c.store, "domain", c.params["domain_id"]).obj["is_satellite"]:
        raise errors.ClerkAPIError(400, "primary_domain_deletion", "The primary domain cannot be deleted.")
    return deleted(c.store, "domain", "DELETE /domains/{domain_id}", c.params["domain_id"])


def _jwt_fields(body: Body) -> dict[str, Any]:
    body.string("name", required=True)
    claims = body.obj("claims")
    if claims is None:
        raise errors.param_missing("claims")
    body.integer("lifetime", minimum=30, maximum=315_360_000)
    fields = {k: v for k, v in body.data.items() if k != "signing_key"}
    if body.boolean("custom_signing_key") and not body.string("signing_key"):
        raise errors.param_missing("signing_key")
    return fields


def create_jwt_template(c: Call) -> JSONObject:
    fields = _jwt_fields(c.body)
    if any(e.obj["name"] == fields["name"] for e in table(c.store, "jwt_template").values()):
        raise errors.identifier_exists("name")
    entry = add(c.store, "jwt_template", "POST /jwt_templates", c.store.new_id("jtmp"), fields)
    if not c.body.boolean("custom_signing_key"):
        entry.obj.update(custom_signing_key=False, signing_algorithm="RS256")
    return copy.deepcopy(entry.obj)


def update_jwt_template(c: Call) -> JSONObject:
    entry = find(c.store, "jwt_template", c.params["template_id"])
    overlay(entry.obj, _jwt_fields(c.body))
    return touch(c.store, entry)


# --- OAuth applications, API keys, machines, M2M tokens -----------------------------------------


def create_oauth_app(c: Call) -> JSONObject:
    c.body.string("name", required=True)
    entry = add(c.store, "oauth_application", "POST /oauth_applications", c.store.new_id("oa"), c.body.data)
    _fill_oauth_app(entry)
    entry.obj.pop("client_secret", None)
    return {**copy.deepcopy(entry.obj), "client_secret": "" if entry.obj["public"] else _secret("oa", entry.obj["id"])}


def _fill_oauth_app(entry: Entry) -> None:
    app_id = entry.obj["id"]
    base = "https://clerk.example.com/oauth"
    entry.obj.update(
        instance_id=INSTANCE_ID,
        client_id=f"client_{app_id.split('_', 1)[1]}",
        client_uri=None,
        client_image_url=None,
        callback_url=(entry.obj["redirect_uris"] or [""])[0],
        authorize_url=f"{base}/authorize",
        token_fetch_url=f"{base}/token",
        user_info_url=f"{base}/userinfo",
        discovery_url="https://clerk.example.com/.well-known/openid-configuration",
        token_introspection_url=f"{base}/token_info",
    )
    if entry.obj["scopes"] == "scopes":
        entry.obj["scopes"] = "profile email"


def list_oauth_apps(c: Call) -> JSONObject:
    needle = c.query.string("name_query")
    return page(
        c.query, items(c.store, "oauth_application", keep=lambda o: needle is None or contains(needle, o["name"]))
    )


def rotate_oauth_secret(c: Call) -> JSONObject:
    entry = find(c.store, "oauth_application", c.params["oauth_application_id"])
    shown = touch(c.store, entry)
    return {**shown, "client_secret": _secret("oa", entry.obj["id"], str(entry.obj["updated_at"]))}


def upload_oauth_logo(c: Call) -> JSONObject:
    entry = find(c.store, "oauth_application", c.params["oauth_application_id"])
    content = uploaded(c)
    digest = hashlib.sha256(content).hexdigest()[:16]
    return touch(
        c.store, entry, client_image_url=f"https://img.example.com/sandbox/uploads/{entry.obj['id']}/{digest}.png"
    )


def uploaded(c: Call) -> bytes:
    from starlette.datastructures import UploadFile

    upload = c.form.get("file") if c.form is not None else None
    if not isinstance(upload, UploadFile):
        raise errors.param_missing("file")
    content = upload.file.read()
    if not content:
        raise errors.param_missing("file")
    return content


def revoke_oauth_token(c: Call) -> None:
    find(c.store, "oauth_application", c.params["oauth_application_id"])
    c.body.string("token", required=True)


_API_KEY = "POST /api_keys"


def create_api_key(c: Call) -> JSONObject:
    c.body.string("name", required=True)
    subject = c.body.string("subject", required=True) or ""
    if not subject.startswith(("user_", "org_", "mch_")):
        raise errors.param_format_invalid("subject")
    fields = {k: v for k, v in c.body.data.items() if k != "secret"}
    entry = add(c.store, "api_key", _API_KEY, hex_id("ak", c.store), fields)
    expires = c.body.data.get("seconds_until_expiration")
    entry.obj.update(
        type=c.body.string("type") or "api_key",
        revoked=False,
        revocation_reason=None,
        expired=False,
        expiration=entry.obj["created_at"] + int(expires) * 1000 if expires else None,
        created_by=c.body.string("created_by"),
        last_used_at=None,
        secret=_secret("ak", entry.obj["id"]),
    )
    shown = copy.deepcopy(entry.obj)
    return shown


def public_key(obj: JSONObject) -> JSONObject:
    """An API key as every answer but its creation shows it: without the secret."""
    return {k: copy.deepcopy(v) for k, v in obj.items() if k != "secret"}


def list_api_keys(c: Call) -> JSONObject:
    subject = c.query.string("subject")
    if subject is None:
        raise errors.param_missing("subject")
    invalid = c.query.string("include_invalid") == "true"
    needle = c.query.string("query")
    found = [
        public_key(o)
        for o in items(c.store, "api_key")
        if o["subject"] == subject and (invalid or not o["revoked"]) and (needle is None or contains(needle, o["name"]))
    ]
    return page(c.query, found)


def api_key(c: Call) -> Entry:
    return find(c.store, "api_key", c.params["apiKeyID"])


def update_api_key(c: Call) -> JSONObject:
    entry = api_key(c)
    overlay(entry.obj, c.body.data, ("description", "scopes", "claims", "subject"))
    if (expires := c.body.data.get("seconds_until_expiration")) is not None:
        entry.obj["expiration"] = c.store.now() + int(expires) * 1000
    return public_key(touch(c.store, entry))


def revoke_api_key(c: Call) -> JSONObject:
    entry = api_key(c)
    return public_key(touch(c.store, entry, revoked=True, revocation_reason=c.body.string("revocation_reason")))


def verify_api_key(c: Call) -> JSONObject:
    secret = c.body.string("secret", required=True)
    for entry in table(c.store, "api_key").values():
        if entry.obj["secret"] == secret and not entry.obj["revoked"]:
            return public_key(entry.obj)
    raise errors.ClerkAPIError(404, "api_key_invalid", "Invalid API key", "The API key is invalid or revoked.")


def create_machine(c: Call) -> JSONObject:
    c.body.string("name", required=True)
    scoped = c.body.data.get("scoped_machines") or []
    for other in scoped:
        find(c.store, "machine", other)
    entry = add(c.store, "machine", "GET /machines/{machine_id}", long_id("mch", c.store), c.body.data)
    entry.obj.update(
        instance_id=INSTANCE_ID,
        scoped_machines=[],
        default_token_ttl=c.body.integer("default_token_ttl", minimum=1) or 3600,
    )
    for other in scoped:
        _scope(c.store, entry, other)
    c.store.machine_secrets[entry.obj["id"]] = _secret("mch", entry.obj["id"])
    return {**machine_view(c.store, entry), "secret_key": c.store.machine_secrets[entry.obj["id"]]}


def machine_view(store: Store, entry: Entry) -> JSONObject:
    out = copy.deepcopy(entry.obj)
    out["scoped_machines"] = [
        {k: v for k, v in table(store, "machine")[m].obj.items() if k != "scoped_machines"}
        for m in entry.obj["scoped_machines"]
        if m in table(store, "machine")
    ]
    return out


def _scope(store: Store, entry: Entry, other: str) -> None:
    if other not in entry.obj["scoped_machines"]:
        entry.obj["scoped_machines"].append(other)


def machine(c: Call) -> Entry:
    return find(c.store, "machine", c.params["machine_id"])


def list_machines(c: Call) -> JSONObject:
    needle = c.query.string("query")
    found = [
        machine_view(c.store, e)
        for e in table(c.store, "machine").values()
        if needle is None or contains(needle, e.obj["name"], e.obj["id"])
    ]
    return page(c.query, found)


def update_machine(c: Call) -> JSONObject:
    entry = machine(c)
    overlay(entry.obj, c.body.data, ("name", "default_token_ttl"))
    touch(c.store, entry)
    return machine_view(c.store, entry)


def machine_secret(c: Call) -> JSONObject:
    return {"object": "machine_secret_key", "secret": c.store.machine_secrets[machine(c).obj["id"]]}


def machine_scope(c: Call) -> JSONObject:
    entry = machine(c)
    other = c.body.string("to_machine_id", required=True) or ""
    find(c.store, "machine", other)
    _scope(c.store, entry, other)
    touch(c.store, entry)
    return {
        "object": "machine_scope",
        "from_machine_id": entry.obj["id"],
        "to_machine_id": other,
        "created_at": c.store.now(),
    }


def delete_machine_scope(c: Call) -> JSONObject:
    entry = machine(c)
    other = c.params["other_machine_id"]
    if other not in entry.obj["scoped_machines"]:
        raise errors.not_found("This machine has no access to the other machine.")
    entry.obj["scoped_machines"].remove(other)
    touch(c.store, entry)
    return {"object": "machine_scope", "from_machine_id": entry.obj["id"], "to_machine_id": other, "deleted": True}


def rotate_machine_secret(c: Call) -> JSONObject:
    entry = machine(c)
    if c.body.integer("previous_token_ttl", minimum=0) is None:
        raise errors.param_missing("previous_token_ttl")
    secret = _secret("mch", entry.obj["id"], str(c.store.now()))
    c.store.machine_secrets[entry.obj["id"]] = secret
    touch(c.store, entry)
    return {"object": "machine_secret_key", "secret": secret}


def delete_machine(c: Call) -> JSONObject:
    mid = c.params["machine_id"]
    for other in table(c.store, "machine").values():
        if mid in other.obj["scoped_machines"]:
            other.obj["scoped_machines"].remove(mid)
    c.store.machine_secrets.pop(mid, None)
    return deleted(c.store, "machine", "DELETE /machines/{machine_id}", mid)


def list_m2m_tokens(c: Call) -> JSONObject:
    subject = c.query.string("subject")
    if subject is None:
        raise errors.param_missing("subject")
    revoked, expired = c.query.boolean("revoked"), c.query.boolean("expired")
    found = [
        {k: v for k, v in o.items() if k != "token"}
        for o in items(c.store, "m2m_token")
        if o["subject"] == subject
        and (revoked is None or o["revoked"] == revoked)
        and (expired is None or o["expired"] == expired)
    ]
    return page(c.query, found, key="m2m_tokens")


def revoke_m2m_token(c: Call) -> JSONObject:
    entry = find(c.store, "m2m_token", c.params["m2m_token_id"])
    shown = touch(c.store, entry, revoked=True, revocation_reason=c.body.string("revocation_reason"))
    shown.pop("token", None)
    return shown


def verify_m2m_token(c: Call) -> JSONObject:
    token = c.body.string("token", required=True)
    for entry in table(c.store, "m2m_token").values():
        if entry.obj.get("token") == token and not entry.obj["revoked"]:
            return {k: copy.deepcopy(v) for k, v in entry.obj.items() if k != "token"}
    raise errors.ClerkAPIError(404, "token_invalid", "Invalid token", "The M2M token is invalid, expired or revoked.")


# --- waitlist -----------------------------------------------------------------------------------

WAITLIST_STATUSES = ("pending", "invited", "completed", "rejected")


def list_waitlist(c: Call) -> JSONObject:
    statuses = set(c.query.enum("status", WAITLIST_STATUSES))
    needle = c.query.string("query")
    return page(
        c.query,
        items(
            c.store,
            "waitlist_entry",
            keep=lambda w: (
                (not statuses or w["status"] in statuses) and (needle is None or contains(needle, w["email_address"]))
            ),
        ),
    )


def new_waitlist_entry(store: Store, body: Body) -> JSONObject:
    email = (body.string("email_address", required=True) or "").strip()
    if "@" not in email:
        raise errors.param_format_invalid("email_address")
    body.boolean("notify")
    existing = next((e for e in table(store, "waitlist_entry").values() if e.obj["email_address"] == email), None)
    if existing is not None:
        return copy.deepcopy(existing.obj)
    entry = add(store, "waitlist_entry", "POST /waitlist_entries", store.new_id("wle"), {"email_address": email})
    entry.obj.update(status="pending", invitation=None, is_locked=False)
    return copy.deepcopy(entry.obj)


def invite_waitlist_entry(c: Call) -> JSONObject:
    from . import invitations

    entry = find(c.store, "waitlist_entry", c.params["waitlist_entry_id"])
    if entry.obj["status"] not in ("pending", "rejected"):
        raise errors.ClerkAPIError(400, "waitlist_entry_not_pending", "This entry has already been invited.")
    invited = invitations.create_invitation(
        c.store,
        Body({"email_address": entry.obj["email_address"], "ignore_existing": c.body.boolean("ignore_existing")}),
    )
    return touch(c.store, entry, status="invited", invitation=invited)


def reject_waitlist_entry(c: Call) -> JSONObject:
    entry = find(c.store, "waitlist_entry", c.params["waitlist_entry_id"])
    if entry.obj["status"] == "completed":
        raise errors.ClerkAPIError(400, "waitlist_entry_completed", "This person has already signed up.")
    return touch(c.store, entry, status="rejected")


def delete_waitlist_entry(c: Call) -> JSONObject:
    if find(c.store, "waitlist_entry", c.params["waitlist_entry_id"]).obj["status"] != "pending":
        raise errors.ClerkAPIError(400, "waitlist_entry_not_pending", "Only pending entries can be deleted.")
    return deleted(
        c.store, "waitlist_entry", "DELETE /waitlist_entries/{waitlist_entry_id}", c.params["waitlist_entry_id"]
    )


# --- webhooks and instance settings ---------------------------------------------------------------


def svix(create: bool) -> Callable[[Call], JSONObject | None]:
    def handler(c: Call) -> JSONObject | None:
        if create:
            c.store.svix_app = True
        elif not c.store.svix_app:
            raise errors.not_found("Svix app not found; create one first.")
        else:
            c.store.svix_app = False
            return None
        return {"svix_url": f"https://app.svix.com/login#key={_secret('svix', str(c.store.now()))}"}

    return handler


def svix_url(c: Call) -> JSONObject:
    if not c.store.svix_app:
        raise errors.not_found("Svix app not found; create one first.")
    return {"svix_url": f"https://app.svix.com/login#key={_secret('svix', str(c.store.now()))}"}


SETTINGS = {
    "/instance": "GET /instance",
    "/instance/restrictions": "PATCH /instance/restrictions",
    "/instance/protect": "GET /instance/protect",
    "/instance/communication": "GET /instance/communication",
    "/instance/oauth_application_settings": "GET /instance/oauth_application_settings",
    "/instance/organization_settings": "GET /instance/organization_settings",
}


def settings(path: str, *, update: bool, empty: bool = False) -> Callable[[Call], JSONObject | None]:
    """One settings object: read it, or merge the request's known fields into it."""

    def handler(c: Call) -> JSONObject | None:
        current = c.store.settings[path]
        if update:
            for name, value in c.body.data.items():
                if name in current and _fits(current[name], value):
                    current[name] = copy.deepcopy(value)
        return None if empty else copy.deepcopy(current)

    return handler


# --- seed ------------------------------------------------------------------------------------------

SEED_IDS = {
    "session": "sess_2demoAmara",
    "other_session": "sess_2demoElif",
    "trusted_device": "tdev_2demoAmaraPhone",
    "passkey": "idn_2demoAmaraPasskey",
    "web3_wallet": "idn_2demoAmaraWallet",
    "external_account": "eac_2demoAmaraGoogle",
    "organization_domain": "orgdmn_2demoAcme",
    "custom_role": "role_2demoBilling",
    "custom_permission": "perm_2demoInvoices",
    "allowlist_identifier": "alid_2demoPartner",
    "blocklist_identifier": "blid_2demoSpammer",
    "actor_token": "act_2demoSupport",
    "sign_in_token": "sit_2demoMagic",
    "redirect_url": "ru_2demoApp",
    "primary_domain": "dmn_2demoPrimary",
    "satellite_domain": "dmn_2demoShop",
    "jwt_template": "jtmp_2demoSupabase",
    "jwt_template_name": "supabase",
    "oauth_application": "oa_2demoDashboard",
    "waitlist_entry": "wle_2demoPending",
    "other_waitlist_entry": "wle_2demoPendingTwo",
    "api_key": "ak_0000000000000000000000002de00001",
    "api_key_subject": "user_2demoAmara00000000000000000",
    "api_key_secret": API_KEY_SECRET,
    "machine": "mch_2demoWorker0000000000000000",
    "other_machine": "mch_2demoBilling000000000000000",
    "m2m_token": "mt_0000000000000000000000002de00001",
    "m2m_token_secret": M2M_TOKEN,
}


def seed(store: Store, user_id: str, other_user_id: str, organization_id: str) -> None:
    """Deterministic demo objects of every generic kind (ids in `SEED_IDS`)."""
    ids = SEED_IDS
    new_session(store, user_id, organization_id, ids["session"])
    new_session(store, other_user_id, None, ids["other_session"])
    device = add(
        store,
        "trusted_device",
        "DELETE /users/{user_id}/trusted_devices/{trusted_device_id}",
        ids["trusted_device"],
        {"name": "Amara's iPhone", "app_identifier": "com.example.app"},
        user_id,
    )
    device.obj.update(last_used_at=None, revoked_at=None)
    for kind, object_id in (("passkey", ids["passkey"]), ("web3_wallet", ids["web3_wallet"])):
        table(store, kind)[object_id] = Entry({"id": object_id, "object": kind}, user_id)
    table(store, "external_account")[ids["external_account"]] = Entry(
        {
            "id": ids["external_account"],
            "object": "external_account",
            "provider": "oauth_google",
            "provider_user_id": "104729384756",
        },
        user_id,
    )
    domain = add(
        store,
        "organization_domain",
        _ORG_DOMAIN,
        ids["organization_domain"],
        {"name": "acme.example.com", "enrollment_mode": "automatic_invitation"},
        organization_id,
    )
    _fill_org_domain(store, domain, organization_id, verified=True)
    _seed_roles(store)
    for kind, key, object_id, identifier in (
        ("allowlist_identifier", "POST /allowlist_identifiers", ids["allowlist_identifier"], "*@partner.example.com"),
        ("blocklist_identifier", "POST /blocklist_identifiers", ids["blocklist_identifier"], "spam@example.net"),
    ):
        entry = add(store, kind, key, object_id, {"identifier": identifier})
        entry.obj.update(identifier_type="email_address", instance_id=INSTANCE_ID)
        entry.obj.pop("invitation_id", None)
    for kind, key, object_id in (
        ("actor_token", "POST /actor_tokens", ids["actor_token"]),
        ("sign_in_token", "POST /sign_in_tokens", ids["sign_in_token"]),
    ):
        entry = add(store, kind, key, object_id, {"user_id": user_id, "actor": {"sub": other_user_id}}, user_id)
        entry.obj["status"] = "pending"
        for hidden in ("token", "url"):
            entry.obj.pop(hidden, None)
    add(store, "redirect_url", "POST /redirect_urls", ids["redirect_url"], {"url": "myapp://oauth-callback"})
    _fill_domain(add(store, "domain", "POST /domains", ids["primary_domain"], {}), "example.com", satellite=False)
    _fill_domain(add(store, "domain", "POST /domains", ids["satellite_domain"], {}), "shop.example.com", satellite=True)
    template = add(
        store,
        "jwt_template",
        "POST /jwt_templates",
        ids["jwt_template"],
        {"name": ids["jwt_template_name"], "claims": {"role": "authenticated"}, "lifetime": 60},
    )
    template.obj.update(allowed_clock_skew=5, custom_signing_key=False, signing_algorithm="RS256")
    app = add(
        store,
        "oauth_application",
        "GET /oauth_applications/{oauth_application_id}",
        ids["oauth_application"],
        {"name": "Partner dashboard", "redirect_uris": ["https://dashboard.example.com/callback"]},
    )
    _fill_oauth_app(app)
    for object_id, email in (
        (ids["waitlist_entry"], "eager@example.com"),
        (ids["other_waitlist_entry"], "curious@example.com"),
    ):
        entry = add(store, "waitlist_entry", "POST /waitlist_entries", object_id, {"email_address": email})
        entry.obj.update(status="pending", invitation=None)
    api_key_entry = add(
        store,
        "api_key",
        _API_KEY,
        ids["api_key"],
        {"name": "CI key", "subject": ids["api_key_subject"], "scopes": ["read:reports"]},
    )
    api_key_entry.obj.update(
        type="api_key",
        revocation_reason=None,
        expiration=None,
        created_by=None,
        last_used_at=None,
        secret=API_KEY_SECRET,
    )
    for object_id, name in ((ids["machine"], "Worker"), (ids["other_machine"], "Billing")):
        entry = add(
            store, "machine", "GET /machines/{machine_id}", object_id, {"name": name, "default_token_ttl": 3600}
        )
        entry.obj["instance_id"] = INSTANCE_ID
        store.machine_secrets[object_id] = _secret("mch", object_id)
    token = add(
        store,
        "m2m_token",
        "POST /m2m_tokens/verify",
        ids["m2m_token"],
        {"subject": ids["machine"], "scopes": [ids["other_machine"]]},
    )
    token.obj.update(revocation_reason=None, expiration=None, last_used_at=None, token=M2M_TOKEN)
    store.settings = {path: example(key) for path, key in SETTINGS.items()}
    store.settings["/instance"].update(
        id=INSTANCE_ID,
        environment_type="development",
        allowed_origins=["http://localhost:3000"],
        workspace_id="ws_2demo",
    )


def _seed_roles(store: Store) -> None:
    permission_ids: dict[str, str] = {}
    keys = dict.fromkeys(p for _, perms in ROLES.values() for p in perms)
    for n, key in enumerate([*keys, "org:invoices:read"]):
        pid = SEED_IDS["custom_permission"] if key == "org:invoices:read" else f"perm_2demoSys{n:02d}"
        permission_ids[key] = pid
        entry = add(
            store,
            "permission",
            "POST /organization_permissions",
            pid,
            {
                "key": key,
                "name": key.split(":", 1)[1].replace("_", " ").replace(":", " ").title(),
                "description": f"Grants {key}.",
            },
        )
        entry.obj["type"] = "user" if key == "org:invoices:read" else "system"
    for key, (name, perms) in {**ROLES, "org:billing": ("Billing", ("org:invoices:read",))}.items():
        rid = SEED_IDS["custom_role"] if key == "org:billing" else f"role_2demo{name}"
        entry = add(
            store, "role", "POST /organization_roles", rid, {"key": key, "name": name, "description": f"{name} role."}
        )
        entry.obj.update(
            is_creator_eligible=key == "org:admin",
            permissions=[copy.deepcopy(table(store, "permission")[permission_ids[p]].obj) for p in perms],
        )
