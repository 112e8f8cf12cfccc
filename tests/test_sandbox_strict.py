"""The sandbox refuses what Clerk refuses, from a table generated from the spec (sandbox/contract.py): an
unknown body field is `form_param_unknown`, a number outside the spec's bounds `form_param_value_invalid`.
So a catalog that drifts from the spec (a misspelt field, a limit the spec caps lower) fails the tests."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
from typing import Any

import httpx
import pytest

from clerk_mcp_setup.server.api import ClerkAPI, ClerkAPIError
from clerk_mcp_setup.server.catalog import BY_NAME
from clerk_mcp_setup.server.catalog.base import Param
from clerk_mcp_setup.server.handlers import Runtime, run_tool
from clerk_mcp_setup.server.sandbox import create_app
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

REPO = Path(__file__).resolve().parents[1]
KEY = "sk_test_strictSANDBOX0123456789"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def client() -> Any:
    transport = httpx.ASGITransport(app=create_app(secret_key=KEY))
    return httpx.AsyncClient(transport=transport, base_url="http://sandbox.invalid/v1", headers=AUTH)


def test_contract_is_what_the_spec_gives(bapi_spec: dict[str, Any]) -> None:
    spec_ = importlib.util.spec_from_file_location("gen_contract", REPO / "scripts" / "gen_sandbox_contract.py")
    assert spec_ and spec_.loader
    gen = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(gen)
    committed = (REPO / "clerk_mcp_setup" / "server" / "sandbox" / "contract.py").read_text(encoding="utf-8")
    assert gen.render(*gen.build(bapi_spec)) == committed, "run python scripts/gen_sandbox_contract.py"


def first_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    return dict(response.json()["errors"][0])


async def test_unknown_body_field_is_form_param_unknown(client: httpx.AsyncClient) -> None:
    response = await client.post("/invitations", json={"email_address": "a@example.com", "emails": ["x"]})
    error = first_error(response)
    assert error["code"] == "form_param_unknown" and error["meta"] == {"param_name": "emails"}
    assert error["long_message"] == "emails is not a valid parameter for this request."
    ok = await client.post("/invitations", json={"email_address": "a@example.com", "notify": False})
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize(
    ("path", "query"),
    [("/api_keys", {"subject": DEMO_IDS["user"], "limit": 200}), ("/users", {"limit": 501}), ("/users", {"limit": 0})],
)
async def test_limits_outside_the_spec_are_refused(client: httpx.AsyncClient, path: str, query: dict[str, Any]) -> None:
    error = first_error(await client.get(path, params=query))
    assert error["code"] == "form_param_value_invalid" and error["meta"] == {"param_name": "limit"}


async def test_limits_inside_the_spec_pass(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api_keys", params={"subject": DEMO_IDS["user"], "limit": 100})).status_code == 200
    assert (await client.get("/users", params={"limit": 500})).status_code == 200


async def test_body_number_outside_the_spec_is_refused(client: httpx.AsyncClient) -> None:
    error = first_error(
        await client.post("/invitations", json={"email_address": "b@example.com", "expires_in_days": 400})
    )
    assert error["code"] == "form_param_value_invalid" and error["meta"] == {"param_name": "expires_in_days"}
    ok = await client.post("/invitations", json={"email_address": "b@example.com", "expires_in_days": 365})
    assert ok.status_code == 200, ok.text


async def test_a_drifting_catalog_fails_against_the_sandbox() -> None:
    """What the sandbox is for: a tool whose field name or bounds drifted from the spec gets Clerk's 422."""
    api = ClerkAPI(KEY, "http://sandbox.invalid", transport=httpx.ASGITransport(app=create_app(secret_key=KEY)))
    rt = Runtime(api=api)
    tool = BY_NAME["createInvitation"]
    misspelt = dataclasses.replace(
        tool, params=(*tool.params, Param("expiresIn", "integer", "Days.", api="expires_in"))
    )
    with pytest.raises(ClerkAPIError) as caught:
        await run_tool(rt, misspelt, {"emailAddress": "c@example.com", "expiresIn": 3})
    assert caught.value.status == 422 and caught.value.code == "form_param_unknown"
    lists = BY_NAME["listApiKeys"]
    loose = dataclasses.replace(
        lists, params=tuple(dataclasses.replace(p, maximum=500) if p.name == "limit" else p for p in lists.params)
    )
    with pytest.raises(ClerkAPIError) as caught:
        await run_tool(rt, loose, {"subject": DEMO_IDS["user"], "limit": 200})
    assert caught.value.code == "form_param_value_invalid"
    await api.aclose()
