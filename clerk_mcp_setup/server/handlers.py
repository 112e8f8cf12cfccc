"""How a tool record becomes Backend API calls.

Most tools are one request built from their parameters (`call_plain`); list tools add paging and the
common envelope; a handful named by `Tool.handler` need a few lines of their own.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio

from clerk_mcp_setup.server.api import ClerkAPI, ClerkAPIError
from clerk_mcp_setup.server.catalog import Tool
from clerk_mcp_setup.server.fetch import FetchPolicy, FetchRefused, fetch_image
from clerk_mcp_setup.server.results import envelope

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_ARGUMENT_BYTES = 64 * 1024
"""Largest single argument (as compact JSON): Clerk caps metadata at 8 KB, so anything near this is a mistake."""
MAX_CALL_BYTES = 256 * 1024
"""Largest whole set of arguments of one call (a few arguments near the cap each)."""


NO_KEY_HINT = (
    "Set the Clerk secret key: run `clerk-mcp-setup` to store it, or start the server with "
    "--secret-key or the CLERK_SECRET_KEY environment variable (Clerk Dashboard → API keys), "
    "or use --demo to try the tools on sample data."
)


@dataclass
class Runtime:
    """What a handler needs besides its arguments; `api` is None when no secret key was given."""

    api: ClerkAPI | None
    user_id: str | None = None
    demo: bool = False
    missing_key: str | None = None
    fetch: FetchPolicy = field(default_factory=FetchPolicy)  # which hosts image URLs may name beyond public https

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the API, or explain how to set the key when there is none."""
        if self.api is None:
            raise ClerkAPIError(
                self.missing_key or "No Clerk secret key is set.", code="missing_secret_key", hint=NO_KEY_HINT
            )
        return await self.api.request(method, path, **kwargs)


def invalid(message: str) -> ClerkAPIError:
    return ClerkAPIError(message, code="invalid_argument")


_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode())


def check_names_and_sizes(tool: Tool, args: Mapping[str, Any], extra: Collection[str] = ()) -> None:
    """An unknown argument is an error naming the closest valid one (a mistyped filter must not widen a
    list to every user), and an oversized one is refused before anything is sent to Clerk."""
    known = [p.name for p in tool.params] + list(extra)
    for name in args:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            valid = ", ".join(known) or "none"
            raise invalid(f"{tool.name} has no argument '{name}'.{hint} Valid arguments: {valid}.")
    for name, value in args.items():
        if _size(value) > MAX_ARGUMENT_BYTES:
            raise invalid(f"{name} is larger than {MAX_ARGUMENT_BYTES // 1024} KiB; nothing was sent to Clerk.")
    if _size(args) > MAX_CALL_BYTES:
        raise invalid(f"The arguments are larger than {MAX_CALL_BYTES // 1024} KiB in all; nothing was sent to Clerk.")


def validate(tool: Tool, args: Mapping[str, Any], extra: Collection[str] = ()) -> dict[str, Any]:
    """Check the arguments against the tool's parameters; `extra` names arguments the server itself reads
    (none today: no argument confirms a call), which pass the name check but are not returned.

    A float with an integral value counts as an integer (some clients send 5.0 for 5).
    """
    check_names_and_sizes(tool, args, extra)
    out: dict[str, Any] = {}
    for param in tool.params:
        value = args.get(param.name)
        if value is None:
            if param.required:
                raise invalid(f"{param.name} is required: {param.description}")
            continue
        if param.type == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        ok = isinstance(value, _TYPES[param.type]) and not (
            param.type in ("integer", "number") and isinstance(value, bool)
        )
        if not ok:
            raise invalid(f"{param.name} must be {param.type}, got {type(value).__name__}.")
        if param.type == "string" and param.required and not value.strip():
            raise invalid(f"{param.name} must not be empty.")
        if param.items and not all(isinstance(v, _TYPES[param.items]) for v in value):
            raise invalid(f"{param.name} must be an array of {param.items}s.")
        if param.enum and value not in param.enum:
            raise invalid(f"{param.name} must be one of {', '.join(param.enum)}; got {value!r}.")
        if param.minimum is not None and value < param.minimum:
            raise invalid(f"{param.name} must be at least {param.minimum}.")
        if param.maximum is not None and value > param.maximum:
            raise invalid(f"{param.name} must be at most {param.maximum}.")
        if param.max_length is not None and isinstance(value, str) and len(value) > param.max_length:
            raise invalid(f"{param.name} must be at most {param.max_length} characters, got {len(value)}.")
        out[param.name] = value
    return out


def split(tool: Tool, args: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Sort validated arguments into path parameters, query parameters and JSON body by API name."""
    parts: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "body": {}}
    for param in tool.params:
        if param.name in args:
            parts[param.where][param.api_name] = args[param.name]
    return parts["path"], parts["query"], parts["body"]


async def call_plain(rt: Runtime, tool: Tool, args: dict[str, Any]) -> Any:
    path, query, body = split(tool, args)
    return await rt.request(tool.method, tool.path, path_params=path, query=query, json=body or None)


async def call_list(rt: Runtime, tool: Tool, args: dict[str, Any]) -> dict[str, Any]:
    """Page through a list endpoint and answer `{items, total_count, has_more, next_offset}`.

    `{data, total_count}` endpoints (or `{m2m_tokens, total_count}`) say the total; those without paging
    answer everything at once. For bare-array endpoints we ask for one extra item to learn whether another
    page exists, and take the total from a count endpoint where there is one.
    """
    path, query, _ = split(tool, args)
    limit_spec = next((p for p in tool.params if p.name == "limit"), None)
    paged = limit_spec is not None
    limit = int(query.get("limit", 10))
    offset = int(query.get("offset", 0))
    if paged:
        query = {**query, "limit": limit, "offset": offset}
    if tool.list_shape != "array" or not paged:
        data = await rt.request(tool.method, tool.path, path_params=path, query=query)
        if isinstance(data, list):
            items, total = data, None
        else:
            items = list(data.get(tool.list_shape) or []) if isinstance(data, dict) else []
            total = data.get("total_count") if isinstance(data, dict) else None
        if not paged:
            return envelope(items, offset=0, total_count=len(items) if total is None else total, has_more=False)
        has_more = total is not None and offset + len(items) < total
        return envelope(items, offset=offset, total_count=total, has_more=has_more)

    cap = limit_spec.maximum if limit_spec and limit_spec.maximum else 500
    probe = min(limit + 1, cap)
    results: dict[str, Any] = {}

    async def fetch_page() -> None:
        results["page"] = await rt.request(tool.method, tool.path, path_params=path, query={**query, "limit": probe})

    async def fetch_count() -> None:
        assert tool.count_path
        filters = {k: v for k, v in query.items() if k not in ("limit", "offset", "order_by")}
        results["count"] = await rt.request("GET", tool.count_path, query=filters)

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(fetch_page)
            if tool.count_path:
                tg.start_soon(fetch_count)
    except BaseExceptionGroup as group:  # report Clerk's own error, not the task group's wrapper
        first = next((e for e in group.exceptions if isinstance(e, ClerkAPIError)), None)
        if first is None:
            raise
        raise first from None
    page = list(results["page"] or [])
    total = results.get("count", {}).get("total_count") if tool.count_path else None
    if probe > limit:
        has_more = len(page) > limit
    elif total is not None:
        has_more = offset + len(page) < total
    else:  # a full page at the cap with no count endpoint: assume there may be more
        has_more = len(page) == limit
    items = page[:limit]
    if total is None and not has_more:
        total = offset + len(items)
    return envelope(items, offset=offset, total_count=total, has_more=has_more)


async def get_user_id(rt: Runtime, tool: Tool, args: dict[str, Any]) -> dict[str, Any]:
    if rt.user_id:
        return {"user_id": rt.user_id}
    return {
        "user_id": None,
        "message": "No acting user is set. Whoever runs the server can set one with --user-id or "
        "CLERK_USER_ID; until then ask the person which user they mean (listUsers can find them).",
    }


async def get_organization(rt: Runtime, tool: Tool, args: dict[str, Any]) -> Any:
    ident = args.get("organizationId") or args.get("slug")
    if not ident:
        raise invalid("Give organizationId or slug.")
    query = {"include_members_count": args["includeMembersCount"]} if "includeMembersCount" in args else {}
    return await rt.request("GET", tool.path, path_params={"organization_id": ident}, query=query)


async def update_organization(rt: Runtime, tool: Tool, args: dict[str, Any]) -> Any:
    """The org endpoint takes name/slug/limit and the metadata endpoint takes metadata: call each needed."""
    path, _, body = split(tool, args)
    meta = {k: body.pop(k) for k in ("public_metadata", "private_metadata") if k in body}
    if not body and not meta:
        raise invalid("Nothing to update: give name, slug, maxAllowedMemberships or metadata.")
    result = None
    if body:
        result = await rt.request("PATCH", tool.path, path_params=path, json=body)
    if meta:
        result = await rt.request("PATCH", tool.extra_calls[0][1], path_params=path, json=meta)
    return result


async def _download_image(rt: Runtime, url: str, name: str = "profileImageUrl") -> tuple[bytes, str]:
    """The image at a model-chosen URL, through the SSRF-safe fetcher (fetch.py)."""
    try:
        return await fetch_image(url, rt.fetch, MAX_IMAGE_BYTES)
    except FetchRefused as exc:
        raise invalid(f"Could not fetch the image for {name}: {exc.category}.") from None


async def update_user(rt: Runtime, tool: Tool, args: dict[str, Any]) -> Any:
    """Profile fields go to PATCH /users/{id}; an image URL is downloaded and uploaded as a file,
    which is what the API accepts (the old server sent the URL in a field the API ignores)."""
    path, _, body = split(tool, args)
    image_url = body.pop("file", None)
    if not body and not image_url:
        raise invalid("Nothing to update: give firstName, lastName, username or profileImageUrl.")
    result = None
    if body:
        result = await rt.request("PATCH", tool.path, path_params=path, json=body)
    if image_url:
        data, kind = await _download_image(rt, image_url)
        ext = kind.split("/")[-1].split("+")[0] or "img"
        result = await rt.request(
            "POST", tool.extra_calls[0][1], path_params=path, files={"file": (f"profile.{ext}", data, kind)}
        )
    return result


Handler = Callable[[Runtime, Tool, dict[str, Any]], Awaitable[Any]]


async def array_body(rt: Runtime, tool: Tool, args: dict[str, Any]) -> Any:
    """Bulk operations whose request body is a JSON array, not an object."""
    path, _, body = split(tool, args)
    (value,) = body.values()
    return await rt.request(tool.method, tool.path, path_params=path, json=value)


async def upload_file(rt: Runtime, tool: Tool, args: dict[str, Any]) -> Any:
    """Multipart uploads (logos): the file is fetched from the URL the model gives; other fields go as form parts."""
    path, _, body = split(tool, args)
    source = next(p.name for p in tool.params if p.api_name == "file")
    data, kind = await _download_image(rt, body.pop("file"), source)
    files = {"file": (f"upload.{kind.split('/')[-1].split('+')[0]}", data, kind)}
    files |= {k: (None, str(v)) for k, v in body.items()}
    return await rt.request(tool.method, tool.path, path_params=path, files=files)


CUSTOM: dict[str, Handler] = {
    "get_user_id": get_user_id,
    "get_organization": get_organization,
    "update_organization": update_organization,
    "update_user": update_user,
    "array_body": array_body,
    "upload_file": upload_file,
}


async def run_tool(rt: Runtime, tool: Tool, raw_args: Mapping[str, Any], *, validated: bool = False) -> Any:
    """Validate arguments (unless already done) and perform the tool's calls; raises ClerkAPIError on failure."""
    args = dict(raw_args) if validated else validate(tool, raw_args)
    if tool.handler:
        return await CUSTOM[tool.handler](rt, tool, args)
    if tool.list_shape:
        return await call_list(rt, tool, args)
    return await call_plain(rt, tool, args)
