"""The Clerk API client against a scripted transport: headers, safe paths, retries, error mapping."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable

import httpx
import pytest

from clerk_mcp_setup import __version__
from clerk_mcp_setup.server.api import ClerkAPI, ClerkAPIError, build_path, normalize_api_url

KEY = "sk_test_abcdefghijklmnop"


def clerk_error(status: int, code: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {
        "errors": [{"code": code, "message": f"{code} short", "long_message": f"{code} long", "meta": {}}],
        "clerk_trace_id": "trace-123",
    }
    return httpx.Response(status, json=body, headers=headers)


class Script:
    """Answers requests from a list of responses (or callables) and records what was sent."""

    def __init__(self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response] | Exception):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) else answer


def client(script: Script, waits: list[float] | None = None, **kw: object) -> ClerkAPI:
    async def fake_sleep(seconds: float) -> None:
        (waits if waits is not None else []).append(seconds)

    return ClerkAPI(KEY, "http://clerk.test", transport=httpx.MockTransport(script), sleep=fake_sleep, **kw)


async def test_headers_and_base_url() -> None:
    script = Script(httpx.Response(200, json={"id": "user_1"}))
    async with client(script) as api:
        assert await api.request("GET", "/users/{user_id}", path_params={"user_id": "user_1"}) == {"id": "user_1"}
    sent = script.requests[0]
    assert str(sent.url) == "http://clerk.test/v1/users/user_1"
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["User-Agent"].startswith(f"clerk-mcp-setup/{__version__}")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "https://api.clerk.com/v1"),
        ("https://api.clerk.com", "https://api.clerk.com/v1"),
        ("https://api.clerk.com/", "https://api.clerk.com/v1"),
        ("https://api.clerk.com/v1", "https://api.clerk.com/v1"),
        ("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1"),
    ],
)
def test_api_url_normalisation(given: str | None, expected: str) -> None:
    assert normalize_api_url(given) == expected


@pytest.mark.parametrize("bad", ["api.clerk.com", "ftp://x", "https://", ""])
def test_bad_api_url(bad: str) -> None:
    if bad == "":
        assert normalize_api_url(bad) == "https://api.clerk.com/v1"  # empty means the default
        return
    with pytest.raises(ValueError, match="http"):
        normalize_api_url(bad)


@pytest.mark.parametrize(
    ("ident", "segment"),
    [
        ("../organizations", "..%2Forganizations"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a/b", "a%2Fb"),
        ("a?b=c#d", "a%3Fb%3Dc%23d"),
        ("%2F", "%252F"),
        ("user 1", "user%201"),
        ("ユーザー", "%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BC"),
    ],
)
async def test_path_parameters_cannot_change_the_path(ident: str, segment: str) -> None:
    assert build_path("/users/{user_id}", {"user_id": ident}) == f"/users/{segment}"
    script = Script(httpx.Response(404, json={"errors": []}))
    async with client(script) as api:
        with pytest.raises(ClerkAPIError):
            await api.request("GET", "/users/{user_id}/metadata", path_params={"user_id": ident})
    assert script.requests[0].url.raw_path.decode() == f"/v1/users/{segment}/metadata"


@pytest.mark.parametrize("ident", ["", "   ", None])
def test_empty_ids_are_refused(ident: str | None) -> None:
    with pytest.raises(ClerkAPIError) as info:
        build_path("/users/{user_id}", {"user_id": ident})
    assert info.value.code == "invalid_argument"


async def test_query_lists_and_booleans() -> None:
    script = Script(httpx.Response(200, json=[]))
    async with client(script) as api:
        await api.request("GET", "/users", query={"user_id": ["a", "b"], "banned": False, "offset": 0, "query": None})
    assert script.requests[0].url.query.decode() == "user_id=a&user_id=b&banned=false&offset=0"


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "authentication_invalid"), (404, "resource_not_found"), (422, "form_param_missing")],
)
async def test_errors_keep_what_clerk_said(status: int, code: str) -> None:
    script = Script(clerk_error(status, code))
    async with client(script) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("GET", "/users")
    err = info.value.to_dict()
    assert err["status"] == status
    assert err["code"] == code
    assert err["message"] == f"{code} short"
    assert err["long_message"] == f"{code} long"
    assert err["clerk_trace_id"] == "trace-123"
    assert len(script.requests) == 1  # client errors are not retried


async def test_429_then_success_honours_retry_after() -> None:
    waits: list[float] = []
    script = Script(clerk_error(429, "too_many_requests", {"Retry-After": "2"}), httpx.Response(200, json=[]))
    async with client(script, waits) as api:
        assert await api.request("POST", "/invitations", json={"email_address": "a@b.c"}) == []
    assert waits == [2.0]
    assert len(script.requests) == 2


async def test_retry_after_as_http_date() -> None:
    waits: list[float] = []
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    script = Script(clerk_error(429, "too_many_requests", {"Retry-After": when}), httpx.Response(200, json={}))
    async with client(script, waits) as api:
        await api.request("GET", "/users")
    assert 1.0 <= waits[0] <= 3.5


async def test_retries_are_bounded_and_report_retry_after() -> None:
    waits: list[float] = []
    script = Script(clerk_error(429, "too_many_requests", {"Retry-After": "1"}))
    async with client(script, waits, max_retries=2) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("GET", "/users")
    assert len(script.requests) == 3
    assert waits == [1.0, 1.0]
    assert info.value.status == 429
    assert info.value.retry_after == 1.0


async def test_a_long_retry_after_is_not_waited_out() -> None:
    waits: list[float] = []
    script = Script(clerk_error(429, "too_many_requests", {"Retry-After": "3600"}))
    async with client(script, waits) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("GET", "/users")
    assert waits == [] and len(script.requests) == 1
    assert info.value.retry_after == 3600.0


async def test_500_retried_for_get_not_for_post() -> None:
    waits: list[float] = []
    script = Script(clerk_error(500, "internal_clerk_error"), httpx.Response(200, json={"ok": True}))
    async with client(script, waits) as api:
        assert await api.request("GET", "/users/count") == {"ok": True}
    assert len(waits) == 1 and 0 < waits[0] <= 10

    script = Script(clerk_error(500, "internal_clerk_error"), httpx.Response(200, json={"ok": True}))
    async with client(script) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("POST", "/organizations", json={"name": "x"})
    assert info.value.status == 500 and len(script.requests) == 1


async def test_503_retried_for_post() -> None:
    script = Script(clerk_error(503, "service_unavailable"), httpx.Response(200, json={"id": "org_1"}))
    async with client(script) as api:
        assert await api.request("POST", "/organizations", json={"name": "x"}) == {"id": "org_1"}


async def test_timeout_becomes_a_structured_error() -> None:
    script = Script(httpx.ReadTimeout("slow"))
    async with client(script, timeout=1.5, max_retries=1) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("GET", "/users")
    assert info.value.code == "timeout"
    assert "1.5 s" in info.value.message
    assert len(script.requests) == 2  # one retry for an idempotent call

    script = Script(httpx.ReadTimeout("slow"))
    async with client(script) as api:
        with pytest.raises(ClerkAPIError):
            await api.request("POST", "/invitations", json={})
    assert len(script.requests) == 1  # a POST may have been applied: never repeated after a timeout


async def test_connect_error_names_the_url_not_the_key() -> None:
    script = Script(httpx.ConnectError("refused"))
    async with client(script, max_retries=1) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("GET", "/users")
    assert info.value.code == "network_error"
    assert "http://clerk.test/v1" in info.value.message
    assert KEY not in json.dumps(info.value.to_dict())


async def test_non_json_error_body() -> None:
    script = Script(httpx.Response(502, text="<html>Bad gateway</html>"))
    async with client(script, max_retries=0) as api:
        with pytest.raises(ClerkAPIError) as info:
            await api.request("GET", "/users")
    assert info.value.status == 502
    assert info.value.code == "http_502"
    assert "Bad gateway" in info.value.message
