"""Every call the catalog makes exists in Clerk's OpenAPI spec with the parameters we send, and every
operation of the covered tags has a tool (or is listed below with the reason it has none)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from clerk_mcp_setup.server.catalog import CATALOG, Tool
from clerk_mcp_setup.server.catalog.coverage import TAGS, category_for_tag

METHODS = ("get", "post", "put", "patch", "delete")

OMITTED: dict[tuple[str, str], str] = {
    ("POST", "/users/{user_id}/verify_password"): "takes a user's password: an assistant must never be handed one, "
    "and each wrong guess counts towards locking the account",
    ("POST", "/users/{user_id}/verify_totp"): "takes a user's authenticator or backup code, same reasons as "
    "verify_password",
    ("POST", "/sessions/{session_id}/refresh"): "needs the browser's expired session JWT and refresh token: part "
    "of an SDK's request handling, nothing a person or an assistant holds",
    ("POST", "/m2m_tokens"): "must be authenticated with a machine's secret key, not the instance secret key the "
    "server holds; the machine itself mints its tokens",
}
"""Operations of the covered tags deliberately without a tool, each with its reason."""


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


def spec_params(spec: dict[str, Any], method: str, path: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(location, name) → {required, type} for every parameter and body field of one operation.

    Multipart fields count as `body` (our tools name them `where="body"`); an array body is `("body", "[]")`.
    """
    item = spec["paths"][path]
    op = operation(spec, method, path)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(spec, raw)
        if param["in"] in ("path", "query"):
            schema = _resolve(spec, param.get("schema", {}))
            required = bool(param.get("required")) or param["in"] == "path"
            out[(param["in"], param["name"])] = {"required": required, "type": schema.get("type")}
    content = _resolve(spec, op.get("requestBody", {})).get("content", {})
    for media in ("application/json", "multipart/form-data"):
        if media not in content:
            continue
        schema = _resolve(spec, content[media]["schema"])
        if schema.get("type") == "array":
            out[("body", "[]")] = {"required": True, "type": "array"}
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            prop = _resolve(spec, prop)
            out[("body", name)] = {"required": name in required, "type": prop.get("type")}
    return out


def covered_operations(spec: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(METHOD, path) → spec tag, for every non-deprecated operation of the tags the catalog covers."""
    found: dict[tuple[str, str], str] = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None or op.get("deprecated"):
                continue
            tags = [t for t in op.get("tags", []) if t in TAGS]
            if tags:
                found[(method.upper(), path)] = tags[0]
    return found


# A spec type and the catalog types that may stand for it (an untyped field is any JSON value).
_COMPATIBLE = {
    "string": {"string"},
    "integer": {"integer"},
    "number": {"number", "integer"},
    "boolean": {"boolean"},
    "array": {"array"},
    "object": {"object"},
    None: {"object", "string", "array"},
}


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
        if tool.handler == "array_body" and where == "body":
            continue  # the whole body: test_array_body_tools_send_the_spec_array
        places = [known[where] | (known["multipart"] if where == "body" else set())]
        places += [e[where] | e["multipart"] for e in extra]
        assert any(param.api_name in names for names in places), (
            f"{tool.name}.{param.name} → {where} field {param.api_name!r} is not in the spec ({sorted(known[where])})"
        )
    sent_paths = {p.api_name for p in tool.params if p.where == "path"}
    assert template <= sent_paths, f"{tool.name} never fills {template - sent_paths}"


@pytest.mark.parametrize("tool", API_TOOLS, ids=lambda t: t.name)
def test_tool_params_have_the_spec_types_and_required_ones(bapi_spec: dict[str, Any], tool: Tool) -> None:
    """Each parameter has a type the spec accepts, and every field the spec requires is a required parameter."""
    known = spec_params(bapi_spec, tool.method, tool.path)
    extra: dict[tuple[str, str], dict[str, Any]] = {}
    for method, path in tool.extra_calls:
        extra |= spec_params(bapi_spec, method, path)
    by_key: dict[tuple[str, str], list[Any]] = {}
    for param in tool.params:
        key = (param.where, "[]" if tool.handler == "array_body" and param.where == "body" else param.api_name)
        by_key.setdefault(key, []).append(param)
        spec_field = known.get(key) or extra.get(key)
        assert spec_field is not None, f"{tool.name}.{param.name}: {key} not in the spec"
        assert param.type in _COMPATIBLE.get(spec_field["type"], {spec_field["type"]}), (
            f"{tool.name}.{param.name} is {param.type}, the spec says {spec_field['type']}"
        )
    if tool.handler in ("get_organization", "update_user"):
        return  # an id or a slug; an image URL uploaded as a file: checked by their own tests
    for key, field in known.items():
        if field["required"]:
            assert key in by_key, f"{tool.name} lacks the spec's required {key}"
            assert all(p.required for p in by_key[key]), f"{tool.name}: {key} is required by the spec"


def test_every_operation_of_the_covered_tags_has_a_tool(bapi_spec: dict[str, Any]) -> None:
    operations = covered_operations(bapi_spec)
    calls = {(t.method, t.path) for t in CATALOG} | {c for t in CATALOG for c in t.extra_calls}
    missing = sorted(set(operations) - calls - set(OMITTED))
    assert not missing, f"{len(missing)} operations have no tool: {missing}"
    stale = sorted(k for k in OMITTED if k not in operations or k in calls)
    assert not stale, f"OMITTED lists operations that are gone, deprecated or now covered: {stale}"
    assert all(len(reason) > 20 for reason in OMITTED.values())


@pytest.mark.parametrize("tool", API_TOOLS, ids=lambda t: t.name)
def test_tool_is_in_its_tags_category(bapi_spec: dict[str, Any], tool: Tool) -> None:
    """`--tools emailAddresses` gives the Email Addresses operations, and so on for every tag."""
    tag = covered_operations(bapi_spec).get((tool.method, tool.path))
    assert tag is not None, f"{tool.name}: {tool.method} {tool.path} is not in a covered tag"
    assert tool.category == category_for_tag(tag, tool.path), (tool.name, tag)


@pytest.mark.parametrize("tool", [t for t in CATALOG if t.handler == "array_body"], ids=lambda t: t.name)
def test_array_body_tools_send_the_spec_array(bapi_spec: dict[str, Any], tool: Tool) -> None:
    """The spec's bulk operations take a JSON array as the whole body: one array parameter carries it."""
    assert ("body", "[]") in spec_params(bapi_spec, tool.method, tool.path)
    body = [p for p in tool.params if p.where == "body"]
    assert len(body) == 1 and body[0].type == "array" and body[0].items == "object" and body[0].required


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
            assert {tool.list_shape, "total_count"} <= set(schema.get("properties", {})), tool.name


def test_every_list_tool_answers_the_envelope(bapi_spec: dict[str, Any]) -> None:
    """A tool named list… pages into `{items,total_count,has_more,next_offset}`, and so does every other tool
    whose spec answer is a list (a bare array, or `{data, total_count}`)."""
    for tool in API_TOOLS:
        op = operation(bapi_spec, tool.method, tool.path)
        response = _resolve(bapi_spec, op["responses"].get("200", {}))
        schema = _resolve(bapi_spec, response.get("content", {}).get("application/json", {}).get("schema", {}))
        props = {k: _resolve(bapi_spec, v) for k, v in schema.get("properties", {}).items()}
        arrays = [k for k, v in props.items() if v.get("type") == "array"]
        is_list = schema.get("type") == "array" or ("total_count" in props and len(props) == 2 and arrays)
        if tool.name.startswith("list") or (is_list and tool.method == "GET" and not tool.handler):
            assert tool.list_shape, f"{tool.name} answers the API's raw list shape, not the envelope"


# Where a tool checks more than the spec says, and why (every other constraint must equal the spec's).
STRICTER: dict[tuple[str, str, str], str] = {
    ("adjustUserBillingCreditBalance", "amount", "minimum"): "a credit adjustment of zero or less means nothing; "
    "its direction is the action argument",
    ("adjustOrganizationBillingCreditBalance", "amount", "minimum"): "as for adjustUserBillingCreditBalance",
    ("createActorToken", "expiresInSeconds", "minimum"): "a token that expires before it is used is a mistake",
    ("createActorToken", "sessionMaxDurationInSeconds", "minimum"): "likewise a session of zero seconds",
    ("updateInstanceOrganizationSettings", "maxAllowedMemberships", "minimum"): "0 means unlimited; a negative "
    "limit means nothing (the organization endpoints say minimum 0)",
    ("listOrganizationDomains", "verified", "enum"): "the spec types this boolean filter as a string; only "
    "'true' and 'false' mean anything",
}
LOOSER: dict[tuple[str, str, str], str] = {
    ("listOrganizationDomains", "enrollmentMode", "enum"): "a filter: each value may carry a '-' prefix to "
    "exclude it, which an enum cannot express",
    ("createDomain", "isSatellite", "enum"): "the spec's enum is [true] (only satellites can be added); the tool "
    "description says so and Clerk answers a clear 422 for false, cheaper than an enum in every tools/list",
}
_PROSE_ENUM = re.compile(r"(?:can be|[Aa]ccepts|one of)((?:,?\s*(?:or\s+|and\s+)?`[a-z][a-z0-9_]*`)+)")
_BACKTICKED = re.compile(r"`([a-z][a-z0-9_]*)`")


def _field_schema(spec: dict[str, Any], method: str, path: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(location, name) → the resolved schema of each parameter and body field (with its description)."""
    item = spec["paths"][path]
    op = operation(spec, method, path)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        param = _resolve(spec, raw)
        if param["in"] in ("path", "query"):
            schema = dict(_resolve(spec, param.get("schema", {})))
            schema.setdefault("description", param.get("description", ""))
            out[(param["in"], param["name"])] = schema
    content = _resolve(spec, op.get("requestBody", {})).get("content", {})
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            schema = _resolve(spec, content[media]["schema"])
            for name, prop in schema.get("properties", {}).items():
                out.setdefault(("body", name), _resolve(spec, prop))
    return out


def spec_constraints(spec: dict[str, Any], field: dict[str, Any]) -> dict[str, Any]:
    """enum, minimum, maximum and maxLength as the spec states them; an enum it only lists in prose
    ("This can be `a`, `b` or `c`") counts when it names at least two values."""
    items = _resolve(spec, field.get("items", {})) if field.get("type") == "array" else {}
    enum = field.get("enum") or items.get("enum")
    if not enum:
        prose = _PROSE_ENUM.search(field.get("description") or "")
        named = _BACKTICKED.findall(prose.group(1)) if prose else []
        enum = named if len(named) >= 2 else None
    return {
        "enum": set(enum) if enum else None,
        "minimum": field.get("minimum"),
        "maximum": field.get("maximum"),
        "maxLength": field.get("maxLength"),
    }


@pytest.mark.parametrize("tool", API_TOOLS, ids=lambda t: t.name)
def test_tool_params_carry_the_spec_constraints(bapi_spec: dict[str, Any], tool: Tool) -> None:
    """Enums, minimum/maximum, maxLength and page-size limits of every parameter equal the spec's, so a value
    Clerk refuses is refused here first (with a clear message) and one Clerk accepts is never refused."""
    known = _field_schema(bapi_spec, tool.method, tool.path)
    for method, path in tool.extra_calls:
        for key, value in _field_schema(bapi_spec, method, path).items():
            known.setdefault(key, value)
    for param in tool.params:
        if tool.handler == "array_body" and param.where == "body":
            continue
        field = known.get((param.where, param.api_name))
        if field is None:
            continue  # a handler's own argument (an image URL, an id-or-slug): test_tool_call_matches_spec
        want = spec_constraints(bapi_spec, field)
        got = {
            "enum": set(param.enum) if param.enum else None,
            "minimum": param.minimum,
            "maximum": param.maximum,
            "maxLength": param.max_length,
        }
        if got["enum"] and want["enum"] is None:
            want["enum"] = got["enum"] if (tool.name, param.name, "enum") in STRICTER else None
        for name in got:
            if got[name] == want[name]:
                continue
            key = (tool.name, param.name, name)
            if key in STRICTER and want[name] is None:
                continue
            if key in LOOSER and got[name] is None:
                continue
            pytest.fail(f"{tool.name}.{param.name}: {name} is {got[name]!r}, the spec says {want[name]!r}")
        if param.name == "limit":
            assert f"1-{param.maximum}" in param.description, f"{tool.name}.limit says {param.description!r}"


def test_exceptions_are_still_exceptions(bapi_spec: dict[str, Any]) -> None:
    """Each listed difference still exists (a spec update may have made it agree) and has a reason."""
    by_name = {t.name: t for t in API_TOOLS}
    for (tool_name, param_name, name), reason in {**STRICTER, **LOOSER}.items():
        tool = by_name[tool_name]
        param = next(p for p in tool.params if p.name == param_name)
        field = _field_schema(bapi_spec, tool.method, tool.path)[(param.where, param.api_name)]
        want = spec_constraints(bapi_spec, field)[name]
        got = {"enum": param.enum, "minimum": param.minimum, "maximum": param.maximum, "maxLength": param.max_length}
        assert (got[name] is None) != (want is None), (tool_name, param_name, name)
        assert len(reason) > 20
