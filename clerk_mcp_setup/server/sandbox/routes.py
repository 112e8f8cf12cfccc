"""The route table: every Backend API operation the sandbox serves, as data.

Each `RouteInfo` names the spec's method and path template and the query and body parameters the
sandbox honours, so a test can check the whole table against Clerk's OpenAPI spec. Handlers are
one-liners over the operation modules; `dispatch.py` does matching, parsing and rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from . import errors, invitations, organizations, users
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
