"""The `@discover` surface: three tools that reach the whole scope, with the same calls, confirmation and audit
as the direct tools, within a `tools/list` budget of 2,500 bytes."""

from __future__ import annotations

import json
import os
import re
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
from test_catalog_budget import tools_list_bytes as wire_bytes
from test_tools_end_to_end import image_url  # noqa: F401  (a fixture)
from tool_samples import SAMPLES

from clerk_mcp_setup.scope import READ_CALLER, SEARCH_TOOL, WRITE_CALLER, resolve, served_names
from clerk_mcp_setup.server.app import build_server
from clerk_mcp_setup.server.catalog import BY_NAME, CATALOG, CATEGORIES
from clerk_mcp_setup.server.cli import DEMO_KEY, build_parser, server_config
from clerk_mcp_setup.server.listing import discover_entries, tools_list_bytes
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
BUDGET = 2_500
KEY = "sk_test_discoverKEY0123456789"
ORG = DEMO_IDS["organization"]


# --- budget -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--tools", "@discover"],
        ["--tools", "@discover", "users", "--read-only"],
        ["--tools", "*"],
        ["--tools", "@default"],
    ],
)
def test_byte_count_without_a_server_is_what_the_server_sends(argv: list[str]) -> None:
    """The wizard's figure (computed from the catalog) equals the `tools/list` line the real server writes."""
    _, size = wire_bytes(*argv)
    values = [a for a in argv[1:] if not a.startswith("--")]
    assert tools_list_bytes(values, read_only="--read-only" in argv) == size


def test_discover_costs_at_most_2500_bytes_whatever_the_scope() -> None:
    scopes: list[list[str]] = [["@discover"], ["@discover", "*"], ["@discover", "@default"]]
    scopes += [["@discover", c] for c in CATEGORIES]
    for scope in scopes:
        for read_only in (False, True):
            size = tools_list_bytes(scope, read_only=read_only)
            assert size <= BUDGET, (scope, read_only, size)
    assert tools_list_bytes(["@discover"]) < tools_list_bytes(["@default"]) / 5


def test_every_parameter_of_the_three_tools_is_described() -> None:
    for entry in discover_entries(CATALOG):
        props = entry["inputSchema"]["properties"]
        assert props and all(p.get("description") for p in props.values()), entry["name"]
        assert entry["description"] and entry["title"]


def test_served_names() -> None:
    assert served_names(["@discover"]) == [SEARCH_TOOL, READ_CALLER, WRITE_CALLER]
    assert served_names(["@discover"], read_only=True) == [SEARCH_TOOL, READ_CALLER]
    assert served_names(["@discover users"]) == served_names(["users,@discover"]) == served_names(["@discover"])
    assert [t.name for t in resolve(["@discover", "users"])] == [t.name for t in CATALOG if t.category == "users"]
    assert served_names(["@discover", "users.getUser"]) == [SEARCH_TOOL, READ_CALLER]  # nothing to write


# --- in process, in --demo ----------------------------------------------------------------------------


def demo_server(*tools: str, confirm: str = "none", read_only: bool = False, fetch_host: str = "") -> Any:
    argv = ["--demo", "--confirm", confirm, "--audit-log", "off", "--tools", *tools]
    argv += ["--allow-fetch-host", fetch_host] if fetch_host else []
    args = build_parser().parse_args(argv + (["--read-only"] if read_only else []))
    return build_server(server_config(args, resolve(args.tools, read_only=read_only), DEMO_KEY, None))


def data(result: types.CallToolResult) -> Any:
    return result.structured_content


def error(result: types.CallToolResult) -> dict[str, Any]:
    assert result.is_error, result
    return result.structured_content["error"]  # type: ignore[index]


_VOLATILE = re.compile(r"(_at|expire|exp|iat|nbf|jwt|token|secret|url|signature|nonce|last_)", re.I)


def comparable(value: Any, key: str = "") -> Any:
    """A result with what differs between two runs of the same call (times, minted tokens) blanked."""
    if isinstance(value, dict):
        return {k: comparable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v, key) for v in value]
    if key and _VOLATILE.search(key) and isinstance(value, str | int) and not isinstance(value, bool):
        return "<varies>"
    return value


async def test_page_walk_finds_every_tool_and_each_runs_as_directly(image_url: str) -> None:  # noqa: F811
    """An empty-query walk lists all 171; each sample call through its caller answers what the direct tool does."""
    local = httpx.URL(image_url).netloc.decode()  # the test's plain-http image server, allowed explicitly
    async with (
        Client(demo_server("@discover", fetch_host=local)) as via,
        Client(demo_server("*", fetch_host=local)) as direct,
    ):
        assert [t.name for t in (await via.list_tools()).tools] == [SEARCH_TOOL, READ_CALLER, WRITE_CALLER]
        found: list[dict[str, Any]] = []
        offset: int | None = 0
        while offset is not None:
            page = data(await via.call_tool(SEARCH_TOOL, {"query": "", "limit": 50, "offset": offset}))
            assert page["total_count"] == len(CATALOG)
            found += page["items"]
            offset = page["next_offset"]
            assert page["has_more"] == (offset is not None)
        assert [f["name"] for f in found] == [t.name for t in CATALOG]
        by_name = {f["name"]: f for f in found}

        mismatches: list[str] = []
        got_direct: dict[str, Any] = {}
        got_via: dict[str, Any] = {}
        for sample in SAMPLES:
            tool = BY_NAME[sample.tool]
            caller = by_name[tool.name]["caller"]
            assert caller == (READ_CALLER if tool.read_only else WRITE_CALLER)
            one = await direct.call_tool(tool.name, sample.arguments(got_direct, image_url))
            two = await via.call_tool(caller, {"name": tool.name, "arguments": sample.arguments(got_via, image_url)})
            got_direct[tool.name], got_via[tool.name] = data(one), data(two)
            if one.is_error or two.is_error or comparable(data(one)) != comparable(data(two)):
                mismatches.append(f"{tool.name}: {json.dumps(data(one))[:200]} != {json.dumps(data(two))[:200]}")
        assert not mismatches, "\n".join(mismatches)


async def test_search_entries_carry_what_a_call_needs() -> None:
    async with Client(demo_server("@discover", confirm="destructive")) as c:
        page = data(await c.call_tool(SEARCH_TOOL, {"query": "ban a user", "limit": 3}))
        ban = next(i for i in page["items"] if i["name"] == "banUser")
        assert ban["risk"] == "destructive" and ban["caller"] == WRITE_CALLER and ban["category"] == "users"
        assert ban["inputSchema"]["required"] == ["userId"] and "confirmToken" not in ban["inputSchema"]["properties"]
        assert page["has_more"] and page["next_offset"] == 3
        reads = data(await c.call_tool(SEARCH_TOOL, {"query": "user", "risk": "read", "category": "users"}))
        assert reads["items"] and all(i["risk"] == "read" and i["category"] == "users" for i in reads["items"])
        for bad in (
            {"category": "nope"},
            {"risk": "dangerous"},
            {"limit": 0},
            {"limit": 51},
            {"offset": -1},
            {"q": "x"},
            {"query": 3},
        ):
            assert error(await c.call_tool(SEARCH_TOOL, bad))["code"] == "invalid_argument", bad


async def test_wrong_caller_out_of_scope_and_typos_are_errors_that_say_what_to_use() -> None:
    async with Client(demo_server("@discover", "users")) as c:
        listed = data(await c.call_tool(SEARCH_TOOL, {"query": ""}))
        assert listed["total_count"] == sum(t.category == "users" for t in CATALOG)
        orgs = data(await c.call_tool(SEARCH_TOOL, {"query": "who is in org X"}))
        assert all(BY_NAME[i["name"]].category == "users" for i in orgs["items"])

        wrong = error(await c.call_tool(READ_CALLER, {"name": "banUser", "arguments": {"userId": DEMO_IDS["user"]}}))
        assert wrong["code"] == "wrong_caller" and WRITE_CALLER in wrong["message"]
        wrong = error(await c.call_tool(WRITE_CALLER, {"name": "getUser", "arguments": {"userId": DEMO_IDS["user"]}}))
        assert wrong["code"] == "wrong_caller" and READ_CALLER in wrong["message"]

        outside = error(await c.call_tool(READ_CALLER, {"name": "listOrganizations", "arguments": {}}))
        assert outside["code"] == "out_of_scope" and "--tools" in outside["message"]
        typo = error(await c.call_tool(READ_CALLER, {"name": "getUsr", "arguments": {}}))
        assert typo["code"] == "unknown_tool" and "getUser" in typo["message"]

        flat = error(await c.call_tool(READ_CALLER, {"name": "getUser", "userId": DEMO_IDS["user"]}))
        assert "inside `arguments`" in flat["hint"]
        assert error(await c.call_tool(READ_CALLER, {"arguments": {}}))["code"] == "invalid_argument"
        assert (
            error(await c.call_tool(READ_CALLER, {"name": "getUser", "arguments": [1]}))["code"] == "invalid_argument"
        )
        assert error(await c.call_tool("getUser", {"userId": DEMO_IDS["user"]}))["code"] == "unknown_tool"


async def test_inner_arguments_are_validated_exactly_as_direct_calls() -> None:
    async with Client(demo_server("@discover")) as via, Client(demo_server("*")) as direct:
        for name, args in (
            ("getUser", {}),
            ("getUser", {"userId": 5}),
            ("listUsers", {"limit": 0}),
            ("getUser", {"userId": DEMO_IDS["user"], "bogus": 1}),
        ):
            one = await direct.call_tool(name, args)
            two = await via.call_tool(READ_CALLER, {"name": name, "arguments": args})
            assert (one.is_error, data(one)) == (two.is_error, data(two)), name


async def test_read_only_serves_two_tools_and_refuses_writes() -> None:
    async with Client(demo_server("@discover", read_only=True)) as c:
        tools = (await c.list_tools()).tools
        assert [t.name for t in tools] == [SEARCH_TOOL, READ_CALLER]
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        assert error(await c.call_tool(WRITE_CALLER, {"name": "banUser", "arguments": {}}))["code"] == "unknown_tool"
        refused = error(await c.call_tool(READ_CALLER, {"name": "banUser", "arguments": {"userId": "u"}}))
        assert refused["code"] == "out_of_scope" and "only serves read tools" in refused["message"]
        everything = data(await c.call_tool(SEARCH_TOOL, {"query": "", "limit": 50}))
        assert everything["total_count"] == sum(t.read_only for t in CATALOG)


async def test_annotations_let_a_client_auto_approve_reads_only() -> None:
    async with Client(demo_server("@discover")) as c:
        hints = {t.name: t.annotations for t in (await c.list_tools()).tools}
    assert hints[SEARCH_TOOL].read_only_hint and hints[READ_CALLER].read_only_hint  # type: ignore[union-attr]
    assert hints[WRITE_CALLER].destructive_hint and not hints[WRITE_CALLER].read_only_hint  # type: ignore[union-attr]


# --- over real stdio: confirmation and audit as for a direct destructive call ------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@pytest.fixture
def api(sandbox: str) -> Iterator[httpx.Client]:
    with sandbox_api(sandbox) as client:
        yield client


@asynccontextmanager
async def stdio(sandbox: str, *tools: str, elicit: Any = None) -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=SERVER, args=["-t", *tools, "--api-url", sandbox], env={"CLERK_SECRET_KEY": KEY}
    )
    async with Client(params, elicitation_callback=elicit) as client:  # type: ignore[arg-type]
        yield client


def _answer(action: str) -> Any:
    async def callback(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        assert "Acme" in params.message and "deleteOrganization" in params.message
        return types.ElicitResult(action=action, content={"confirm": True} if action == "accept" else None)

    return callback


def audit_lines(home: Path) -> list[dict[str, Any]]:
    path = next(home.rglob("audit.jsonl"))
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("action", ["accept", "decline"])
async def test_destructive_call_through_the_write_caller_is_confirmed_like_a_direct_one(
    sandbox: str, api: httpx.Client, isolated_home: Path, action: str
) -> None:
    outcomes = []
    for tools in (["*"], ["@discover"]):
        api.post("/__sandbox/reset")
        async with stdio(sandbox, *tools, elicit=_answer(action)) as c:
            if tools == ["*"]:
                outcome = await c.call_tool("deleteOrganization", {"organizationId": ORG})
            else:
                outcome = await c.call_tool(
                    WRITE_CALLER, {"name": "deleteOrganization", "arguments": {"organizationId": ORG}}
                )
        outcomes.append((outcome.is_error, data(outcome)))
        assert writes(api) == ([f"DELETE /v1/organizations/{ORG}"] if action == "accept" else [])
    assert outcomes[0] == outcomes[1]
    lines = [line for line in audit_lines(isolated_home) if line["tool"] == "deleteOrganization"]
    direct = [line for line in lines if "via" not in line]
    via = [line for line in lines if line.get("via") == WRITE_CALLER]
    assert direct and len(direct) == len(via)
    final = "person-in-client" if action == "accept" else "declined"
    assert direct[-1]["confirmation"] == via[-1]["confirmation"] == final
    assert via[-1]["arguments"] == {"organizationId": ORG} and via[-1]["risk"] == "destructive"


async def test_write_caller_without_a_person_to_ask_is_refused(sandbox: str, api: httpx.Client) -> None:
    """A client without elicitation, and no approval page (--no-browser): refused, with no token to replay."""
    async with stdio(sandbox, "@discover", "--no-browser") as c:
        call = {"name": "deleteOrganization", "arguments": {"organizationId": ORG}}
        refused = await c.call_tool(WRITE_CALLER, call)
        assert refused.is_error and data(refused)["error"]["code"] == "confirmation_unavailable"
        smuggled = {"name": "deleteOrganization", "arguments": {"organizationId": ORG, "confirmToken": "x"}}
        assert (await c.call_tool(WRITE_CALLER, smuggled)).is_error
    assert writes(api) == []


async def test_instructions_say_how_to_search_then_call() -> None:
    async with Client(demo_server("@discover", "users")) as c:
        text = c.instructions or ""
    assert SEARCH_TOOL in text and READ_CALLER in text and WRITE_CALLER in text
    assert "34 tools (users)" in text and text.startswith("DEMO MODE")
    async with Client(demo_server("@discover", read_only=True)) as c:
        text = c.instructions or ""
    assert WRITE_CALLER not in text and "read-only" in text


async def test_audit_masks_secrets_passed_through_a_caller(
    sandbox: str, api: httpx.Client, isolated_home: Path
) -> None:
    async with stdio(sandbox, "@discover") as c:
        leaky = await c.call_tool(READ_CALLER, {"name": "listUsers", "arguments": {"query": KEY}})
        meta = await c.call_tool(
            WRITE_CALLER,
            {"name": "updateOrganizationMetadata", "arguments": {"organizationId": ORG, "privateMetadata": {"p": 1}}},
        )
    assert KEY not in json.dumps(data(leaky)) and not meta.is_error
    assert "private_metadata" not in json.dumps(data(meta))  # stripped from results as for direct calls
    lines = audit_lines(isolated_home)
    assert [(line["tool"], line["via"]) for line in lines] == [
        ("listUsers", READ_CALLER),
        ("updateOrganizationMetadata", WRITE_CALLER),
    ]
    assert lines[0]["arguments"]["query"] == "[masked]" and lines[1]["arguments"]["privateMetadata"] == "[masked]"
    assert KEY not in json.dumps(lines)


async def test_http_modes_serve_the_three_tools() -> None:
    """Hosted (the server's key) and public (each request's own X-Clerk-Secret-Key) mode route the same way."""
    import httpx2
    from mcp.client.streamable_http import streamable_http_client
    from server_helpers import http_server

    with running_sandbox() as api_url:
        with http_server("--api-url", api_url, "-t", "@discover", env={"CLERK_SECRET_KEY": KEY}) as base:
            async with Client(f"{base}/mcp") as client:
                assert [t.name for t in (await client.list_tools()).tools] == [SEARCH_TOOL, READ_CALLER, WRITE_CALLER]
                user = await client.call_tool(
                    READ_CALLER, {"name": "getUser", "arguments": {"userId": DEMO_IDS["user"]}}
                )
                assert data(user)["id"] == DEMO_IDS["user"]
        env = {k: v for k, v in os.environ.items() if k != "CLERK_SECRET_KEY"}
        with http_server("--api-url", api_url, "-t", "@discover", "--read-only", env=env) as base:
            async with (
                httpx2.AsyncClient(headers={"X-Clerk-Secret-Key": KEY}) as http,
                Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
            ):
                assert [t.name for t in (await client.list_tools()).tools] == [SEARCH_TOOL, READ_CALLER]
                count = await client.call_tool(READ_CALLER, {"name": "getUserCount", "arguments": {}})
                assert not count.is_error and data(count)["total_count"] >= 20
