"""Every tool of `--tools '*'` called against the sandbox: in-process with each raw answer validated against
Clerk's spec, and over real stdio through the `clerk-mcp-server` console script.

The calls and what each must achieve are in tests/tool_samples.py (one table, one order).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from test_sandbox_spec import assert_valid, response_validator
from tool_samples import SAMPLES, USER, Sample

from clerk_mcp_setup.server import handlers
from clerk_mcp_setup.server.api import ClerkAPI
from clerk_mcp_setup.server.catalog import BY_NAME, CATALOG
from clerk_mcp_setup.server.fetch import FetchPolicy
from clerk_mcp_setup.server.results import strip_private
from clerk_mcp_setup.server.sandbox import create_app
from clerk_mcp_setup.server.sandbox.routes import ROUTES, match_route
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_everyTOOLkey0123456789"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def image_url() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/logo.png"
    httpd.shutdown()
    httpd.server_close()


def as_result(data: Any) -> Any:
    """What a client sees: private metadata stripped, a non-object answer wrapped as `{result}`."""
    data = strip_private(data)
    return data if isinstance(data, dict) else {"result": data}


def test_samples_cover_every_tool_once() -> None:
    names = [s.tool for s in SAMPLES]
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    assert set(names) == {t.name for t in CATALOG}


def test_every_catalog_call_has_a_sandbox_route() -> None:
    served = {(r.method, r.path) for r in ROUTES}
    calls = {(t.method, t.path) for t in CATALOG if t.path} | {c for t in CATALOG for c in t.extra_calls}
    assert calls <= served, sorted(calls - served)


def test_every_custom_handler_exists() -> None:
    missing = {t.name: t.handler for t in CATALOG if t.handler and t.handler not in handlers.CUSTOM}
    assert not missing, missing


# --- in-process: every raw answer checked against the spec ---------------------------------------


class Recording(httpx.AsyncBaseTransport):
    """Passes requests to the sandbox app and keeps (method, path, status, body) of each answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, str, int, bytes]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.seen.append((request.method, request.url.raw_path.decode().split("?")[0], response.status_code, body))
        return httpx.Response(response.status_code, headers=response.headers, content=body)


async def test_every_tool_in_process_answers_match_the_spec(bapi_spec: dict[str, Any], image_url: str) -> None:
    recording = Recording(httpx.ASGITransport(app=create_app(secret_key=KEY)))
    api = ClerkAPI(KEY, "http://sandbox", transport=recording)
    # The local image server is plain http on 127.0.0.1: allowed explicitly, as an operator would (fetch.py).
    rt = handlers.Runtime(api=api, user_id=USER, fetch=FetchPolicy.allowing([httpx.URL(image_url).netloc.decode()]))
    results: dict[str, Any] = {}
    try:
        for sample in SAMPLES:
            tool = BY_NAME[sample.tool]
            args = sample.arguments(results, image_url)
            recording.seen.clear()
            raw = await handlers.run_tool(rt, tool, args)
            results[tool.name] = result = as_result(raw)
            assert sample.check is None or sample.check(result), (tool.name, result)
            for method, path, status, body in recording.seen:
                found = match_route(method, path.split("/")[2:])
                assert found and 200 <= status < 300, (tool.name, method, path, status, body[:300])
                if status != 204:
                    template = found[0].path
                    validator = response_validator(bapi_spec, method, template, str(status))
                    assert_valid(validator, json.loads(body), f"{tool.name}: {method} {template}")
    finally:
        await api.aclose()
    assert set(results) == {t.name for t in CATALOG}


# --- over real stdio ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@asynccontextmanager
async def server(*args: str) -> AsyncIterator[Client]:
    params = StdioServerParameters(command=SERVER, args=list(args), env={"CLERK_SECRET_KEY": KEY})
    async with Client(stdio_client(params, errlog=sys.stderr)) as client:
        yield client


async def test_every_tool_over_stdio(sandbox: str, image_url: str) -> None:
    """`--tools '*'` lists the whole catalog, and each tool called through the real server succeeds."""
    httpx.post(f"{sandbox}/__sandbox/reset")
    results: dict[str, Any] = {}
    failures: list[str] = []
    args = ["-t", "*", "--api-url", sandbox, "--user-id", USER, "--confirm", "none"]
    args += ["--allow-fetch-host", httpx.URL(image_url).netloc.decode()]
    async with server(*args) as c:
        listed = await c.list_tools()
        assert [t.name for t in listed.tools] == [t.name for t in CATALOG]
        for sample in SAMPLES:
            result = await c.call_tool(sample.tool, sample.arguments(results, image_url))
            text = getattr(result.content[0], "text", "") if result.content else ""
            if result.is_error:
                failures.append(f"{sample.tool}: {text[:300]}")
                continue
            results[sample.tool] = data = result.structured_content
            if not _passes(sample, data):
                failures.append(f"{sample.tool}: check failed on {text[:300]}")
    assert not failures, "\n".join(failures)
    assert set(results) == {t.name for t in CATALOG}


def _passes(sample: Sample, data: Any) -> bool:
    return sample.check is None or bool(sample.check(data))
