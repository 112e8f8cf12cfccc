"""The route table: every Backend API operation the sandbox serves, as data.

Each `RouteInfo` names the spec's method and path template and the query and body parameters the
sandbox honours, so a test can check the whole table against Clerk's OpenAPI spec. Handlers are
one-liners over the operation modules; `dispatch.py` does matching, parsing and rendering. The first
part is the hand-written core (users, organizations, invitations); `MORE` serves every other operation
the tool catalog calls, through `accounts.py` (on the same records) and `resources.py` (generic kinds).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from . import accounts, errors, invitations, organizations, users
from . import resources as res
from .params import Body, Query
from .store import Store

LIST = ("limit", "offset")


@dataclass
class Call:
    """What a handler gets: the store, decoded path parameters, query, JSON body, multipart form."""

    store: Store
    params: dict[str, str]
    query: Query
    body: Body
    form: FormData | None = None
    items: list[Any] | None = None
    """The body of a bulk operation, which is a JSON array rather than an object."""


Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class RouteInfo:
    method: str
    path: str
    """Path template under /v1, exactly as the spec writes it (`/users/{user_id}`)."""
    handler: Handler = field(compare=False, repr=False)
    query: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    multipart: bool = False
    array_body: bool = False

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path.strip("/").split("/"))

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """Decoded path segments → path parameters, or None; a parameter never spans segments."""
        template = self.segments
        if len(template) != len(segments):
            return None
        params: dict[str, str] = {}
        for pattern, value in zip(template, segments, strict=True):
            if pattern.startswith("{"):
                if not value:
                    return None
                params[pattern[1:-1]] = value
            elif pattern != value:
                return None
        return params

    @property
    def specificity(self) -> tuple[int, ...]:
        """Literal segments beat parameters, so `/users/count` wins over `/users/{user_id}`."""
        return tuple(0 if s.startswith("{") else 1 for s in self.segments)


def _profile_image(c: Call) -> Any:
    user_id = c.params["user_id"]
    c.store.user(user_id)
    upload = c.form.get("file") if c.form is not None else None
    if not isinstance(upload, UploadFile):
        raise errors.param_missing("file")
    content = upload.file.read()
    if not content:
        raise errors.param_missing("file")
    return users.set_profile_image(c.store, user_id, content, upload.filename or "")


_ORG = "/organizations/{organization_id}"
_MEMBER = _ORG + "/memberships/{user_id}"

ROUTES: list[RouteInfo] = [
    # users
    RouteInfo(
        "GET",
        "/users",
        lambda c: users.list_users(c.store, c.query),
        query=(*users.USER_FILTER_PARAMS, *LIST, "order_by", "starting_after"),
    ),
    RouteInfo("GET", "/users/count", lambda c: users.count_users(c.store, c.query), query=users.USER_FILTER_PARAMS),
    RouteInfo("GET", "/users/{user_id}", lambda c: users.get_user(c.store, c.params["user_id"])),
    RouteInfo(
        "PATCH",
        "/users/{user_id}",
        lambda c: users.update_user(c.store, c.params["user_id"], c.body),
        body=(
            "external_id",
            "first_name",
            "last_name",
            "locale",
            "primary_email_address_id",
            "primary_phone_number_id",
            "username",
            "password",
            "skip_password_checks",
            "delete_self_enabled",
            "create_organization_enabled",
            "create_organizations_limit",
            "bypass_client_trust",
        ),
    ),
    RouteInfo("DELETE", "/users/{user_id}", lambda c: users.delete_user(c.store, c.params["user_id"])),
    RouteInfo(
        "PATCH",
        "/users/{user_id}/metadata",
        lambda c: users.merge_user_metadata(c.store, c.params["user_id"], c.body),
        body=("public_metadata", "private_metadata", "unsafe_metadata"),
    ),
    RouteInfo("POST", "/users/{user_id}/profile_image", _profile_image, body=("file",), multipart=True),
    # organizations
    RouteInfo(
        "GET",
        "/organizations",
        lambda c: organizations.list_organizations(c.store, c.query),
        query=("include_members_count", "query", "user_id", "organization_id", "order_by", *LIST),
    ),
    RouteInfo(
        "POST",
        "/organizations",
        lambda c: organizations.create_organization(c.store, c.body),
        body=(
            "name",
            "created_by",
            "private_metadata",
            "public_metadata",
            "slug",
            "max_allowed_memberships",
            "created_at",
        ),
    ),
    RouteInfo(
        "GET",
        _ORG,
        lambda c: organizations.get_organization(c.store, c.params["organization_id"], c.query),
        query=("include_members_count",),
    ),
    RouteInfo(
        "PATCH",
        _ORG,
        lambda c: organizations.update_organization(c.store, c.params["organization_id"], c.body),
        body=("name", "slug", "max_allowed_memberships", "admin_delete_enabled", "created_at"),
    ),
    RouteInfo("DELETE", _ORG, lambda c: organizations.delete_organization(c.store, c.params["organization_id"])),
    RouteInfo(
        "PATCH",
        _ORG + "/metadata",
        lambda c: organizations.merge_organization_metadata(c.store, c.params["organization_id"], c.body),
        body=("public_metadata", "private_metadata"),
    ),
    # memberships
    RouteInfo(
        "GET",
        _ORG + "/memberships",
        lambda c: organizations.list_memberships(c.store, c.params["organization_id"], c.query),
        query=(*organizations.MEMBER_FILTER_PARAMS, "role", "order_by", *LIST),
    ),
    RouteInfo(
        "POST",
        _ORG + "/memberships",
        lambda c: organizations.create_membership(c.store, c.params["organization_id"], c.body),
        body=("user_id", "role", "public_metadata", "private_metadata"),
    ),
    RouteInfo(
        "PATCH",
        _MEMBER,
        lambda c: organizations.update_membership(c.store, c.params["organization_id"], c.params["user_id"], c.body),
        body=("role",),
    ),
    RouteInfo(
        "DELETE",
        _MEMBER,
        lambda c: organizations.delete_membership(c.store, c.params["organization_id"], c.params["user_id"]),
    ),
    RouteInfo(
        "PATCH",
        _MEMBER + "/metadata",
        lambda c: organizations.merge_membership_metadata(
            c.store, c.params["organization_id"], c.params["user_id"], c.body
        ),
        body=("public_metadata", "private_metadata"),
    ),
    RouteInfo(
        "GET",
        "/organization_memberships",
        lambda c: organizations.list_all_memberships(c.store, c.query),
        query=("order_by", *LIST),
    ),
    # organization invitations
    RouteInfo(
        "GET",
        _ORG + "/invitations",
        lambda c: invitations.list_org_invitations(c.store, c.params["organization_id"], c.query),
        query=("status", "email_address", "order_by", *LIST),
    ),
    RouteInfo(
        "POST",
        _ORG + "/invitations",
        lambda c: invitations.create_org_invitation(c.store, c.params["organization_id"], c.body),
        body=(
            "email_address",
            "inviter_user_id",
            "role",
            "public_metadata",
            "private_metadata",
            "redirect_url",
            "expires_in_days",
            "notify",
        ),
    ),
    RouteInfo(
        "POST",
        _ORG + "/invitations/{invitation_id}/revoke",
        lambda c: invitations.revoke_org_invitation(
            c.store, c.params["organization_id"], c.params["invitation_id"], c.body
        ),
        body=("requesting_user_id",),
    ),
    RouteInfo(
        "GET",
        "/organization_invitations",
        lambda c: invitations.list_instance_org_invitations(c.store, c.query),
        query=("order_by", "status", "query", *LIST),
    ),
    # instance invitations
    RouteInfo(
        "GET",
        "/invitations",
        lambda c: invitations.list_invitations(c.store, c.query),
        query=("status", "query", "order_by", "paginated", *LIST),
    ),
    RouteInfo(
        "POST",
        "/invitations",
        lambda c: invitations.create_invitation(c.store, c.body),
        body=("email_address", "public_metadata", "redirect_url", "notify", "ignore_existing", "expires_in_days"),
    ),
    RouteInfo(
        "POST",
        "/invitations/{invitation_id}/revoke",
        lambda c: invitations.revoke_invitation(c.store, c.params["invitation_id"]),
    ),
]

_U = "/users/{user_id}"
_SESSION = "/sessions/{session_id}"
_EMAIL = "/email_addresses/{email_address_id}"
_PHONE = "/phone_numbers/{phone_number_id}"
_ROLE = "/organization_roles/{organization_role_id}"
_PERM = "/organization_permissions/{permission_id}"
_APP = "/oauth_applications/{oauth_application_id}"
_KEY = "/api_keys/{apiKeyID}"
_MACHINE = "/machines/{machine_id}"
_WAIT = "/waitlist_entries/{waitlist_entry_id}"
_JWT = "/jwt_templates/{template_id}"
_DOMAIN = _ORG + "/domains/{domain_id}"
_CREDIT = ("amount", "action", "currency", "idempotency_key", "note")
_CONTACT = ("user_id", "verified", "primary")
_ATTEMPT = ("verification_id", "code")
_JWT_BODY = (
    "name",
    "claims",
    "lifetime",
    "allowed_clock_skew",
    "custom_signing_key",
    "signing_algorithm",
    "signing_key",
)
_APP_BODY = ("name", "redirect_uris", "callback_url", "scopes", "consent_screen_enabled", "pkce_required", "public")


def _get(kind: str, param: str) -> Handler:
    return lambda c: copy.deepcopy(res.find(c.store, kind, c.params[param]).obj)


def _update(kind: str, param: str, names: tuple[str, ...]) -> Handler:
    def handler(c: Call) -> Any:
        entry = res.find(c.store, kind, c.params[param])
        res.overlay(entry.obj, c.body.data, names)
        return res.touch(c.store, entry)

    return handler


def _delete(kind: str, param: str, key: str) -> Handler:
    return lambda c: res.deleted(c.store, kind, key, c.params[param])


def _list(kind: str, shape: str = "data", **filters: str) -> Handler:
    """A list of one kind; `filters` maps a query parameter to the field it must equal."""

    def handler(c: Call) -> Any:
        wanted = {f: c.query.string(q) for q, f in filters.items()}
        found = res.items(c.store, kind, keep=lambda o: all(v is None or o.get(f) == v for f, v in wanted.items()))
        return res.array(c.query, found) if shape == "array" else res.page(c.query, found)

    return handler


MORE: list[RouteInfo] = [
    # users
    RouteInfo(
        "POST",
        "/users",
        accounts.create_user,
        body=(
            "external_id",
            "first_name",
            "last_name",
            "email_address",
            "phone_number",
            "username",
            "password",
            "skip_password_checks",
            "skip_password_requirement",
            "public_metadata",
            "private_metadata",
            "unsafe_metadata",
            "banned",
            "locked",
        ),
    ),
    RouteInfo("POST", _U + "/ban", lambda c: accounts.set_user(c, banned=True)),
    RouteInfo("POST", _U + "/unban", lambda c: accounts.set_user(c, banned=False)),
    RouteInfo("POST", "/users/ban", lambda c: accounts.ban_many(c, True), body=("user_ids",)),
    RouteInfo("POST", "/users/unban", lambda c: accounts.ban_many(c, False), body=("user_ids",)),
    RouteInfo("POST", _U + "/lock", lambda c: accounts.set_user(c, locked=True)),
    RouteInfo("POST", _U + "/unlock", lambda c: accounts.set_user(c, locked=False)),
    RouteInfo("DELETE", _U + "/profile_image", lambda c: accounts.set_user(c, image_url=None)),
    RouteInfo(
        "PUT",
        _U + "/metadata",
        accounts.replace_user_metadata,
        body=("public_metadata", "private_metadata", "unsafe_metadata"),
    ),
    RouteInfo("GET", _U + "/organization_memberships", accounts.user_memberships, query=LIST),
    RouteInfo("GET", _U + "/organization_invitations", accounts.user_org_invitations, query=(*LIST, "status")),
    RouteInfo("GET", _U + "/oauth_access_tokens/{provider}", res.oauth_access_tokens),
    RouteInfo("POST", _U + "/remove_password", accounts.remove_password, body=("sign_out_of_other_sessions",)),
    RouteInfo(
        "POST",
        _U + "/password/set_compromised",
        lambda c: accounts.password_compromised(c, True),
        body=("revoke_all_sessions",),
    ),
    RouteInfo("POST", _U + "/password/unset_compromised", lambda c: accounts.password_compromised(c, False)),
    RouteInfo("DELETE", _U + "/mfa", lambda c: accounts.second_factors(c, totp=True, backup=True)),
    RouteInfo("DELETE", _U + "/totp", lambda c: accounts.second_factors(c, totp=True, backup=False)),
    RouteInfo("DELETE", _U + "/backup_code", lambda c: accounts.second_factors(c, totp=False, backup=True)),
    RouteInfo(
        "DELETE",
        _U + "/passkeys/{passkey_identification_id}",
        res.user_child_delete(
            "passkey", "passkey_identification_id", "DELETE /users/{user_id}/passkeys/{passkey_identification_id}"
        ),
    ),
    RouteInfo(
        "DELETE",
        _U + "/web3_wallets/{web3_wallet_identification_id}",
        res.user_child_delete(
            "web3_wallet",
            "web3_wallet_identification_id",
            "DELETE /users/{user_id}/web3_wallets/{web3_wallet_identification_id}",
        ),
    ),
    RouteInfo(
        "DELETE",
        _U + "/external_accounts/{external_account_id}",
        res.user_child_delete(
            "external_account", "external_account_id", "DELETE /users/{user_id}/external_accounts/{external_account_id}"
        ),
    ),
    RouteInfo("GET", _U + "/trusted_devices", res.list_trusted_devices),
    RouteInfo("DELETE", _U + "/trusted_devices/{trusted_device_id}", res.revoke_trusted_device),
    RouteInfo("GET", _U + "/billing/subscription", res.billing("GET /users/{user_id}/billing/subscription", "user_id")),
    RouteInfo("GET", _U + "/billing/credits", res.billing("GET /users/{user_id}/billing/credits", "user_id")),
    RouteInfo(
        "POST", _U + "/billing/credits", res.billing("POST /users/{user_id}/billing/credits", "user_id"), body=_CREDIT
    ),
    # email addresses and phone numbers
    RouteInfo(
        "POST",
        "/email_addresses",
        lambda c: accounts.create_identification(c, False),
        body=(*_CONTACT, "email_address"),
    ),
    RouteInfo("GET", _EMAIL, lambda c: accounts.get_identification(c, False, "email_address_id")),
    RouteInfo(
        "PATCH",
        _EMAIL,
        lambda c: accounts.update_identification(c, False, "email_address_id"),
        body=("verified", "primary"),
    ),
    RouteInfo("DELETE", _EMAIL, lambda c: accounts.delete_identification(c, False, "email_address_id")),
    RouteInfo(
        "POST", _EMAIL + "/prepare_verification", lambda c: accounts.prepare_verification(c, False, "email_address_id")
    ),
    RouteInfo(
        "POST",
        _EMAIL + "/attempt_verification",
        lambda c: accounts.attempt_verification(c, False, "email_address_id"),
        body=_ATTEMPT,
    ),
    RouteInfo(
        "PUT",
        _U + "/email_address",
        lambda c: accounts.replace_identification(c, False),
        body=("email_address", "identification_status"),
    ),
    RouteInfo(
        "POST",
        "/phone_numbers",
        lambda c: accounts.create_identification(c, True),
        body=(*_CONTACT, "phone_number", "reserved_for_second_factor"),
    ),
    RouteInfo("GET", _PHONE, lambda c: accounts.get_identification(c, True, "phone_number_id")),
    RouteInfo(
        "PATCH",
        _PHONE,
        lambda c: accounts.update_identification(c, True, "phone_number_id"),
        body=("verified", "primary", "reserved_for_second_factor"),
    ),
    RouteInfo("DELETE", _PHONE, lambda c: accounts.delete_identification(c, True, "phone_number_id")),
    RouteInfo(
        "POST", _PHONE + "/prepare_verification", lambda c: accounts.prepare_verification(c, True, "phone_number_id")
    ),
    RouteInfo(
        "POST",
        _PHONE + "/attempt_verification",
        lambda c: accounts.attempt_verification(c, True, "phone_number_id"),
        body=_ATTEMPT,
    ),
    RouteInfo(
        "PUT",
        _U + "/phone_number",
        lambda c: accounts.replace_identification(c, True),
        body=("phone_number", "identification_status"),
    ),
    # organizations, invitations
    RouteInfo("PUT", _ORG + "/metadata", accounts.replace_org_metadata, body=("public_metadata", "private_metadata")),
    RouteInfo(
        "PUT", _ORG + "/logo", lambda c: accounts.org_logo(c, True), body=("file", "uploader_user_id"), multipart=True
    ),
    RouteInfo("DELETE", _ORG + "/logo", lambda c: accounts.org_logo(c, False)),
    RouteInfo("GET", _ORG + "/invitations/{invitation_id}", accounts.get_org_invitation),
    RouteInfo("POST", _ORG + "/invitations/bulk", accounts.bulk_org_invitations, array_body=True),
    RouteInfo("POST", "/invitations/bulk", accounts.bulk_invitations, array_body=True),
    RouteInfo(
        "GET",
        _ORG + "/billing/subscription",
        res.billing("GET /organizations/{organization_id}/billing/subscription", "organization_id"),
    ),
    RouteInfo(
        "GET",
        _ORG + "/billing/credits",
        res.billing("GET /organizations/{organization_id}/billing/credits", "organization_id"),
    ),
    RouteInfo(
        "POST",
        _ORG + "/billing/credits",
        res.billing("POST /organizations/{organization_id}/billing/credits", "organization_id"),
        body=_CREDIT,
    ),
    # organization domains, roles, permissions
    RouteInfo(
        "GET",
        _ORG + "/domains",
        lambda c: res.list_org_domains(c, c.store.organization(c.params["organization_id"]).id),
        query=("verified", "enrollment_mode", *LIST),
    ),
    RouteInfo("POST", _ORG + "/domains", res.create_org_domain, body=("name", "enrollment_mode", "verified")),
    RouteInfo("PATCH", _DOMAIN, res.update_org_domain, body=("enrollment_mode", "verified")),
    RouteInfo("DELETE", _DOMAIN, res.delete_org_domain),
    RouteInfo("POST", _DOMAIN + "/verify_ownership", res.verify_org_domain),
    RouteInfo(
        "GET",
        "/organization_domains",
        lambda c: res.list_org_domains(c, c.query.string("organization_id")),
        query=("organization_id", "verified", "enrollment_mode", "query", "order_by", *LIST),
    ),
    RouteInfo("GET", "/organization_roles", _list("role"), query=("query", "order_by", *LIST)),
    RouteInfo("POST", "/organization_roles", res.create_role, body=("name", "key", "description", "permissions")),
    RouteInfo("GET", _ROLE, _get("role", "organization_role_id")),
    RouteInfo("PATCH", _ROLE, res.update_role, body=("name", "key", "description", "permissions")),
    RouteInfo("DELETE", _ROLE, _delete("role", "organization_role_id", "DELETE " + _ROLE)),
    RouteInfo("POST", _ROLE + "/permissions/{permission_id}", res.role_permission(True)),
    RouteInfo("DELETE", _ROLE + "/permissions/{permission_id}", res.role_permission(False)),
    RouteInfo("GET", "/organization_permissions", _list("permission"), query=("query", "order_by", *LIST)),
    RouteInfo("POST", "/organization_permissions", res.create_permission, body=("name", "key", "description")),
    RouteInfo("GET", _PERM, _get("permission", "permission_id")),
    RouteInfo(
        "PATCH",
        _PERM,
        _update("permission", "permission_id", ("name", "key", "description")),
        body=("name", "key", "description"),
    ),
    RouteInfo("DELETE", _PERM, res.delete_permission),
    # sessions
    RouteInfo("GET", "/sessions", res.list_sessions, query=("user_id", "client_id", "status", *LIST)),
    RouteInfo("POST", "/sessions", res.create_session, body=("user_id", "active_organization_id")),
    RouteInfo("GET", _SESSION, _get("session", "session_id")),
    RouteInfo(
        "POST",
        _SESSION + "/revoke",
        lambda c: res.touch(c.store, res.find(c.store, "session", c.params["session_id"]), status="revoked"),
    ),
    RouteInfo("POST", _SESSION + "/tokens", res.session_token, body=("expires_in_seconds",)),
    RouteInfo("POST", _SESSION + "/tokens/{template_name}", res.session_token, body=("expires_in_seconds",)),
    # allow-list, block-list, actor and sign-in tokens, redirect URLs, domains, JWT templates
    RouteInfo("GET", "/allowlist_identifiers", _list("allowlist_identifier", "array"), query=LIST),
    RouteInfo(
        "POST",
        "/allowlist_identifiers",
        res.create_identifier("allowlist_identifier", "POST /allowlist_identifiers", "alid"),
        body=("identifier", "notify"),
    ),
    RouteInfo(
        "DELETE",
        "/allowlist_identifiers/{identifier_id}",
        _delete("allowlist_identifier", "identifier_id", "DELETE /allowlist_identifiers/{identifier_id}"),
    ),
    RouteInfo("GET", "/blocklist_identifiers", lambda c: res.everything(c.store, "blocklist_identifier")),
    RouteInfo(
        "POST",
        "/blocklist_identifiers",
        res.create_identifier("blocklist_identifier", "POST /blocklist_identifiers", "blid"),
        body=("identifier",),
    ),
    RouteInfo(
        "DELETE",
        "/blocklist_identifiers/{identifier_id}",
        _delete("blocklist_identifier", "identifier_id", "DELETE /blocklist_identifiers/{identifier_id}"),
    ),
    RouteInfo(
        "POST",
        "/actor_tokens",
        res.create_sign_in_link("actor_token", "POST /actor_tokens", "act"),
        body=("user_id", "actor", "expires_in_seconds", "session_max_duration_in_seconds"),
    ),
    RouteInfo("POST", "/actor_tokens/{actor_token_id}/revoke", res.revoke_pending("actor_token", "actor_token_id")),
    RouteInfo(
        "POST",
        "/sign_in_tokens",
        res.create_sign_in_link("sign_in_token", "POST /sign_in_tokens", "sit"),
        body=("user_id", "expires_in_seconds"),
    ),
    RouteInfo(
        "POST", "/sign_in_tokens/{sign_in_token_id}/revoke", res.revoke_pending("sign_in_token", "sign_in_token_id")
    ),
    RouteInfo("GET", "/redirect_urls", _list("redirect_url", "array"), query=LIST),
    RouteInfo("POST", "/redirect_urls", res.create_redirect_url, body=("url",)),
    RouteInfo("GET", "/redirect_urls/{id}", _get("redirect_url", "id")),
    RouteInfo("DELETE", "/redirect_urls/{id}", _delete("redirect_url", "id", "DELETE /redirect_urls/{id}")),
    RouteInfo("GET", "/domains", lambda c: res.everything(c.store, "domain")),
    RouteInfo("POST", "/domains", res.create_domain, body=("name", "is_satellite", "proxy_url")),
    RouteInfo("PATCH", "/domains/{domain_id}", res.update_domain, body=("name", "proxy_url")),
    RouteInfo("DELETE", "/domains/{domain_id}", res.delete_domain),
    RouteInfo("GET", "/jwt_templates", _list("jwt_template", "array"), query=LIST),
    RouteInfo("POST", "/jwt_templates", res.create_jwt_template, body=_JWT_BODY),
    RouteInfo("GET", _JWT, _get("jwt_template", "template_id")),
    RouteInfo("PATCH", _JWT, res.update_jwt_template, body=_JWT_BODY),
    RouteInfo("DELETE", _JWT, _delete("jwt_template", "template_id", "DELETE " + _JWT)),
    # OAuth applications, API keys, machines, M2M tokens
    RouteInfo("GET", "/oauth_applications", res.list_oauth_apps, query=("name_query", "order_by", *LIST)),
    RouteInfo("POST", "/oauth_applications", res.create_oauth_app, body=_APP_BODY),
    RouteInfo("GET", _APP, _get("oauth_application", "oauth_application_id")),
    RouteInfo("PATCH", _APP, _update("oauth_application", "oauth_application_id", _APP_BODY), body=_APP_BODY),
    RouteInfo("DELETE", _APP, _delete("oauth_application", "oauth_application_id", "DELETE " + _APP)),
    RouteInfo("PUT", _APP + "/logo", res.upload_oauth_logo, body=("file", "uploader_user_id"), multipart=True),
    RouteInfo("POST", _APP + "/rotate_secret", res.rotate_oauth_secret),
    RouteInfo("POST", _APP + "/revoke_token", res.revoke_oauth_token, body=("token",)),
    RouteInfo("GET", "/api_keys", res.list_api_keys, query=("subject", "include_invalid", "query", *LIST)),
    RouteInfo(
        "POST",
        "/api_keys",
        res.create_api_key,
        body=("type", "name", "description", "subject", "claims", "scopes", "created_by", "seconds_until_expiration"),
    ),
    RouteInfo("GET", _KEY, lambda c: res.public_key(res.api_key(c).obj)),
    RouteInfo(
        "PATCH",
        _KEY,
        res.update_api_key,
        body=("description", "scopes", "claims", "subject", "seconds_until_expiration"),
    ),
    RouteInfo("DELETE", _KEY, _delete("api_key", "apiKeyID", "DELETE " + _KEY)),
    RouteInfo("GET", _KEY + "/secret", lambda c: {"secret": res.api_key(c).obj["secret"]}),
    RouteInfo("POST", _KEY + "/revoke", res.revoke_api_key, body=("revocation_reason",)),
    RouteInfo("POST", "/api_keys/verify", res.verify_api_key, body=("secret",)),
    RouteInfo("GET", "/machines", res.list_machines, query=("query", "order_by", *LIST)),
    RouteInfo("POST", "/machines", res.create_machine, body=("name", "scoped_machines", "default_token_ttl")),
    RouteInfo("GET", _MACHINE, lambda c: res.machine_view(c.store, res.machine(c))),
    RouteInfo("PATCH", _MACHINE, res.update_machine, body=("name", "default_token_ttl")),
    RouteInfo("DELETE", _MACHINE, res.delete_machine),
    RouteInfo("GET", _MACHINE + "/secret_key", res.machine_secret),
    RouteInfo("POST", _MACHINE + "/secret_key/rotate", res.rotate_machine_secret, body=("previous_token_ttl",)),
    RouteInfo("POST", _MACHINE + "/scopes", res.machine_scope, body=("to_machine_id",)),
    RouteInfo("DELETE", _MACHINE + "/scopes/{other_machine_id}", res.delete_machine_scope),
    RouteInfo("GET", "/m2m_tokens", res.list_m2m_tokens, query=("subject", "revoked", "expired", *LIST)),
    RouteInfo("POST", "/m2m_tokens/{m2m_token_id}/revoke", res.revoke_m2m_token, body=("revocation_reason",)),
    RouteInfo("POST", "/m2m_tokens/verify", res.verify_m2m_token, body=("token",)),
    # waitlist
    RouteInfo("GET", "/waitlist_entries", res.list_waitlist, query=("query", "status", "order_by", *LIST)),
    RouteInfo(
        "POST", "/waitlist_entries", lambda c: res.new_waitlist_entry(c.store, c.body), body=("email_address", "notify")
    ),
    RouteInfo("POST", "/waitlist_entries/bulk", accounts.bulk_waitlist, array_body=True),
    RouteInfo("DELETE", _WAIT, res.delete_waitlist_entry),
    RouteInfo("POST", _WAIT + "/invite", res.invite_waitlist_entry, body=("ignore_existing",)),
    RouteInfo("POST", _WAIT + "/reject", res.reject_waitlist_entry),
    # webhooks, instance settings
    RouteInfo("POST", "/webhooks/svix", res.svix(True)),
    RouteInfo("DELETE", "/webhooks/svix", res.svix(False)),
    RouteInfo("POST", "/webhooks/svix_url", res.svix_url),
    RouteInfo("GET", "/instance", res.settings("/instance", update=False)),
    RouteInfo(
        "PATCH",
        "/instance",
        res.settings("/instance", update=True, empty=True),
        body=(
            "test_mode",
            "hibp",
            "support_email",
            "development_origin",
            "allowed_origins",
            "url_based_session_syncing",
        ),
    ),
    RouteInfo(
        "PATCH",
        "/instance/restrictions",
        res.settings("/instance/restrictions", update=True),
        body=(
            "allowlist",
            "blocklist",
            "allowlist_blocklist_disabled_on_sign_in",
            "block_email_subaddresses",
            "block_disposable_email_domains",
        ),
    ),
    RouteInfo("GET", "/instance/protect", res.settings("/instance/protect", update=False)),
    RouteInfo(
        "PATCH",
        "/instance/protect",
        res.settings("/instance/protect", update=True),
        body=("rules_enabled", "specter_enabled"),
    ),
    RouteInfo("GET", "/instance/communication", res.settings("/instance/communication", update=False)),
    RouteInfo(
        "PATCH",
        "/instance/communication",
        res.settings("/instance/communication", update=True),
        body=("blocked_country_codes",),
    ),
    RouteInfo(
        "GET",
        "/instance/oauth_application_settings",
        res.settings("/instance/oauth_application_settings", update=False),
    ),
    RouteInfo(
        "PATCH",
        "/instance/oauth_application_settings",
        res.settings("/instance/oauth_application_settings", update=True),
        body=(
            "dynamic_oauth_client_registration",
            "default_scopes",
            "oauth_jwt_access_tokens",
            "client_id_metadata_documents_advertised",
            "client_id_metadata_documents_only_allow_pre_registered_clients",
            "client_id_metadata_documents_block_implicitly_allowed_clients",
        ),
    ),
    RouteInfo("GET", "/instance/organization_settings", res.settings("/instance/organization_settings", update=False)),
    RouteInfo(
        "PATCH",
        "/instance/organization_settings",
        res.settings("/instance/organization_settings", update=True),
        body=("enabled", "max_allowed_memberships", "admin_delete_enabled", "domains_enabled", "creator_role_id"),
    ),
]

ROUTES += MORE


def match_route(method: str, segments: list[str]) -> tuple[RouteInfo, dict[str, str]] | None:
    """The most specific route for a method and decoded segments (those after `/v1`)."""
    best: tuple[RouteInfo, dict[str, str]] | None = None
    for route in ROUTES:
        if route.method != method:
            continue
        params = route.match(segments)
        if params is not None and (best is None or route.specificity > best[0].specificity):
            best = (route, params)
    return best
