"""Clerk's error envelope as an exception, so every layer of the sandbox fails the way Clerk does.

Codes, statuses and wording follow what Clerk's Backend API answers (its error catalogue and the
OpenAPI spec's `ClerkErrors` schema); clients branch on `code` and show `long_message`.
"""

from __future__ import annotations

import re
import secrets
from typing import Any


class ClerkAPIError(Exception):
    """One Clerk error: HTTP status, machine code, short and long message, optional meta."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        long_message: str | None = None,
        *,
        meta: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.long_message = long_message or message
        self.meta = meta or {}
        self.headers = headers or {}

    def envelope(self) -> dict[str, Any]:
        """The JSON body Clerk sends: `{"errors": [...], "clerk_trace_id": ...}`.

        Messages that echo a caller's value never echo anything shaped like a secret key.
        """
        error = {
            "code": self.code,
            "message": _redact(self.message),
            "long_message": _redact(self.long_message),
            "meta": self.meta,
        }
        return {"errors": [error], "clerk_trace_id": new_trace_id()}


_SECRET_KEY = re.compile(r"sk_(?:test|live)_\w+")


def _redact(text: str) -> str:
    return _SECRET_KEY.sub("[redacted]", text)


def new_trace_id() -> str:
    """A fresh opaque trace id, like the one Clerk attaches to every error."""
    return secrets.token_hex(16)


def _param(name: str) -> dict[str, Any]:
    return {"param_name": name}


def _human(name: str) -> str:
    return name.replace("_", " ")


# --- authentication -----------------------------------------------------------------------------


def authorization_missing() -> ClerkAPIError:
    return ClerkAPIError(
        401,
        "authorization_header_missing",
        "Authorization header missing",
        'The request has no Authorization header. Send "Authorization: Bearer <YOUR_SECRET_KEY>".',
    )


def authorization_format_invalid() -> ClerkAPIError:
    return ClerkAPIError(
        401,
        "authorization_header_format_invalid",
        "Invalid Authorization header format",
        'Invalid Authorization header format. Must be "Bearer <YOUR_API_KEY>"',
    )


def secret_key_invalid() -> ClerkAPIError:
    return ClerkAPIError(
        401,
        "clerk_key_invalid",
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
    )


# --- generic ------------------------------------------------------------------------------------


def not_found(long_message: str = "Resource not found", meta: dict[str, Any] | None = None) -> ClerkAPIError:
    return ClerkAPIError(404, "resource_not_found", "not found", long_message, meta=meta)


def url_not_found() -> ClerkAPIError:
    return not_found("The URL was not found")


def request_body_invalid() -> ClerkAPIError:
    return ClerkAPIError(
        400,
        "request_body_invalid",
        "Request body invalid",
        "The request body is invalid. Please consult the API documentation for more information.",
    )


def malformed_parameters(name: str) -> ClerkAPIError:
    return ClerkAPIError(
        400,
        "malformed_request_parameters",
        "Malformed request parameters",
        f"The request parameters are malformed and could not be parsed ({name}).",
        meta=_param(name),
    )


def unsupported_content_type(expected: str) -> ClerkAPIError:
    return ClerkAPIError(
        400,
        "unsupported_content_type",
        "Unsupported content type",
        f"This endpoint expects a {expected} request body.",
    )


def too_many_requests(retry_after: int) -> ClerkAPIError:
    return ClerkAPIError(
        429,
        "too_many_requests",
        "Too many requests",
        "Too many requests, retry later",
        headers={"Retry-After": str(retry_after)},
    )


def internal_error(status: int = 500) -> ClerkAPIError:
    return ClerkAPIError(
        status,
        "internal_clerk_error",
        "Oops, an unexpected error occurred",
        "There was an internal error on our servers. We've been notified and are working on fixing it.",
    )


# --- form parameters (422 unless noted) ---------------------------------------------------------


def param_missing(name: str) -> ClerkAPIError:
    return ClerkAPIError(422, "form_param_missing", "is missing", f"{name} must be included.", meta=_param(name))


def param_type_invalid(name: str, type_name: str) -> ClerkAPIError:
    return ClerkAPIError(
        422, "form_param_type_invalid", "is invalid", f"`{name}` must be a `{type_name}`.", meta=_param(name)
    )


def param_unknown(name: str) -> ClerkAPIError:
    """A body field the operation does not have: Clerk refuses it rather than ignoring it."""
    return ClerkAPIError(
        422, "form_param_unknown", "is unknown", f"{name} is not a valid parameter for this request.", meta=_param(name)
    )


def param_value_invalid(name: str, value: object, allowed: list[str] | None = None) -> ClerkAPIError:
    detail = f"{value} does not match one of the allowed values for parameter {name}"
    if allowed:
        detail += ". Allowed values: " + ", ".join(allowed)
    return ClerkAPIError(422, "form_param_value_invalid", "is invalid", detail, meta=_param(name))


def param_format_invalid(name: str, detail: str = "") -> ClerkAPIError:
    message = f"{_human(name).capitalize()} is invalid." + (f" {detail}" if detail else "")
    return ClerkAPIError(422, "form_param_format_invalid", message, meta=_param(name))


def identifier_exists(name: str) -> ClerkAPIError:
    return ClerkAPIError(
        422, "form_identifier_exists", f"That {_human(name)} is taken. Please try another.", meta=_param(name)
    )


def form_resource_not_found(name: str) -> ClerkAPIError:
    return ClerkAPIError(
        422,
        "form_resource_not_found",
        "is missing",
        f"The resource associated with the supplied {name} was not found.",
        meta=_param(name),
    )


# --- organizations ------------------------------------------------------------------------------


def organization_not_found() -> ClerkAPIError:
    return not_found("Given organization not found.")


def role_not_found(name: str = "role") -> ClerkAPIError:
    return not_found("Organization role not found", meta=_param(name))


def already_a_member(user_id: str) -> ClerkAPIError:
    return ClerkAPIError(
        400,
        "already_a_member_in_organization",
        "already a member",
        f"User {user_id} is already a member of the organization.",
    )


def not_an_admin(user_id: str) -> ClerkAPIError:
    return ClerkAPIError(
        403,
        "not_an_admin_in_organization",
        "not an administrator",
        f"{user_id} is not an administrator in the organization. Only administrators can perform this action.",
    )


def creator_not_found(user_id: str) -> ClerkAPIError:
    return ClerkAPIError(
        400, "organization_creator_not_found", "creator not found", f"No users found with id {user_id}."
    )


def membership_quota_exceeded(maximum: int) -> ClerkAPIError:
    return ClerkAPIError(
        403,
        "organization_membership_quota_exceeded",
        "organization membership quota exceeded",
        f"You have reached your limit of {maximum} organization memberships, including outstanding invitations.",
    )


def org_invitation_not_pending() -> ClerkAPIError:
    return ClerkAPIError(
        404,
        "organization_invitation_not_pending",
        "not pending",
        'The organization invitation is not in the "pending" status.',
    )


def org_invitation_not_unique() -> ClerkAPIError:
    return ClerkAPIError(
        400,
        "organization_invitation_not_unique",
        "organization invitation not unique",
        "Organizations cannot have duplicate pending invitations for an email address.",
    )


# --- instance invitations -----------------------------------------------------------------------


def duplicate_invitation(email_address: str) -> ClerkAPIError:
    return ClerkAPIError(
        400,
        "duplicate_record",
        "duplicate invitation",
        f"There are already pending invitations for the following email addresses: {email_address}",
        meta={"email_addresses": [email_address]},
    )


def invitation_already_revoked() -> ClerkAPIError:
    return ClerkAPIError(400, "invitation_already_revoked", "Invitation is already revoked.")


def invitation_already_accepted() -> ClerkAPIError:
    return ClerkAPIError(400, "invitation_already_accepted", "Invitation is already accepted.")
