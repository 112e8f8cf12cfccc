"""Nothing private leaves through an error, and no key-shaped string reaches a log line, in any mode.

Private metadata: Clerk's error `meta`, a non-Clerk JSON error body, a body that is not JSON at all, and a
non-JSON success body. Keys: the server's own, a public-mode request's own, one a model pastes into an
argument, a bearer token, an `X-Clerk-Secret-Key` value, over stdio and HTTP with `-v`.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from clerk_mcp_setup.server.api import ClerkAPI
from clerk_mcp_setup.server.app import configure_logging
from clerk_mcp_setup.server.audit import AuditLog
from clerk_mcp_setup.server.calls import Caller, Policy, handle
from clerk_mcp_setup.server.catalog import BY_NAME
from clerk_mcp_setup.server.confirm import StateSigner
from clerk_mcp_setup.server.handlers import Runtime
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
SECRET = "TOP-SECRET-salary-180k"
PASTED = "sk_live_pastedByTheModel0123456789"
KEY = "sk_test_redactionKEY0123456789"


async def call_with_answer(responder: Callable[[httpx.Request], httpx.Response], tmp_path: Path) -> str:
    """getUser against a fake Clerk that answers with `responder`; the text the model would read."""
    api = ClerkAPI(KEY, "http://clerk.invalid", transport=httpx.MockTransport(responder), max_retries=0)
    policy = Policy("none", StateSigner(ttl=60), AuditLog(str(tmp_path / "a.jsonl"), (KEY,)))
    out = await handle(Runtime(api=api), BY_NAME["getUser"], {"userId": "user_1"}, policy, Caller())
    await api.aclose()
    return out.content[0].text + json.dumps(out.structured_content) + (tmp_path / "a.jsonl").read_text()


PRIVATE = {"private_metadata": {"salary": SECRET}, "id": "user_1"}
ANSWERS = {
    "clerk error meta": lambda r: httpx.Response(
        422, json={"errors": [{"code": "x", "message": "bad", "meta": {"param_name": "p", **PRIVATE}}]}
    ),
    "clerk error nested meta": lambda r: httpx.Response(
        404, json={"errors": [{"code": "x", "message": "m", "meta": {"user": {"privateMetadata": SECRET}}}]}
    ),
    "json, not clerk's envelope": lambda r: httpx.Response(500, json={"user": PRIVATE}),
    "text body": lambda r: httpx.Response(502, text=f"upstream said private_metadata={SECRET}"),
    "html body": lambda r: httpx.Response(503, text=f"<html><pre>{{'privateMetadata': '{SECRET}'}}</pre></html>"),
    "text success": lambda r: httpx.Response(200, text=f"private_metadata: {SECRET}"),
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
async def test_private_metadata_never_leaves_through_any_path(answer: Any, tmp_path: Path) -> None:
    seen = await call_with_answer(answer, tmp_path)
    assert SECRET not in seen


async def test_an_error_body_still_says_what_went_wrong(tmp_path: Path) -> None:
    seen = await call_with_answer(lambda r: httpx.Response(502, text="Bad gateway: upstream timed out"), tmp_path)
    assert "upstream timed out" in seen
    seen = await call_with_answer(ANSWERS["clerk error meta"], tmp_path)
    assert '"param_name":"p"' in seen


LINES = [
    f"call getUser arguments={{'userId': '{PASTED}'}}",
    "headers: {'authorization': 'Bearer sk_test_AAAAbearerValue999', 'x': 1}",
    "X-Clerk-Secret-Key: some-opaque-request-key-123",
    "{'x-clerk-secret-key': 'another-opaque-key-456'}",
    "Authorization: bearer oat_opaqueOAuthToken789",
    "send_request_headers request=[(b'x-clerk-secret-key', b'opaque-request-key-in-httpcore')]",
]


def test_ordinary_words_survive() -> None:
    from clerk_mcp_setup.server.results import redact_key_shapes

    line = "bearer token refused: InvalidTokenError; set X-Clerk-Secret-Key or --secret-key"
    assert redact_key_shapes(line) == line  # nothing key-shaped in it


@pytest.mark.parametrize("line", LINES)
def test_key_shapes_are_redacted_from_log_lines(line: str, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(verbose=True, secrets=())  # public mode: the server holds no key of its own
    try:
        logging.getLogger("mcp.server").debug("%s", line)
        try:
            raise ValueError(line)
        except ValueError:
            logging.getLogger("x").exception("failed")
    finally:
        logging.getLogger().handlers.clear()
    err = capsys.readouterr().err
    for secret in ("pastedByTheModel", "bearerValue999", "opaque-request-key", "another-opaque", "opaqueOAuth"):
        assert secret not in err
    assert "[redacted secret key]" in err


async def test_stdio_verbose_logs_no_pasted_key(tmp_path: Path) -> None:
    errlog = (tmp_path / "stderr.txt").open("w")
    params = StdioServerParameters(command=SERVER, args=["--demo", "-v", "--audit-log", "-"], env={})
    async with Client(stdio_client(params, errlog=errlog)) as client:
        await client.call_tool("getUser", {"userId": PASTED})
        await client.call_tool("listUsers", {"query": f"Bearer {PASTED}"})
    errlog.close()
    err = (tmp_path / "stderr.txt").read_text()
    assert "getUser" in err  # the verbose log and the audit line were written …
    assert "pastedByTheModel" not in err  # … without the key


@pytest.fixture
def public_verbose(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The real console script in public HTTP mode with -v on an ephemeral port; its stderr in a file."""
    log = tmp_path / "stderr.txt"
    env = {k: v for k, v in os.environ.items() if k != "CLERK_SECRET_KEY"}
    with running_sandbox() as sandbox, log.open("w") as err:
        proc = subprocess.Popen(
            [SERVER, "--transport", "http", "--port", "0", "-v", "--api-url", sandbox, "--audit-log", "-"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            deadline = time.monotonic() + 20
            while "running on http://" not in log.read_text():
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            url = log.read_text().split("running on ", 1)[1].split()[0]
            yield url, log
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_public_http_verbose_logs_no_key(public_verbose: tuple[str, Path]) -> None:
    url, log = public_verbose
    headers = {
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
        "X-Clerk-Secret-Key": KEY,
    }
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    with httpx.Client(base_url=url, headers=headers, timeout=20) as http:
        first = http.post("/mcp", json=init)
        assert first.status_code == 200, first.text
        session = first.headers.get("mcp-session-id")
        more = {"mcp-session-id": session} if session else {}
        http.post("/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=more)
        call = {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "getUser", "arguments": {"userId": PASTED}},
        }
        answer = http.post("/mcp", json=call, headers=more)
        assert answer.status_code == 200
        http.post(f"/mcp?key={PASTED}", json=call, headers=more)  # a key in a URL reaches the access log
    time.sleep(0.3)
    err = log.read_text()
    assert "getUser" in err and "POST /mcp" in err  # the SDK's debug lines and uvicorn's access lines are there
    assert "pastedByTheModel" not in err and KEY not in err, err[-2000:]
    assert DEMO_IDS  # the sandbox's seed was served (keeps the import honest)
