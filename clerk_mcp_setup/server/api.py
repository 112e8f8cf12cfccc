"""The Clerk Backend API client: one pooled httpx client, safe paths, bounded retries, structured errors.

Every failure becomes a `ClerkAPIError` that keeps what Clerk said (code, long message, trace id,
Retry-After) because "Not Found" alone tells an agent nothing about what to do next.

httpx is imported, and the pooled client made, on the first request: a client that only lists tools
never pays for it (about a tenth of the server's start-up).
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import anyio

from clerk_mcp_setup import __version__
from clerk_mcp_setup.server.results import scrub_text, strip_private

if TYPE_CHECKING:
    import httpx

DEFAULT_API_URL = "https://api.clerk.com"
API_VERSION = "2026-05-12"
_PATH_PARAM = re.compile(r"\{(\w+)\}")
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def user_agent() -> str:
    import httpx

    return f"clerk-mcp-setup/{__version__} (clerk-mcp-server; httpx/{httpx.__version__})"


def __getattr__(name: str) -> Any:
    if name == "USER_AGENT":  # computed on demand so that importing this module does not import httpx
        return user_agent()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ClerkAPIError(Exception):
    """A failed API call with everything Clerk told us about it."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        long_message: str | None = None,
        clerk_trace_id: str | None = None,
        retry_after: float | None = None,
        meta: Any = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.hint = hint
        self.status = status
        self.code = code
        self.message = message
        self.long_message = long_message
        self.clerk_trace_id = clerk_trace_id
        self.retry_after = retry_after
        self.meta = meta

    def to_dict(self) -> dict[str, Any]:
        """The error as a tool result carries it."""
        out = {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "long_message": self.long_message,
            "clerk_trace_id": self.clerk_trace_id,
            "retry_after": self.retry_after,
        }
        if self.meta:
            out["meta"] = self.meta
        if self.hint:
            out["hint"] = self.hint
        return out


def normalize_api_url(url: str | None) -> str:
    """`https://api.clerk.com` or `…/v1` (with or without a trailing slash) → `…/v1`.

    The old server took the base without `/v1`; accepting both keeps its configs working.
    """
    url = (url or DEFAULT_API_URL).strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+", url):
        raise ValueError(f"API URL must start with http:// or https:// and name a host, got {url!r}")
    return url if url.endswith("/v1") else url + "/v1"


def encode_segment(value: Any, name: str) -> str:
    """One path segment, percent-encoded so an id can never add segments or climb with `..`."""
    text = str(value)
    if not text.strip():
        raise ClerkAPIError(f"{name} must not be empty.", code="invalid_argument")
    encoded = quote(text, safe="")
    if set(text) == {"."}:
        encoded = "%2E" * len(text)
    return encoded


def build_path(template: str, params: Mapping[str, Any]) -> str:
    """Fill `{name}` placeholders with encoded values; a missing value is an error, not `None`."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if params.get(key) is None:
            raise ClerkAPIError(f"{key} is required.", code="invalid_argument")
        return encode_segment(params[key], key)

    return _PATH_PARAM.sub(fill, template)


def _query_items(query: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Lists become repeated keys (`user_id=a&user_id=b`), booleans `true`/`false`, None is dropped."""
    items: list[tuple[str, str]] = []
    for key, value in (query or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if v is None:
                continue
            items.append((key, ("true" if v else "false") if isinstance(v, bool) else str(v)))
    return items


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def error_from_response(response: httpx.Response) -> ClerkAPIError:
    """Turn Clerk's error envelope (or whatever came back) into a ClerkAPIError."""
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        first = body["errors"][0] if isinstance(body["errors"][0], dict) else {}
        return ClerkAPIError(
            str(first.get("message") or response.reason_phrase),
            status=response.status_code,
            code=first.get("code"),
            long_message=first.get("long_message"),
            clerk_trace_id=body.get("clerk_trace_id"),
            retry_after=retry_after,
            meta=strip_private(first.get("meta")) or None,
        )
    # Not Clerk's envelope: show a little of it (without private metadata) so the failure can be understood.
    snippet = (json.dumps(strip_private(body)) if body is not None else scrub_text(response.text))[:200].strip()
    return ClerkAPIError(
        f"HTTP {response.status_code} {response.reason_phrase}" + (f": {snippet}" if snippet else ""),
        status=response.status_code,
        code=f"http_{response.status_code}",
        retry_after=retry_after,
        clerk_trace_id=response.headers.get("x-clerk-trace-id"),
    )


def _retryable(method: str, status: int) -> bool:
    """429 and gateway errors were never processed; a 500 may have been, so only idempotent calls."""
    if status in (429, 502, 503, 504):
        return True
    return status >= 500 and method in _IDEMPOTENT


class ClerkAPI:
    """An async client for one Clerk instance (one secret key)."""

    def __init__(
        self,
        secret_key: str,
        api_url: str | None = None,
        *,
        timeout: float = 20.0,
        max_retries: int = 3,
        max_wait: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self.base_url = normalize_api_url(api_url)
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_wait = max_wait
        self._sleep = sleep
        self._secret_key = secret_key
        self._transport = transport
        self._http: httpx.AsyncClient | None = None

    @property
    def _client(self) -> httpx.AsyncClient:
        """The pooled client, made on first use."""
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers={
                    "Authorization": f"Bearer {self._secret_key}",
                    "User-Agent": user_agent(),
                    "Clerk-API-Version": API_VERSION,
                    "Accept": "application/json",
                },
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
                transport=self._transport,
                follow_redirects=False,
            )
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def __aenter__(self) -> ClerkAPI:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        return min(self.max_wait, 0.25 * (2**attempt)) * (0.5 + random.random() / 2)

    async def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one call, retrying 429/5xx within bounds, and return the decoded JSON body."""
        import httpx

        url = build_path(path, path_params or {})
        params = _query_items(query)
        attempt = 0
        while True:
            try:
                response = await self._client.request(method, url.lstrip("/"), params=params, json=json, files=files)
            except httpx.TransportError as exc:
                # A refused connection never reached Clerk; a timeout may have, so only reads are repeated.
                timed_out = isinstance(exc, httpx.TimeoutException)
                safe = method in _IDEMPOTENT if timed_out else isinstance(exc, httpx.ConnectError)
                if safe and attempt < self.max_retries:
                    attempt += 1
                    await self._sleep(self._backoff(attempt, None))
                    continue
                if timed_out:
                    message = f"Clerk API did not answer within {self.timeout:g} s ({type(exc).__name__})."
                else:
                    message = f"Could not reach the Clerk API at {self.base_url}: {type(exc).__name__}."
                raise ClerkAPIError(message, code="timeout" if timed_out else "network_error") from None
            if response.is_success:
                if not response.content:
                    return None
                try:
                    return response.json()
                except ValueError:
                    return response.text
            error = error_from_response(response)
            if not _retryable(method, response.status_code) or attempt >= self.max_retries:
                raise error
            wait = self._backoff(attempt, error.retry_after)
            if wait > self.max_wait:
                raise error
            attempt += 1
            await self._sleep(wait)
