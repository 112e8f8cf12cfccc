"""Every call the catalog makes exists in Clerk's OpenAPI spec with the parameters we send."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clerk_mcp_setup.server.catalog import CATALOG, Tool


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = spec
        for part in parts:
            node = node[part]
    return node


def operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    item = spec["paths"].get(path)
    assert item is not None, f"{path} is not a path of Clerk's spec"
    op = item.get(method.lower())
    assert op is not None, f"{method} {path} is not an operation of Clerk's spec"
    assert not op.get("deprecated"), f"{method} {path} is deprecated"
    return op


def parameters(spec: dict[str, Any], method: str, path: str) -> dict[str, set[str]]:
    """Names of the operation's parameters by location, and of its request body's fields."""
    item = spec["paths"][path]
    op = operation(spec, method, path)
    out: dict[str, set[str]] = {"path": set(), "query": set(), "body": set(), "multipart": set()}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(spec, raw)
        if param["in"] in ("path", "query"):
            out[param["in"]].add(param["name"])
    content = _resolve(spec, op.get("requestBody", {})).get("content", {})
    for media, key in (("application/json", "body"), ("multipart/form-data", "multipart")):
        if media in content:
            schema = _resolve(spec, content[media]["schema"])
            out[key] |= set(schema.get("properties", {}))
    return out


API_TOOLS = [t for t in CATALOG if t.path]


@pytest.mark.parametrize("tool", API_TOOLS, ids=lambda t: t.name)
def test_tool_call_matches_spec(bapi_spec: dict[str, Any], tool: Tool) -> None:
    known = parameters(bapi_spec, tool.method, tool.path)
    template = set(re.findall(r"\{(\w+)\}", tool.path))
    assert template == known["path"], f"{tool.name}: path parameters {template} vs spec {known['path']}"
    # A handler tool may send some fields through its extra calls (metadata, an image upload).
    extra = [parameters(bapi_spec, m, p) for m, p in tool.extra_calls]
    for param in tool.params:
        where = param.where
        places = [known[where]] + [e[where] | e["multipart"] for e in extra]
        assert any(param.api_name in names for names in places), (
            f"{tool.name}.{param.name} → {where} field {param.api_name!r} is not in the spec ({sorted(known[where])})"
        )
    sent_paths = {p.api_name for p in tool.params if p.where == "path"}
    assert template <= sent_paths, f"{tool.name} never fills {template - sent_paths}"


@pytest.mark.parametrize("tool", [t for t in CATALOG if t.extra_calls or t.count_path], ids=lambda t: t.name)
def test_extra_calls_exist(bapi_spec: dict[str, Any], tool: Tool) -> None:
    calls = list(tool.extra_calls) + ([("GET", tool.count_path)] if tool.count_path else [])
    for method, path in calls:
        operation(bapi_spec, method, path)
    if tool.handler == "update_user":
        assert "file" in parameters(bapi_spec, *tool.extra_calls[0])["multipart"]
    if tool.handler == "update_organization":
        assert {"public_metadata", "private_metadata"} <= parameters(bapi_spec, *tool.extra_calls[0])["body"]
    if tool.count_path:
        filters = {p.api_name for p in tool.params if p.where == "query"} - {"limit", "offset", "order_by"}
        assert filters <= parameters(bapi_spec, "GET", tool.count_path)["query"]


def test_list_shapes_match_spec(bapi_spec: dict[str, Any]) -> None:
    """A tool that expects a bare array must get one, and `{data, total_count}` likewise."""
    for tool in (t for t in CATALOG if t.list_shape):
        op = operation(bapi_spec, tool.method, tool.path)
        response = _resolve(bapi_spec, op["responses"]["200"])
        schema = _resolve(bapi_spec, response["content"]["application/json"]["schema"])
        if tool.list_shape == "array":
            assert schema.get("type") == "array", tool.name
        else:
            assert {"data", "total_count"} <= set(schema.get("properties", {})), tool.name
