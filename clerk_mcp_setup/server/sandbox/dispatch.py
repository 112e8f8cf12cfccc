"""The HTTP layer: route on the raw path, authenticate, apply faults, log, and answer in Clerk's envelope.

Routing uses `scope["raw_path"]` split on `/` with each segment percent-decoded on its own, so
`/v1/users/..%2Forganizations` asks for the user `../organizations` (a 404), never another
route. Every answer, error or not, is `Content-Type: application/json` exactly.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from . import errors
from .contract import BODY_FIELDS
from .controls import Faults, RequestLog
from .errors import ClerkAPIError
from .params import Body, Query, check_contract
from .routes import Call, RouteInfo, match_route
from .seed import seed
from .store import Store

logger = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"sk_(?:test|live)_[A-Za-z0-9_]+")
"""With no fixed key, any bearer token shaped like a Clerk secret key is accepted."""


@dataclass
class SandboxState:
    """One sandbox instance: its data, the key it accepts, injected faults and the request log."""

    secret_key: str | None
    seeded: bool
    store: Store = field(init=False)
    faults: Faults = field(default_factory=Faults)
    log: RequestLog = field(default_factory=RequestLog)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Back to the initial state: fresh (re)seeded data, no faults, an empty log."""
        self.store = Store()
        if self.seeded:
            seed(self.store)
        self.faults.clear()
        self.log.clear()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def error_response(error: ClerkAPIError) -> Response:
    return json_response(error.envelope(), error.status, error.headers)


def split_path(raw_path: bytes) -> list[str] | None:
    """`/a/b%2Fc/` → `["a", "b/c"]`; None when a segment is not valid UTF-8 once decoded."""
    parts = raw_path.split(b"/")[1:]
    if len(parts) > 1 and parts[-1] == b"":
        parts = parts[:-1]
    try:
        return [unquote_to_bytes(p).decode("utf-8") for p in parts]
    except UnicodeDecodeError:
        return None


def parse_json_body(body: bytes) -> dict[str, Any]:
    """An empty body is `{}`; anything but a JSON object is Clerk's `request_body_invalid`."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise errors.request_body_invalid() from None
    if not isinstance(data, dict):
        raise errors.request_body_invalid()
    return data


def parse_json_array(body: bytes) -> list[Any]:
    """The whole body of a bulk operation: a JSON array."""
    try:
        data = json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise errors.request_body_invalid() from None
    if not isinstance(data, list):
        raise errors.request_body_invalid()
    return data


def answer(result: Any) -> Response:
    """A handler's result as JSON; `None` is an empty 204, as Clerk answers a few operations."""
    if result is None:
        return Response(status_code=204)
    return json_response(result)


class SandboxEndpoint:
    """The ASGI endpoint behind every path: `/__sandbox/*` controls, everything else the API."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        segments = split_path(raw_path)
        if segments is not None and len(segments) == 2 and segments[0] == "__sandbox":
            response = await self._control(request, segments[1])
        else:
            response = await self._api(request, raw_path, segments)
        await response(scope, receive, send)

    # --- the API ------------------------------------------------------------------------------

    async def _api(self, request: Request, raw_path: bytes, segments: list[str] | None) -> Response:
        body = await request.body()
        path_text = raw_path.decode("latin-1")
        query_text = request.scope.get("query_string", b"").decode("latin-1")
        entry = self.state.log.record(request.method, path_text, query_text, body, dict(request.headers))
        try:
            response = await self._answer(request, path_text, segments, body)
        except ClerkAPIError as exc:
            response = error_response(exc)
        except Exception:
            logger.exception("sandbox: unexpected error answering %s %s", request.method, path_text)
            response = error_response(errors.internal_error())
        entry["status"] = response.status_code
        return response

    async def _answer(self, request: Request, path_text: str, segments: list[str] | None, body: bytes) -> Response:
        fault = self.state.faults.take(path_text)
        if fault is not None:
            if fault.delay:
                await anyio.sleep(fault.delay)
            if fault.status is not None:
                raise fault.error()
        self._authenticate(request.headers.get("authorization"))
        if not segments or segments[0] != "v1":
            raise errors.url_not_found()
        found = match_route(request.method, segments[1:])
        if found is None:
            raise errors.url_not_found()
        route, params = found
        query = Query(request.scope.get("query_string", b"").decode("utf-8", errors="replace"))
        call = Call(self.state.store, params, query, Body({}))
        operation = f"{route.method} {route.path}"
        if route.multipart:
            check_contract(operation, query, None)
            return await self._multipart(request, route, call)
        if route.array_body:
            call.items = parse_json_array(body)
        elif route.body or operation in BODY_FIELDS:
            call.body = Body(parse_json_body(body))
        check_contract(operation, query, call.body.data)
        return answer(route.handler(call))

    async def _multipart(self, request: Request, route: RouteInfo, call: Call) -> Response:
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise errors.unsupported_content_type("multipart/form-data")
        try:
            async with request.form() as form:
                call.form = form
                return answer(route.handler(call))
        except MultiPartException:
            raise errors.request_body_invalid() from None

    def _authenticate(self, header: str | None) -> None:
        """Missing, malformed or wrong keys answer 401 without ever echoing what was sent."""
        if not header:
            raise errors.authorization_missing()
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise errors.authorization_format_invalid()
        expected = self.state.secret_key
        if expected is not None:
            valid = hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))
        else:
            valid = KEY_PATTERN.fullmatch(token) is not None
        if not valid:
            raise errors.secret_key_invalid()

    # --- controls -----------------------------------------------------------------------------

    async def _control(self, request: Request, name: str) -> Response:
        state, method = self.state, request.method
        try:
            if name == "health" and method == "GET":
                return json_response({"status": "ok"})
            if name == "faults" and method == "POST":
                return json_response(asdict(state.faults.add(parse_json_body(await request.body()))))
            if name == "faults" and method in ("GET", "DELETE"):
                if method == "DELETE":
                    state.faults.clear()
                return json_response(state.faults.describe())
            if name == "reset" and method == "POST":
                state.reset()
                return json_response({"reset": True, "users": len(state.store.users)})
            if name == "requests" and method in ("GET", "DELETE"):
                if method == "DELETE":
                    state.log.clear()
                return json_response(state.log.entries())
        except ClerkAPIError as exc:
            return error_response(exc)
        return error_response(errors.url_not_found())
