"""Test controls under `/__sandbox/`: injected faults, the request log, reset and a health probe.

Faults let client tests see Clerk's 429s, 5xx and slow answers on demand; the log lets them check
what actually went over the wire (raw path, query, body, whether a key was sent — never the key).
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any

from . import errors
from .errors import ClerkAPIError
from .params import Body

MAX_LOG = 10_000
MAX_DELAY = 300.0

_FAULT_CODES = {
    400: "bad_request",
    401: "authentication_invalid",
    402: "payment_required",
    403: "authorization_invalid",
    404: "resource_not_found",
    409: "conflict",
    422: "form_param_value_invalid",
}


@dataclass
class Fault:
    """The next `remaining` requests under `path` wait `delay` seconds, then fail with `status` if set."""

    status: int | None
    remaining: int
    retry_after: int | None
    delay: float
    path: str

    def error(self) -> ClerkAPIError:
        """The Clerk error this fault answers with (a 500 if it only had a delay)."""
        status = self.status or 500
        if status == 429:
            return errors.too_many_requests(self.retry_after if self.retry_after is not None else 1)
        if status >= 500:
            error = errors.internal_error(status)
        else:
            phrase = _phrase(status)
            error = ClerkAPIError(status, _FAULT_CODES.get(status, "bad_request"), phrase, f"{phrase} (injected fault)")
        if self.retry_after is not None:
            error.headers["Retry-After"] = str(self.retry_after)
        return error


class Faults:
    """A queue of injected faults; the first one whose path prefix matches a request is used."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, spec: Any) -> Fault:
        if not isinstance(spec, dict):
            raise errors.request_body_invalid()
        body = Body(spec)
        status = body.integer("status", minimum=400, maximum=599)
        delay = spec.get("delay", 0.0)
        if isinstance(delay, bool) or not isinstance(delay, int | float):
            raise errors.param_type_invalid("delay", "number")
        if not 0 <= delay <= MAX_DELAY:
            raise errors.param_value_invalid("delay", delay)
        if status is None and not delay:
            raise errors.param_missing("status")
        path = body.string("path") or ""
        if path and not path.startswith("/"):
            raise errors.param_format_invalid("path", "It must start with /.")
        count = body.integer("count", minimum=1)
        fault = Fault(
            status=status,
            remaining=1 if count is None else count,
            retry_after=body.integer("retry_after", minimum=0),
            delay=float(delay),
            path=path,
        )
        self._faults.append(fault)
        return fault

    def take(self, raw_path: str) -> Fault | None:
        """Consume one use of the first matching fault."""
        for fault in self._faults:
            if raw_path.startswith(fault.path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()

    def describe(self) -> list[dict[str, Any]]:
        return [asdict(f) for f in self._faults]


def key_id(authorization: str) -> str | None:
    """A short fingerprint of the bearer key, so tests can tell keys apart without the log holding any."""
    if not authorization:
        return None
    return hashlib.sha256(authorization.removeprefix("Bearer ").strip().encode()).hexdigest()[:12]


class RequestLog:
    """The last `MAX_LOG` API requests as received, oldest first."""

    def __init__(self) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_LOG)

    def record(self, method: str, raw_path: str, query: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "method": method,
            "path": raw_path,
            "query": query,
            "body": _json_or_none(body, headers.get("content-type", "")),
            "content_type": headers.get("content-type"),
            "user_agent": headers.get("user-agent"),
            "authorization_present": "authorization" in headers,
            "key_id": key_id(headers.get("authorization", "")),
            "status": None,
        }
        self._entries.append(entry)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        return list(self._entries)

    def clear(self) -> None:
        self._entries.clear()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _json_or_none(body: bytes, content_type: str) -> Any:
    if not body or content_type.startswith("multipart/"):
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
