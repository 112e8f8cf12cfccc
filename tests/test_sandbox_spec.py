"""The sandbox against Clerk's OpenAPI spec: its route table exists there, and every success answer
validates against the spec's response schema for that operation (OpenAPI 3.0 → JSON Schema).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import jsonschema
import pytest

from clerk_mcp_setup.server.sandbox import ROUTES, create_app
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

KEY = "sk_test_specCheck123"
AUTH = {"Authorization": f"Bearer {KEY}"}


# --- OpenAPI helpers ----------------------------------------------------------------------------


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow `$ref`s (local JSON pointers) until a concrete node."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema: `nullable: true` becomes a null type (or an anyOf with null)."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "discriminator")}
    if node.get("nullable") is True:
        if "type" in out and not {"allOf", "anyOf", "oneOf"} & set(out):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


_converted: dict[int, dict[str, Any]] = {}


def response_validator(spec: dict[str, Any], method: str, path: str, status: str = "200") -> Any:
    """A validator for one operation's JSON response, with the spec's components resolvable."""
    if id(spec) not in _converted:
        _converted[id(spec)] = to_json_schema(spec["components"])
    op = spec["paths"][path][method.lower()]
    response = resolve(spec, op["responses"][status])
    schema = to_json_schema(response["content"]["application/json"]["schema"])
    root = {**schema, "components": _converted[id(spec)]}
    return jsonschema.Draft4Validator(root)


def spec_parameters(spec: dict[str, Any], method: str, path: str) -> dict[str, set[str]]:
    """Names of an operation's path and query parameters and of its request body's fields."""
    item = spec["paths"][path]
    op = item[method.lower()]
    out: dict[str, set[str]] = {"path": set(), "query": set(), "body": set()}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = resolve(spec, raw)
        if param["in"] in ("path", "query"):
            out[param["in"]].add(param["name"])
    for media in resolve(spec, op.get("requestBody", {})).get("content", {}).values():
        out["body"] |= set(resolve(spec, media["schema"]).get("properties", {}))
    return out


def assert_valid(validator: Any, data: Any, label: str) -> None:
    problems = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not problems, f"{label}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in problems[:5]
    )


# --- the route table ----------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_route_exists_in_spec(bapi_spec: dict[str, Any], route: Any) -> None:
    assert route.path in bapi_spec["paths"], route.path
    op = bapi_spec["paths"][route.path].get(route.method.lower())
    assert op is not None, f"{route.method} {route.path} is not in the spec"
    assert not op.get("deprecated")
    known = spec_parameters(bapi_spec, route.method, route.path)
    assert set(re.findall(r"\{(\w+)\}", route.path)) == known["path"]
    assert set(route.query) <= known["query"], set(route.query) - known["query"]
    assert set(route.body) <= known["body"], set(route.body) - known["body"]
    assert len(set(route.query)) == len(route.query) and len(set(route.body)) == len(route.body)


def test_route_table_has_no_duplicates() -> None:
    keys = [(r.method, r.path) for r in ROUTES]
    assert len(keys) == len(set(keys)) >= 26


def test_samples_cover_every_core_route() -> None:
    """The hand-written core is sampled here; the rest is called through its tools, with every answer
    validated the same way, in test_tools_end_to_end.py."""
    from clerk_mcp_setup.server.sandbox.routes import MORE

    assert {(s.method, s.template) for s in SAMPLES} == {(r.method, r.path) for r in ROUTES if r not in MORE}


# --- every operation's success answer -----------------------------------------------------------

USER = DEMO_IDS["user"]
ORG = DEMO_IDS["organization"]
MEMBER = DEMO_IDS["member_user"]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@dataclass
class Sample:
    method: str
    template: str
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    label: str = ""

    @property
    def url(self) -> str:
        path = self.template
        for name, value in self.params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return "/v1" + path

    def __str__(self) -> str:
        return f"{self.method} {self.template}{' ' + self.label if self.label else ''}"


IN_ORG = {"organization_id": ORG}
SAMPLES = [
    Sample("GET", "/users", query={"limit": 500}),
    Sample("GET", "/users", query={"query": "example", "order_by": "last_name"}, label="filtered"),
    Sample("GET", "/users/count", query={"email_address": ["amara.okafor@example.com"]}),
    Sample("GET", "/users/{user_id}", {"user_id": USER}),
    Sample("GET", "/users/{user_id}", {"user_id": DEMO_IDS["phone_only_user"]}, label="phone only"),
    Sample("PATCH", "/users/{user_id}", {"user_id": USER}, json={"first_name": "Ada", "username": "ada_l"}),
    Sample("DELETE", "/users/{user_id}", {"user_id": USER}),
    Sample("PATCH", "/users/{user_id}/metadata", {"user_id": USER}, json={"public_metadata": {"a": {"b": 1}}}),
    Sample("POST", "/users/{user_id}/profile_image", {"user_id": USER}, files={"file": ("a.png", PNG, "image/png")}),
    Sample("GET", "/organizations", query={"include_members_count": "true", "limit": 500}),
    Sample("POST", "/organizations", json={"name": "Spec Org", "created_by": USER, "public_metadata": {"x": 1}}),
    Sample("GET", "/organizations/{organization_id}", IN_ORG, query={"include_members_count": "true"}),
    Sample("GET", "/organizations/{organization_id}", {"organization_id": "acme-corp"}, label="by slug"),
    Sample("PATCH", "/organizations/{organization_id}", IN_ORG, json={"name": "Acme 2", "slug": "acme-two"}),
    Sample("DELETE", "/organizations/{organization_id}", IN_ORG),
    Sample("PATCH", "/organizations/{organization_id}/metadata", IN_ORG, json={"private_metadata": {"k": None}}),
    Sample("GET", "/organizations/{organization_id}/memberships", IN_ORG, query={"limit": 500}),
    Sample(
        "POST",
        "/organizations/{organization_id}/memberships",
        IN_ORG,
        json={"user_id": DEMO_IDS["unaffiliated_user"], "role": "org:member"},
    ),
    Sample(
        "PATCH",
        "/organizations/{organization_id}/memberships/{user_id}",
        {**IN_ORG, "user_id": MEMBER},
        json={"role": "org:admin"},
    ),
    Sample("DELETE", "/organizations/{organization_id}/memberships/{user_id}", {**IN_ORG, "user_id": MEMBER}),
    Sample(
        "PATCH",
        "/organizations/{organization_id}/memberships/{user_id}/metadata",
        {**IN_ORG, "user_id": MEMBER},
        json={"public_metadata": {"title": "Lead"}},
    ),
    Sample("GET", "/organizations/{organization_id}/invitations", IN_ORG, query={"status": "pending"}),
    Sample(
        "POST",
        "/organizations/{organization_id}/invitations",
        IN_ORG,
        json={"email_address": "spec@example.com", "role": "org:member", "inviter_user_id": USER},
    ),
    Sample(
        "POST",
        "/organizations/{organization_id}/invitations/{invitation_id}/revoke",
        {**IN_ORG, "invitation_id": DEMO_IDS["pending_org_invitation"]},
        json={"requesting_user_id": USER},
    ),
    Sample("GET", "/organization_invitations", query={"limit": 500}),
    Sample("GET", "/organization_memberships", query={"limit": 500}),
    Sample("GET", "/invitations", query={"status": "revoked"}),
    Sample("GET", "/invitations"),
    Sample("POST", "/invitations", json={"email_address": "spec.invite@example.com", "redirect_url": "https://x.test"}),
    Sample("POST", "/invitations/{invitation_id}/revoke", {"invitation_id": DEMO_IDS["pending_invitation"]}),
]


@pytest.mark.parametrize("sample", SAMPLES, ids=str)
async def test_success_answer_matches_spec(bapi_spec: dict[str, Any], sample: Sample) -> None:
    transport = httpx.ASGITransport(app=create_app(secret_key=KEY))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as client:
        response = await client.request(
            sample.method, sample.url, params=sample.query, json=sample.json, files=sample.files
        )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert data not in ([], {"data": [], "total_count": 0}), "a sample should return something to check"
    assert_valid(response_validator(bapi_spec, sample.method, sample.template), data, str(sample))


ERRORS = [
    (Sample("GET", "/users/{user_id}", {"user_id": "user_nope"}), "404"),
    (Sample("POST", "/organizations", json={"slug": "x"}), "422"),
    (Sample("GET", "/users", query={"limit": 0}), "422"),
    (Sample("POST", "/invitations", json={"email_address": "beta.tester@example.com"}), "400"),
]


@pytest.mark.parametrize(("sample", "status"), ERRORS, ids=lambda x: str(x))
async def test_error_answers_match_spec(bapi_spec: dict[str, Any], sample: Sample, status: str) -> None:
    transport = httpx.ASGITransport(app=create_app(secret_key=KEY))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as client:
        response = await client.request(sample.method, sample.url, params=sample.query, json=sample.json)
    assert str(response.status_code) == status, response.text
    assert_valid(response_validator(bapi_spec, sample.method, sample.template, status), response.json(), str(sample))
