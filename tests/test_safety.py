"""Confirmation before irreversible calls (elicitation in the client, the approval page, refusal) and the audit
log, over real stdio against the sandbox; the sandbox's request log proves what reached the API."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import mcp_types as types
import pytest
from mcp import Client, StdioServerParameters
from server_helpers import sandbox_api, writes

from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_safetyKEY0123456789"
ORG = DEMO_IDS["organization"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@pytest.fixture
def api(sandbox: str) -> Iterator[httpx.Client]:
    with sandbox_api(sandbox) as client:
        yield client


@asynccontextmanager
async def server(sandbox: str, *args: str, elicit: Any = None, mode: str = "auto") -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=SERVER, args=["-t", "*", "--api-url", sandbox, *args], env={"CLERK_SECRET_KEY": KEY}
    )
    async with Client(params, elicitation_callback=elicit, mode=mode) as client:  # type: ignore[arg-type]
        yield client


def audit_lines(home: Path) -> list[dict[str, Any]]:
    path = next(home.rglob("audit.jsonl"))
    return [json.loads(line) for line in path.read_text().splitlines()]


def _answer(action: str, confirm: bool = True) -> Any:
    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        assert "Acme" in params.message  # the person sees what will be affected
        return types.ElicitResult(action=action, content={"confirm": confirm} if action == "accept" else None)

    return callback


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # 2026-07-28 input_required, and the 2025 request of its own
async def test_elicitation_accepted_runs_the_call(
    sandbox: str, api: httpx.Client, mode: str, isolated_home: Path
) -> None:
    async with server(sandbox, elicit=_answer("accept"), mode=mode) as c:
        if mode == "legacy":
            assert c.protocol_version == "2025-11-25"
        done = await c.call_tool("deleteOrganization", {"organizationId": ORG})
    assert not done.is_error and done.structured_content["deleted"] is True
    assert writes(api) == [f"DELETE /v1/organizations/{ORG}"]
    assert audit_lines(isolated_home)[-1]["confirmation"] == "person-in-client"


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize(("action", "confirm"), [("decline", True), ("cancel", True), ("accept", False)])
async def test_elicitation_declined_is_reported_not_an_error(
    sandbox: str, api: httpx.Client, action: str, confirm: bool, mode: str
) -> None:
    async with server(sandbox, elicit=_answer(action, confirm), mode=mode) as c:
        held = await c.call_tool("deleteOrganization", {"organizationId": ORG})
    assert not held.is_error and held.structured_content["declined"] is True
    assert writes(api) == []


async def test_confirm_modes(sandbox: str, api: httpx.Client) -> None:
    async with server(sandbox, "--confirm", "writes", "--no-browser") as c:
        held = await c.call_tool("updateUser", {"userId": DEMO_IDS["user"], "firstName": "X"})
        assert held.is_error and held.structured_content["error"]["code"] == "confirmation_unavailable"
    async with server(sandbox, "--confirm", "none") as c:
        done = await c.call_tool("deleteOrganization", {"organizationId": ORG})
        assert done.structured_content["deleted"] is True
    assert writes(api) == [f"DELETE /v1/organizations/{ORG}"]


async def test_read_only_lists_no_write_tool(sandbox: str) -> None:
    async with server(sandbox, "--read-only") as c:
        tools = (await c.list_tools()).tools
    assert tools and all(t.annotations.read_only_hint for t in tools)


async def test_audit_lines_for_success_error_and_decline(sandbox: str, api: httpx.Client, isolated_home: Path) -> None:
    async with server(sandbox, elicit=_answer("decline")) as c:
        await c.call_tool("getUser", {"userId": DEMO_IDS["user"]})
        await c.call_tool("getUser", {"userId": "user_missing"})
        await c.call_tool("updateOrganizationMetadata", {"organizationId": ORG, "privateMetadata": {"plan": "x"}})
        await c.call_tool("deleteOrganization", {"organizationId": ORG})
        await c.call_tool("listUsers", {"query": KEY})
    lines = audit_lines(isolated_home)
    # deleteOrganization takes two rounds: the question (input_required), then the declined answer.
    assert [line["tool"] for line in lines] == [
        "getUser",
        "getUser",
        "updateOrganizationMetadata",
        "deleteOrganization",
        "deleteOrganization",
        "listUsers",
    ]
    ok, missing, meta, asked, declined, leaky = lines
    assert asked["confirmation"] == "asked"
    assert ok["status"] == "ok" and ok["risk"] == "read" and ok["confirmation"] == "policy"
    assert ok["client"]["name"] and ok["duration_ms"] >= 0 and ok["time"]
    assert missing["status"] == 404 and missing["clerk_trace_id"]
    assert meta["arguments"]["privateMetadata"] == "[masked]"
    assert declined["confirmation"] == "declined" and declined["status"] == "declined"
    assert leaky["arguments"]["query"] == "[masked]"
    raw = "\n".join(json.dumps(line) for line in lines)
    assert KEY not in raw and '"plan"' not in raw


async def test_audit_log_to_stderr_and_off(sandbox: str, tmp_path: Path) -> None:
    errlog = tmp_path / "stderr.txt"
    from mcp.client.stdio import stdio_client

    params = StdioServerParameters(
        command=SERVER, args=["--api-url", sandbox, "--audit-log", "-"], env={"CLERK_SECRET_KEY": KEY}
    )
    with errlog.open("w") as err:
        async with Client(stdio_client(params, errlog=err)) as c:
            await c.call_tool("getUserCount", {})
    assert '"tool":"getUserCount"' in errlog.read_text()


async def test_unwritable_audit_log_is_reported(sandbox: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    async with server(sandbox, "--audit-log", str(blocker / "audit.jsonl")) as c:
        result = await c.call_tool("getUserCount", {})
    assert not result.is_error and "could not be written" in (result.meta or {}).get("audit_error", "")
