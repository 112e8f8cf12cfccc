"""A confirmation the model cannot give itself, over real stdio with the `mcp` client against the sandbox.

The person's browser is `tests/approval_browser.py`, set as $BROWSER in the server's environment: it opens the
approval page and approves, denies, ignores it, or fails to start. The sandbox's request log proves what reached
the API; the "model" is played by code that replays everything a tool ever returned to it.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import httpx
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from server_helpers import sandbox_api, writes

from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
BROWSER_SCRIPT = Path(__file__).with_name("approval_browser.py")
KEY = "sk_test_approvalKEY0123456789"
ORG = DEMO_IDS["organization"]
DELETE = f"DELETE /v1/organizations/{ORG}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@pytest.fixture
def api(sandbox: str) -> Iterator[httpx.Client]:
    with sandbox_api(sandbox) as client:
        yield client


@asynccontextmanager
async def server(
    sandbox: str, tmp: Path, action: str, *args: str, elicit: Any = None, mode: str = "auto"
) -> AsyncIterator[Client]:
    """The real server over stdio; its stderr goes to tmp/stderr.txt, the browser's record to tmp/browser.jsonl."""
    browser = tmp / "browser"  # $BROWSER names one program (Python 3.11's webbrowser does not split it)
    browser.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{BROWSER_SCRIPT}" "$@"\n')
    browser.chmod(0o755)
    env = {
        "CLERK_SECRET_KEY": KEY,
        "BROWSER": str(browser),
        "APPROVAL_ACTION": action,
        "APPROVAL_RECORD": str(tmp / "browser.jsonl"),
    }
    params = StdioServerParameters(command=SERVER, args=["-t", "*", "--api-url", sandbox, *args], env=env)
    with (tmp / "stderr.txt").open("a") as err:
        async with Client(stdio_client(params, errlog=err), elicitation_callback=elicit, mode=mode) as client:  # type: ignore[arg-type]
            yield client


def seen_by_browser(tmp: Path) -> list[dict[str, str]]:
    path = tmp / "browser.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def audit_lines(home: Path) -> list[dict[str, Any]]:
    path = next(home.rglob("audit.jsonl"))
    return [json.loads(line) for line in path.read_text().splitlines()]


def strings_in(value: Any) -> list[str]:
    """Every string anywhere in a tool result: what a model that echoes everything could replay."""
    if isinstance(value, str):
        found = [value, *re.findall(r"[A-Za-z0-9_\-.~]{8,}", value)]
        with suppress(ValueError):
            found += strings_in(json.loads(value))
        return found
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings_in(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


def everything(result: types.CallToolResult) -> list[str]:
    return strings_in(result.model_dump(mode="json", by_alias=True))


def secret_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


async def test_approve_on_the_page_runs_the_call(
    sandbox: str, api: httpx.Client, tmp_path: Path, isolated_home: Path
) -> None:
    async with server(sandbox, tmp_path, "approve") as c:
        listed = {t.name: t for t in (await c.list_tools()).tools}
        assert set(listed["deleteOrganization"].input_schema["properties"]) == {"organizationId"}  # no token param
        done = await c.call_tool("deleteOrganization", {"organizationId": ORG})
    assert not done.is_error and done.structured_content["deleted"] is True
    assert writes(api) == [DELETE]
    (seen,) = seen_by_browser(tmp_path)
    assert seen["url"].startswith("http://127.0.0.1:")
    page = seen["page"]  # the person sees what will be affected, and plain form buttons
    for shown in ("deleteOrganization", "destructive", "Acme", "acme-corp", ORG, "method=post", "value=approve"):
        assert shown in page
    assert "<script" not in page
    secret = secret_of(seen["url"])
    line = audit_lines(isolated_home)[-1]
    assert line["confirmation"] == "person-on-approval-page" and line["status"] == "ok"
    for where in (json.dumps(done.model_dump(mode="json")), (tmp_path / "stderr.txt").read_text(), json.dumps(line)):
        assert secret not in where  # never in a tool result, a log line or the audit log


async def test_deny_on_the_page_sends_nothing(
    sandbox: str, api: httpx.Client, tmp_path: Path, isolated_home: Path
) -> None:
    async with server(sandbox, tmp_path, "deny") as c:
        held = await c.call_tool("deleteOrganization", {"organizationId": ORG})
    assert not held.is_error and held.structured_content["declined"] is True
    assert writes(api) == []
    assert audit_lines(isolated_home)[-1]["confirmation"] == "declined"


@pytest.mark.filterwarnings("ignore:ping is removed")
async def test_no_answer_is_refused_after_the_timeout_and_the_server_keeps_serving(
    sandbox: str, api: httpx.Client, tmp_path: Path, isolated_home: Path
) -> None:
    # legacy: the 2025 protocol still has ping
    async with server(sandbox, tmp_path, "ignore", "--approval-timeout", "3", mode="legacy") as c:
        outcome: dict[str, Any] = {}
        started = time.monotonic()

        async def delete() -> None:
            outcome["result"] = await c.call_tool("deleteOrganization", {"organizationId": ORG})
            outcome["after"] = time.monotonic() - started

        async with anyio.create_task_group() as tg:
            tg.start_soon(delete)
            await anyio.sleep(0.5)
            await c.send_ping()  # the event loop is free while the person decides
            count = await c.call_tool("getUserCount", {})
            outcome["other_call"] = time.monotonic() - started
        # A late answer finds the link dead.
        (seen,) = seen_by_browser(tmp_path)
        async with httpx.AsyncClient(timeout=5) as http:
            late = await http.post(seen["url"], data={"secret": secret_of(seen["url"]), "decision": "approve"})
        assert late.status_code == 404
    assert not count.is_error and outcome["other_call"] < 2.5
    held = outcome["result"]
    assert held.structured_content["declined"] is True and held.structured_content["reason"] == "timed-out"
    assert 2.9 <= outcome["after"] < 8
    assert writes(api) == []
    assert audit_lines(isolated_home)[-1]["confirmation"] == "timed-out"
    assert writes(api) == []


@pytest.mark.parametrize("how", [("fail",), ("approve", "--no-browser")])
async def test_no_browser_and_no_elicitation_is_refused(
    sandbox: str, api: httpx.Client, tmp_path: Path, isolated_home: Path, how: tuple[str, ...]
) -> None:
    async with server(sandbox, tmp_path, how[0], *how[1:]) as c:
        refused = await c.call_tool("deleteOrganization", {"organizationId": ORG})
    assert refused.is_error
    error = refused.structured_content["error"]
    assert error["code"] == "confirmation_unavailable"
    for way in ("elicitation", "approval page", "--confirm none"):
        assert way in error["hint"]
    assert writes(api) == []
    assert audit_lines(isolated_home)[-1]["confirmation"] == "refused"


async def test_a_model_echoing_everything_it_saw_cannot_approve(
    sandbox: str, api: httpx.Client, tmp_path: Path
) -> None:
    """Whatever a tool returned (previews, ids, messages) replayed as arguments or posted to the page approves
    nothing; only the person's browser, which the model never sees, holds the page's secret."""
    async with server(sandbox, tmp_path, "ignore", "--approval-timeout", "4") as c:
        first = await c.call_tool("getOrganization", {"organizationId": ORG})
        declined = await c.call_tool("revokeInvitation", {"invitationId": DEMO_IDS["pending_invitation"]})
        seen = everything(first) + everything(declined)
        assert declined.structured_content["reason"] == "timed-out"
        page_url = seen_by_browser(tmp_path)[0]["url"]
        port = page_url.split(":")[2].split("/")[0]  # assume the worst: the model even knows the port
        assert secret_of(page_url) not in " ".join(seen)

        outcome: dict[str, Any] = {}

        async def delete() -> None:
            outcome["result"] = await c.call_tool("deleteOrganization", {"organizationId": ORG})

        async with anyio.create_task_group() as tg:
            tg.start_soon(delete)
            await anyio.sleep(0.7)  # the person's page is now pending
            answers = []
            async with httpx.AsyncClient(timeout=5) as http:
                for guess in dict.fromkeys(seen):
                    base = f"http://127.0.0.1:{port}/approve/{quote(guess, safe='')}"
                    form = {"secret": guess, "decision": "approve"}
                    try:
                        answers.append((await http.post(base, data=form)).status_code)
                        answers.append((await http.get(base)).status_code)
                    except httpx.HTTPError:
                        answers.append(0)
            # And the same guesses as arguments to the call itself.
            replay = {f"k{i}": guess for i, guess in enumerate(list(dict.fromkeys(seen))[:20])}
            smuggled = await c.call_tool("deleteOrganization", {"organizationId": ORG, "confirmToken": "x", **replay})
    assert answers and 200 not in answers
    assert outcome["result"].structured_content["reason"] == "timed-out"
    assert smuggled.is_error or smuggled.structured_content.get("declined") is True
    assert writes(api) == []


async def test_the_page_refuses_other_hosts_origins_and_a_second_answer(
    sandbox: str, api: httpx.Client, tmp_path: Path
) -> None:
    async with server(sandbox, tmp_path, "ignore", "--approval-timeout", "10") as c:
        outcome: dict[str, Any] = {}

        async def delete() -> None:
            outcome["result"] = await c.call_tool("deleteOrganization", {"organizationId": ORG})

        async with anyio.create_task_group() as tg:
            tg.start_soon(delete)
            with anyio.fail_after(5):
                while not seen_by_browser(tmp_path):
                    await anyio.sleep(0.05)
            url = seen_by_browser(tmp_path)[0]["url"]
            secret = secret_of(url)
            form = {"secret": secret, "decision": "approve"}
            async with httpx.AsyncClient(timeout=5) as http:
                page = await http.get(url)
                assert page.headers["cache-control"].startswith("no-store")
                assert page.headers["x-frame-options"] == "DENY"
                assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
                rebound = await http.get(url, headers={"Host": "evil.example"})
                assert rebound.status_code == 421  # DNS rebinding: another name for 127.0.0.1
                cross = await http.post(url, data=form, headers={"Origin": "http://evil.example"})
                assert cross.status_code == 403  # CSRF from another page
                no_secret = await http.post(url, data={"decision": "approve"})
                assert no_secret.status_code == 400  # the form must carry the secret
                wrong = await http.post(url[:-1] + ("A" if url[-1] != "A" else "B"), data=form)
                assert wrong.status_code in (400, 404)
                assert writes(api) == []
                ok = await http.post(url, data=form, headers={"Origin": url.split("/approve")[0]})
                assert ok.status_code == 200 and "no-store" in ok.headers["cache-control"]
                again = await http.post(url, data=form)
                assert again.status_code == 404  # single use
    assert outcome["result"].structured_content["deleted"] is True
    assert writes(api) == [DELETE]


async def test_a_client_answer_is_accepted_once(sandbox: str, api: httpx.Client, tmp_path: Path) -> None:
    """2026-07-28 elicitation: the client sends back our requestState with the person's answer; replaying that
    exchange (the old token-replay attack) runs nothing more."""

    async def never(*_: Any) -> types.ElicitResult:
        raise AssertionError("driven by hand")

    async with server(sandbox, tmp_path, "fail", elicit=never) as c:
        asked = await c.session.call_tool("deleteOrganization", {"organizationId": ORG}, allow_input_required=True)
        assert isinstance(asked, types.InputRequiredResult) and asked.request_state
        yes = {"confirm": types.ElicitResult(action="accept", content={"confirm": True})}
        outcomes = []
        for _ in range(5):
            outcomes.append(
                await c.session.call_tool(
                    "deleteOrganization",
                    {"organizationId": ORG},
                    input_responses=yes,
                    request_state=asked.request_state,
                )
            )
        other = await c.session.call_tool(
            "deleteOrganization",
            {"organizationId": DEMO_IDS["other_organization"]},
            input_responses=yes,
            request_state=(
                await c.session.call_tool("deleteOrganization", {"organizationId": ORG}, allow_input_required=True)
            ).request_state,
        )
    first, *replays = outcomes
    assert first.structured_content["deleted"] is True
    assert all(r.is_error and "already used" in r.structured_content["error"]["message"] for r in replays)
    assert other.is_error and "different call" in other.structured_content["error"]["message"]
    assert writes(api) == [DELETE]


async def test_an_answer_does_not_survive_a_restart(sandbox: str, api: httpx.Client, tmp_path: Path) -> None:
    """stdio signs its questions with a key of that process alone: after a restart an old answer runs nothing."""

    async def never(*_: Any) -> types.ElicitResult:
        raise AssertionError("driven by hand")

    async with server(sandbox, tmp_path, "fail", elicit=never) as c:
        asked = await c.session.call_tool("deleteOrganization", {"organizationId": ORG}, allow_input_required=True)
    assert isinstance(asked, types.InputRequiredResult)
    yes = {"confirm": types.ElicitResult(action="accept", content={"confirm": True})}
    async with server(sandbox, tmp_path, "fail", elicit=never) as c:
        late = await c.session.call_tool(
            "deleteOrganization", {"organizationId": ORG}, input_responses=yes, request_state=asked.request_state
        )
    assert late.is_error and "not one this server issued" in late.structured_content["error"]["message"]
    assert writes(api) == []
