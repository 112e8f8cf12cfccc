"""The shape of a tool as data.

Tools are records, not functions: the installer and wizard read the catalog (names, categories, risk)
without importing the MCP SDK, the server turns records into `tools/list` entries and HTTP calls, and a
test checks every record's method, path and parameters against Clerk's OpenAPI spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Risk = Literal["read", "write", "destructive", "credential"]
Where = Literal["path", "query", "body"]
ListShape = Literal["array", "data", "m2m_tokens"]
"""A bare array, or an object with the items under this key next to `total_count`."""

RISKS: tuple[Risk, ...] = ("read", "write", "destructive", "credential")


def snake(name: str) -> str:
    """`emailAddress` → `email_address`: the API's field name for a camelCase argument."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True, slots=True)
class Param:
    """One argument the model passes, and where it goes in the HTTP request."""

    name: str
    type: str
    description: str
    required: bool = False
    where: Where = "body"
    api: str | None = None
    items: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    secret: bool = False
    """The value is a password, code, token or key: never to be logged or echoed (not part of the schema)."""

    @property
    def api_name(self) -> str:
        """The field name Clerk's API uses for this argument."""
        return self.api or snake(self.name)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema fragment for this argument, kept compact (it is paid for in tokens)."""
        out: dict[str, Any] = {"type": self.type}
        if self.items:
            out["items"] = {"type": self.items}
        if self.enum:
            out["enum"] = list(self.enum)
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.max_length is not None:
            out["maxLength"] = self.max_length
        out["description"] = self.description
        return out


@dataclass(frozen=True, slots=True)
class Tool:
    """One MCP tool: what the model sees and the Backend API call behind it.

    `handler` names a function in `server/handlers.py` for the few tools that are more than one plain
    request (getUserId reads no API; getOrganization takes an id or a slug; updateOrganization splits
    fields across two endpoints). `extra_calls` lists those further (method, path) pairs for the spec test.
    `default` marks the tools served when `--tools` is not given (and by the `@default` preset): the
    agent-toolkit-compatible ones plus the list tools, so a new tool never floods an existing setup.
    """

    name: str
    category: str
    title: str
    description: str
    risk: Risk
    method: str
    path: str
    params: tuple[Param, ...] = ()
    list_shape: ListShape | None = None
    count_path: str | None = None
    handler: str | None = None
    compat: bool = False
    idempotent_override: bool | None = None
    extra_calls: tuple[tuple[str, str], ...] = field(default=())
    default: bool = False

    @property
    def id(self) -> str:
        """The `--tools` id: `category.name`."""
        return f"{self.category}.{self.name}"

    @property
    def read_only(self) -> bool:
        return self.risk == "read"

    @property
    def idempotent(self) -> bool:
        """Reads, PUT/PATCH of fixed values and deletes can be repeated with the same effect."""
        if self.idempotent_override is not None:
            return self.idempotent_override
        return self.method in ("GET", "PUT", "PATCH", "DELETE") or self.handler == "get_user_id"

    def input_schema(self) -> dict[str, Any]:
        """The tool's JSON Schema, closed: an argument it does not name is refused, not silently dropped."""
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {p.name: p.schema() for p in self.params},
            "additionalProperties": False,
        }
        required = [p.name for p in self.params if p.required]
        if required:
            schema["required"] = required
        return schema

    def annotations(self) -> dict[str, Any]:
        """MCP hints that match what the call does; every tool talks to Clerk, an external system."""
        return {
            "readOnlyHint": self.read_only,
            "destructiveHint": self.risk in ("destructive", "credential"),
            "idempotentHint": self.idempotent,
            "openWorldHint": self.handler != "get_user_id",
        }


# Reusable parameters: the same wording everywhere keeps `tools/list` small and consistent.
def limit_param(default: int = 10, maximum: int = 500) -> Param:
    """`limit` as the spec bounds it: 1-500 on most list endpoints, 1-100 on a few newer ones."""
    return Param(
        "limit", "integer", f"Page size, 1-{maximum} (default {default}).", where="query", minimum=1, maximum=maximum
    )


OFFSET = Param("offset", "integer", "Items to skip; pass next_offset from the previous page.", where="query", minimum=0)


def path_id(name: str, what: str, api: str | None = None) -> Param:
    """A required id that goes into the URL path."""
    return Param(name, "string", f"{what} ID.", required=True, where="path", api=api)


LIMIT = limit_param()
USER_ID = path_id("userId", "User", api="user_id")
ORG_ID = path_id("organizationId", "Organization", api="organization_id")
QUERY = Param("query", "string", "Partial match on name, key or ID.", where="query")
ORDER_BY = Param("orderBy", "string", "Sort field, '-' prefix for descending.", where="query")
PUBLIC_METADATA = Param("publicMetadata", "object", "Public metadata (readable by the frontend).")
PRIVATE_METADATA = Param("privateMetadata", "object", "Private metadata (backend only).")
NOTIFY = Param("notify", "boolean", "Send the email (default true).")
EXPIRES_IN = Param("expiresInSeconds", "integer", "Lifetime in seconds.", minimum=1)
NAME = Param("name", "string", "Name.", required=True)
DESCRIPTION = Param("description", "string", "Description.")
CREDIT_PARAMS = (
    Param("amount", "integer", "Credits, in the currency's smallest unit.", required=True, minimum=1),
    Param("action", "string", "increase or decrease.", required=True, enum=("increase", "decrease")),
    Param("idempotencyKey", "string", "Unique key so a retry is not applied twice.", required=True),
    Param("currency", "string", "ISO currency code (default USD)."),
    Param("note", "string", "Reason, kept in the ledger."),
)
