"""HTTP mode for teams: the real `clerk-mcp-server --transport http` over 127.0.0.1 with the `mcp` client,
against the sandbox, in hosted and public mode, with the gate's refusals."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import httpx2
import mcp_types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from server_helpers import free_port, http_server

from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
KEY = "sk_test_httpModeKEY0123456789"
ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
LIST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox() as url:  # accepts any well-formed key, so public mode can use many
        yield url


@pytest.fixture(scope="module")
def hosted(sandbox: str) -> Iterator[str]:
    with http_server("--api-url", sandbox, "-t", "*", env={"CLERK_SECRET_KEY": KEY}) as base:
        yield base


@pytest.fixture(scope="module")
def public(sandbox: str) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k != "CLERK_SECRET_KEY"}
    with http_server("--api-url", sandbox, env=env) as base:
        yield base


async def test_hosted_mode_end_to_end(hosted: str) -> None:
    async with Client(f"{hosted}/mcp") as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert "deleteOrganization" in names
        result = await client.call_tool("getUser", {"userId": DEMO_IDS["user"]})
        assert not result.is_error and result.structured_content["id"] == DEMO_IDS["user"]
        # No elicitation and no approval page over HTTP: refused, never a token the model could replay.
        held = await client.call_tool("deleteOrganization", {"organizationId": DEMO_IDS["organization"]})
        assert held.is_error and held.structured_content["error"]["code"] == "confirmation_unavailable"
        assert "confirm_token" not in json.dumps(held.model_dump(mode="json"))
    health = httpx.get(f"{hosted}/health").json()
    assert health == {"status": "ok", "mode": "hosted", "clerkConnected": True, "version": health["version"]}


def test_hosted_health_degraded_with_a_rejected_key(sandbox: str) -> None:
    with (
        running_sandbox(secret_key=KEY) as strict,
        http_server("--api-url", strict, env={"CLERK_SECRET_KEY": "sk_test_notTheRightKey000"}) as base,
    ):
        health = httpx.get(f"{base}/health").json()
    assert health["status"] == "degraded" and health["clerkConnected"] is False and "401" in health["error"]


async def test_public_mode_uses_the_requests_own_key(public: str) -> None:
    assert httpx.get(f"{public}/health").json()["mode"] == "public"
    missing = httpx.post(f"{public}/mcp", json=LIST, headers=ACCEPT)
    assert missing.status_code == 401 and missing.json()["error"] == "missing_secret_key"
    invalid = httpx.post(f"{public}/mcp", json=LIST, headers={**ACCEPT, "X-Clerk-Secret-Key": "pk_test_nope"})
    assert invalid.status_code == 401 and invalid.json()["error"] == "invalid_secret_key"
    async with (
        httpx2.AsyncClient(headers={"X-Clerk-Secret-Key": KEY}) as http,
        Client(streamable_http_client(f"{public}/mcp", http_client=http)) as client,
    ):
        result = await client.call_tool("getUserCount", {})
        assert not result.is_error and result.structured_content["total_count"] >= 20


def test_wrong_origin_is_refused(hosted: str) -> None:
    refused = httpx.post(f"{hosted}/mcp", json=LIST, headers={**ACCEPT, "Origin": "http://evil.example"})
    assert refused.status_code == 403
    allowed = httpx.post(f"{hosted}/mcp", json=LIST, headers={**ACCEPT, "Origin": "http://localhost:3000"})
    assert allowed.status_code == 200


def test_bearer_token_protects_the_endpoint(sandbox: str) -> None:
    with http_server("--api-url", sandbox, "--auth-token", "team-token-123", env={"CLERK_SECRET_KEY": KEY}) as base:
        assert httpx.post(f"{base}/mcp", json=LIST, headers=ACCEPT).status_code == 401
        wrong = httpx.post(f"{base}/mcp", json=LIST, headers={**ACCEPT, "Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
        ok = httpx.post(f"{base}/mcp", json=LIST, headers={**ACCEPT, "Authorization": "Bearer team-token-123"})
        assert ok.status_code == 200 and len(ok.json()["result"]["tools"]) == 24
        assert httpx.get(f"{base}/health").status_code == 200  # health stays open for load balancers


def test_oversized_request_is_refused(hosted: str) -> None:
    big = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "listUsers", "arguments": {"query": "x" * 1_200_000}},
    }
    assert httpx.post(f"{hosted}/mcp", content=json.dumps(big), headers=ACCEPT).status_code == 413


def test_installer_remote_entry_verifies_against_the_running_server(hosted: str, isolated_home: Path) -> None:
    result = subprocess.run(
        [SETUP, "--client", "cursor", "--client", "claude-desktop", "--remote", f"{hosted}/mcp", "--yes", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CLERK_MCP_VAULT": "file"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    checks = json.loads(result.stdout)["verify"]
    assert [c["client"] for c in checks] == ["cursor", "claude-desktop"]
    assert all(c["ok"] and c["tools"] >= 24 for c in checks), checks


def test_exposed_without_protection_warns(sandbox: str) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            SERVER,
            "--transport",
            "http",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--api-url",
            sandbox,
            "--audit-log",
            "off",
        ],
        env={**os.environ, "CLERK_SECRET_KEY": KEY},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        err = proc.stderr.readline()  # the warning comes before the server starts (waits out a loaded machine)
    finally:
        proc.terminate()
        err += proc.communicate(timeout=10)[1]
    assert "WARNING" in err and "without --auth-token" in err


async def test_keys_never_cross_under_concurrency(sandbox: str) -> None:
    """200 concurrent calls over 20 keys: the API log shows every call arrived with its own caller's key."""
    env = {k: v for k, v in os.environ.items() if k != "CLERK_SECRET_KEY"}
    with http_server("--api-url", sandbox, "--max-concurrency", "400", env=env) as base:
        await _concurrent_calls(sandbox, f"{base}/mcp")


async def _concurrent_calls(sandbox: str, url: str) -> None:

    keys = [f"sk_test_concurrency{i:02d}KEY000000" for i in range(20)]
    httpx.delete(f"{sandbox}/__sandbox/requests")
    failures: list[str] = []

    async def one(i: int) -> None:
        key = keys[i % len(keys)]
        async with (
            httpx2.AsyncClient(headers={"X-Clerk-Secret-Key": key}, timeout=60) as http,
            Client(streamable_http_client(url, http_client=http)) as client,
        ):
            result = await client.call_tool("listUsers", {"query": f"probe{i:03d}", "limit": 1})
            if result.is_error:
                failures.append(str(result.content))

    async with anyio.create_task_group() as tg:
        for i in range(200):
            tg.start_soon(one, i)
    assert not failures, failures[:3]
    fingerprint = {i: hashlib.sha256(keys[i % 20].encode()).hexdigest()[:12] for i in range(200)}
    seen = [r for r in httpx.get(f"{sandbox}/__sandbox/requests").json() if "probe" in (r["query"] or "")]
    by_probe: dict[int, set[str]] = {}
    for request in seen:
        probe = int(request["query"].split("probe")[1][:3])
        by_probe.setdefault(probe, set()).add(request["key_id"])
    assert sorted(by_probe) == list(range(200))
    assert all(by_probe[i] == {fingerprint[i]} for i in range(200)), "a call reached the API with another key"


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_a_persons_answer_runs_once_across_workers(sandbox: str, workers: str) -> None:
    """The old replay (one confirmation, five deletes) over HTTP: the client's answer is claimed once in the
    store every worker shares, so four replays of it (spread over the workers) run nothing."""
    org = DEMO_IDS["organization"]
    httpx.post(f"{sandbox}/__sandbox/reset")
    with http_server("--api-url", sandbox, "-t", "*", "--workers", workers, env={"CLERK_SECRET_KEY": KEY}) as base:

        async def by_hand(*_: object) -> types.ElicitResult:
            raise AssertionError("the rounds are driven by hand")

        async with Client(f"{base}/mcp", elicitation_callback=by_hand) as client:  # type: ignore[arg-type]
            asked = await client.session.call_tool(
                "deleteOrganization", {"organizationId": org}, allow_input_required=True
            )
            assert isinstance(asked, types.InputRequiredResult) and asked.request_state
            yes = {"confirm": types.ElicitResult(action="accept", content={"confirm": True})}
            outcomes = [
                await client.session.call_tool(
                    "deleteOrganization",
                    {"organizationId": org},
                    input_responses=yes,
                    request_state=asked.request_state,
                )
                for _ in range(5)
            ]
    first, *replays = outcomes
    assert first.structured_content["deleted"] is True
    assert all(r.is_error and "already used" in r.structured_content["error"]["message"] for r in replays)
    deletes = [r for r in httpx.get(f"{sandbox}/__sandbox/requests").json() if r["method"] == "DELETE"]
    assert len(deletes) == 1
