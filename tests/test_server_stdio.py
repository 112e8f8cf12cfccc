"""The real `clerk-mcp-server` console script, spawned over stdio, listed and called with the `mcp` client
against the sandbox served over real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from clerk_mcp_setup.server.catalog import DEFAULT_TOOLS as CATALOG
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_e2eSECRETkey0123456789"
PEER_TOOLS_LIST_BYTES = 27_587  # @clerk/agent-toolkit 0.3.15, 19 tools (peers.md)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@pytest.fixture
def api(sandbox: str) -> Iterator[httpx.Client]:
    """A plain HTTP client for the sandbox's controls, reset before each test."""
    with httpx.Client(base_url=sandbox, timeout=10) as client:
        client.post("/__sandbox/reset")
        client.delete("/__sandbox/faults")
        client.delete("/__sandbox/requests")
        yield client


@asynccontextmanager
async def server(*args: str, env: dict[str, str] | None = None, errlog: TextIO = sys.stderr) -> AsyncIterator[Client]:
    params = StdioServerParameters(command=SERVER, args=list(args), env=env or {})
    async with Client(stdio_client(params, errlog=errlog)) as client:
        yield client


def data(result: Any) -> Any:
    """The structured result, checked against the text copy the model reads."""
    text = result.content[0].text
    assert json.loads(text) == (
        result.structured_content if "result" not in (result.structured_content or {}) else json.loads(text)
    )
    return result.structured_content


def error(result: Any) -> dict[str, Any]:
    assert result.is_error, result
    return result.structured_content["error"]


def walk_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from walk_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk_keys(v)


@pytest.fixture(scope="module")
def image_url() -> Iterator[str]:
    """A local web server with one PNG, for updateUser's profileImageUrl."""
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/avatar.png"
    httpd.shutdown()
    httpd.server_close()


async def test_every_tool_end_to_end(sandbox: str, api: httpx.Client, image_url: str) -> None:
    """Each of the catalog's tools, called through a spawned server, does what it says."""
    called: set[str] = set()
    user, org, slug = DEMO_IDS["user"], DEMO_IDS["organization"], DEMO_IDS["organization_slug"]
    local = httpx.URL(image_url).netloc.decode()  # the test's plain-http image server, allowed explicitly
    async with server(
        "-t",
        "@default",
        "--api-url",
        sandbox,
        "--user-id",
        user,
        "--confirm",
        "none",
        "--allow-fetch-host",
        local,
        env={"CLERK_SECRET_KEY": KEY},
    ) as c:
        listed = await c.list_tools()
        assert [t.name for t in listed.tools] == [t.name for t in CATALOG]

        async def call(name: str, /, **args: Any) -> Any:
            called.add(name)
            result = await c.call_tool(name, args)
            assert not result.is_error, (name, result.content[0].text)
            return data(result)

        assert await call("getUserId") == {"user_id": user}
        got = await call("getUser", userId=user)
        assert got["id"] == user and "private_metadata" not in got
        count = (await call("getUserCount"))["total_count"]
        assert count >= 20
        page = await call("listUsers", limit=5)
        assert len(page["items"]) == 5 and page["total_count"] == count
        assert page["has_more"] is True and page["next_offset"] == 5
        last = await call("listUsers", limit=5, offset=count - 2)
        assert len(last["items"]) == 2 and last["has_more"] is False and last["next_offset"] is None
        email = got["email_addresses"][0]["email_address"]
        found = await call("listUsers", emailAddress=[email])
        assert [u["id"] for u in found["items"]] == [user] and found["total_count"] == 1
        assert (await call("listUsers", query=email.split("@")[0]))["items"][0]["id"] == user

        updated = await call("updateUser", userId=user, firstName="Ada", profileImageUrl=image_url)
        assert updated["first_name"] == "Ada" and updated["has_image"] is True
        meta = await call("updateUserPublicMetadata", userId=user, metadata={"plan": "pro"})
        assert meta["public_metadata"]["plan"] == "pro"
        meta = await call("updateUserUnsafeMetadata", userId=user, metadata={"theme": "dark"})
        assert meta["unsafe_metadata"]["theme"] == "dark" and meta["public_metadata"]["plan"] == "pro"

        by_slug = await call("getOrganization", slug=slug, includeMembersCount=True)
        assert by_slug["id"] == org and by_slug["members_count"] >= 1
        assert (await call("getOrganization", organizationId=org))["slug"] == slug
        orgs = await call("listOrganizations", query=slug)
        assert org in [o["id"] for o in orgs["items"]] and orgs["total_count"] >= 1

        new = await call("createOrganization", name="E2E Org", slug="e2e-org", createdBy=user)
        new_id = new["id"]
        changed = await call(
            "updateOrganization", organizationId=new_id, name="E2E Org 2", publicMetadata={"tier": "gold"}
        )
        assert changed["name"] == "E2E Org 2" and changed["public_metadata"] == {"tier": "gold"}
        changed = await call("updateOrganizationMetadata", organizationId=new_id, publicMetadata={"seats": 5})
        assert changed["public_metadata"] == {"tier": "gold", "seats": 5}

        other = next(u for u in DEMO_IDS["users"] if u != user)
        member = await call("createOrganizationMembership", organizationId=new_id, userId=other, role="org:member")
        assert member["role"] == "org:member"
        member = await call("updateOrganizationMembership", organizationId=new_id, userId=other, role="org:admin")
        assert member["role"] == "org:admin"
        member = await call(
            "updateOrganizationMembershipMetadata", organizationId=new_id, userId=other, publicMetadata={"a": 1}
        )
        assert member["public_metadata"] == {"a": 1}
        members = await call("listOrganizationMemberships", organizationId=new_id)
        assert {m["public_user_data"]["user_id"] for m in members["items"]} == {user, other}
        removed = await call("deleteOrganizationMembership", organizationId=new_id, userId=other)
        assert removed["public_user_data"]["user_id"] == other

        inv = await call(
            "createOrganizationInvitation", organizationId=new_id, emailAddress="x@example.com", role="org:member"
        )
        assert inv["status"] == "pending"
        pending = await call("listOrganizationInvitations", organizationId=new_id, status="pending")
        assert [i["id"] for i in pending["items"]] == [inv["id"]]
        revoked = await call("revokeOrganizationInvitation", organizationId=new_id, invitationId=inv["id"])
        assert revoked["status"] == "revoked"

        invite = await call("createInvitation", emailAddress="new.person@example.com", notify=False)
        assert invite["status"] == "pending"
        listed_inv = await call("listInvitations", status="pending", limit=500)
        assert invite["id"] in [i["id"] for i in listed_inv["items"]]
        assert (await call("revokeInvitation", invitationId=invite["id"]))["status"] == "revoked"

        deleted = await call("deleteOrganization", organizationId=new_id)
        assert deleted["deleted"] is True and deleted["id"] == new_id and deleted["object"] == "organization"

    assert called == {t.name for t in CATALOG}
    log = api.get("/__sandbox/requests").json()
    assert log and all(r["user_agent"].startswith("clerk-mcp-setup/") for r in log)


async def test_private_metadata_is_stripped_at_every_depth(sandbox: str, api: httpx.Client) -> None:
    org = DEMO_IDS["organization"]
    async with server("--api-url", sandbox, env={"CLERK_SECRET_KEY": KEY}) as c:
        result = data(await c.call_tool("listOrganizationMemberships", {"organizationId": org}))
        assert result["items"] and all("organization" in m for m in result["items"])
        assert "private_metadata" not in set(walk_keys(result))
        assert "private_metadata" not in set(
            walk_keys(data(await c.call_tool("getUser", {"userId": DEMO_IDS["user"]})))
        )
    raw = api.get(f"/v1/organizations/{org}/memberships", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert "private_metadata" in set(walk_keys(raw))  # the sandbox does send it: we removed it
    async with server("--api-url", sandbox, "--allow-private-metadata", env={"CLERK_SECRET_KEY": KEY}) as c:
        result = data(await c.call_tool("listOrganizationMemberships", {"organizationId": org}))
        assert "private_metadata" in set(walk_keys(result))


async def test_api_errors_keep_clerks_details(sandbox: str, api: httpx.Client) -> None:
    async with server("-t", "*", "--api-url", sandbox, "--timeout", "1", env={"CLERK_SECRET_KEY": KEY}) as c:
        err = error(await c.call_tool("getUser", {"userId": "user_missing"}))
        assert err["status"] == 404 and err["code"] == "resource_not_found"
        assert err["clerk_trace_id"] and err["long_message"] and "list tool" in err["hint"]

        err = error(await c.call_tool("createOrganization", {"name": "Dup", "slug": DEMO_IDS["organization_slug"]}))
        assert err["status"] == 422 and err["code"] and err["long_message"]

        api.post("/__sandbox/faults", json={"status": 429, "count": 1, "retry_after": 1, "path": "/v1/users/count"})
        api.delete("/__sandbox/requests")
        ok = await c.call_tool("getUserCount", {})
        assert not ok.is_error and data(ok)["total_count"] >= 20
        assert [r["path"] for r in api.get("/__sandbox/requests").json()] == ["/v1/users/count"] * 2

        api.post("/__sandbox/faults", json={"status": 429, "count": 10, "retry_after": 60, "path": "/v1/users"})
        err = error(await c.call_tool("listUsers", {}))
        assert err["status"] == 429 and err["retry_after"] == 60 and err["code"] == "too_many_requests"
        api.delete("/__sandbox/faults")

        api.post("/__sandbox/faults", json={"status": 500, "count": 10, "path": "/v1/organizations"})
        err = error(await c.call_tool("createOrganization", {"name": "Boom"}))
        assert err["status"] == 500 and err["code"] and "message" in err
        api.delete("/__sandbox/faults")

        api.post("/__sandbox/faults", json={"delay": 3, "count": 10, "path": "/v1/invitations"})
        err = error(await c.call_tool("createInvitation", {"emailAddress": "slow@example.com"}))
        assert err["code"] == "timeout" and "1 s" in err["message"]
        api.delete("/__sandbox/faults")

        err = error(await c.call_tool("getUser", {}))
        assert err["code"] == "invalid_argument" and "userId" in err["message"]
        err = error(await c.call_tool("listUsers", {"limit": 501}))
        assert err["code"] == "invalid_argument"
        err = error(await c.call_tool("noSuchTool", {}))
        assert err["code"] == "unknown_tool"

    async with server("--api-url", sandbox, env={"CLERK_SECRET_KEY": "sk_test_wrongKEY0000"}) as c:
        err = error(await c.call_tool("getUserCount", {}))
        assert err["status"] == 401 and "Dashboard" in err["hint"]
        assert "sk_test_wrongKEY0000" not in json.dumps(err)


@pytest.mark.parametrize("ident", ["../organizations", "..", "user_x/../../organizations", "a?b=1"])
async def test_path_injection_ids_stay_one_segment(sandbox: str, api: httpx.Client, ident: str) -> None:
    async with server("--api-url", sandbox, env={"CLERK_SECRET_KEY": KEY}) as c:
        err = error(await c.call_tool("getUser", {"userId": ident}))
    assert err["status"] == 404
    (request,) = api.get("/__sandbox/requests").json()
    assert request["method"] == "GET"
    assert request["path"].startswith("/v1/users/") and request["path"].count("/") == 3
    assert request["query"] == ""


async def test_key_never_appears_in_any_output(sandbox: str, api: httpx.Client) -> None:
    """Results, errors and stderr of a session that exercises success and failure paths."""
    outputs: list[str] = []
    errlog = Path(os.environ["HOME"]) / "stderr.log"
    with errlog.open("w") as stderr:
        async with server("-t", "*", "--api-url", sandbox, "-v", env={"CLERK_SECRET_KEY": KEY}, errlog=stderr) as c:
            outputs.append((await c.list_tools()).model_dump_json())
            for name, args in [
                ("getUser", {"userId": KEY}),
                ("listUsers", {"query": KEY}),
                ("createInvitation", {"emailAddress": KEY}),
                ("getUser", {"userId": DEMO_IDS["user"]}),
            ]:
                outputs.append((await c.call_tool(name, args)).model_dump_json())
    blob = "\n".join(outputs)
    assert KEY not in blob
    assert KEY not in errlog.read_text()


async def test_without_a_key_tools_are_listed_and_calls_explain(sandbox: str) -> None:
    async with server("--api-url", sandbox) as c:
        names = [t.name for t in (await c.list_tools()).tools]
        assert "getUser" in names and "listUsers" in names
        err = error(await c.call_tool("getUser", {"userId": DEMO_IDS["user"]}))
        assert err["code"] == "missing_secret_key"
        assert "CLERK_SECRET_KEY" in err["hint"] and "--secret-key" in err["hint"]
        got = data(await c.call_tool("getUserId", {}))
        assert got["user_id"] is None and "--user-id" in got["message"]


async def test_demo_mode_needs_no_key() -> None:
    async with server("--demo") as c:
        assert "DEMO" in (c.instructions or "") or "DEMO" in str(c.server_info)
        users = data(await c.call_tool("listUsers", {"limit": 3}))
        assert len(users["items"]) == 3 and users["total_count"] >= 20
        me = data(await c.call_tool("getUserId", {}))
        assert me["user_id"] == DEMO_IDS["user"]


def raw_tools_list(*args: str) -> bytes:
    """`tools/list` exactly as sent on the wire, by raw JSON-RPC on stdin."""
    proc = subprocess.Popen([SERVER, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages).encode())
        proc.stdin.flush()
        proc.stdout.readline()
        return proc.stdout.readline().rstrip(b"\n")
    finally:
        proc.kill()
        proc.wait()


def test_tools_list_is_at_most_half_the_old_servers() -> None:
    line = raw_tools_list("-t", "@agent-toolkit")
    tools = json.loads(line)["result"]["tools"]
    assert len(tools) == 19
    assert len(line) <= PEER_TOOLS_LIST_BYTES / 2, len(line)
    for tool in tools:
        assert tool["title"] and tool["annotations"] and tool["description"]
        for prop in tool["inputSchema"]["properties"].values():
            assert prop["description"]


def test_old_agent_toolkit_arguments_are_accepted() -> None:
    line = raw_tools_list(
        "-y", "@clerk/agent-toolkit", "-p", "local-mcp", "--sk", KEY, "--tools", "users", "organizations"
    )
    names = [t["name"] for t in json.loads(line)["result"]["tools"]]
    assert "getUser" in names and "createOrganization" in names and "createInvitation" not in names


async def test_key_from_the_vault_and_acting_user_from_env(sandbox: str, api: httpx.Client) -> None:
    from clerk_mcp_setup.vault import Vault

    Vault.open("file").put("clerk-e2e", KEY)
    env = {"CLERK_MCP_VAULT": "file", "CLERK_USER_ID": DEMO_IDS["member_user"]}
    async with server("--vault", "clerk-e2e", "--api-url", sandbox, env=env) as c:
        assert data(await c.call_tool("getUserCount", {}))["total_count"] >= 20
        assert data(await c.call_tool("getUserId", {}))["user_id"] == DEMO_IDS["member_user"]
    async with server("--vault", "missing-entry", "--api-url", sandbox, env=env) as c:
        err = error(await c.call_tool("getUserCount", {}))
        assert err["code"] == "missing_secret_key" and "missing-entry" in err["message"]
