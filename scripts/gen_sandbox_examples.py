"""Generate `clerk_mcp_setup/server/sandbox/examples.py`: one spec-valid example answer per operation.

Usage: python scripts/gen_sandbox_examples.py [--spec ../shared/clerk-bapi/2026-05-12.yml] [--check]

The sandbox serves the many simple resources (roles, JWT templates, API keys, machines, …) generically:
it copies the example answer of the operation, then fills in ids, times and the request's fields. The
examples come from the spec's response schemas (every property, enums at their first value, nullable
fields filled in), so the sandbox needs no spec at run time (`--demo` runs on users' machines) yet answers
in the spec's shapes; `tests/test_sandbox_resources.py` validates every answer against the spec again.
`--check` exits non-zero when the committed file differs from what the spec gives.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "clerk_mcp_setup" / "server" / "sandbox" / "examples.py"
sys.path.insert(0, str(REPO))

from clerk_mcp_setup.server.catalog.coverage import TAGS  # noqa: E402

METHODS = ("get", "post", "put", "patch", "delete")
# Answers the sandbox builds from its own records (users, organizations, ...): no example needed.
HAND_WRITTEN = {
    "User",
    "Users",
    "Organization",
    "Organizations",
    "OrganizationWithLogo",
    "OrganizationMembership",
    "OrganizationMemberships",
    "OrganizationInvitation",
    "OrganizationInvitations",
    "OrganizationInvitationsWithPublicOrganizationData",
    "Invitation",
    "Invitation.Revoked",
    "EmailAddress",
    "PhoneNumber",
    "TotalCount",
}
BASE_MS = 1_736_121_600_000
MAX_DEPTH = 4

# Values a type alone cannot produce (patterns, formats the validators check, meaningful defaults).
BY_NAME: dict[str, Any] = {
    "email_address": "person@example.com",
    "subject": "user_2demoAmara0000000000000000",
    "url": "https://example.com/callback",
    "image_url": "https://img.example.com/sandbox/default.png",
    "frontend_api_url": "https://clerk.example.com",
    "development_origin": "",
    "currency": "USD",
}
_PATTERN = re.compile(r"\^\(?([a-z|]+)\)?_(\\w|\[0-9A-Fa-f\])\{(\d+)\}\$")


def from_pattern(pattern: str) -> str | None:
    """A value for Clerk's id patterns (`^(user|org)_\\w{27}$`, `^ak_[0-9A-Fa-f]{32}$`)."""
    match = _PATTERN.fullmatch(pattern)
    if not match:
        return None
    prefix = match.group(1).split("|")[0]
    return f"{prefix}_{'0' * int(match.group(3))}"


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def example(spec: dict[str, Any], node: dict[str, Any], name: str = "", depth: int = 0) -> Any:
    """A value valid for `node`: every property (required ones only when deep), arrays empty."""
    node = resolve(spec, node)
    if "allOf" in node:
        merged: dict[str, Any] = {}
        for part in node["allOf"]:
            value = example(spec, part, name, depth)
            if isinstance(value, dict):
                merged.update(value)
        extra = {k: v for k, v in node.items() if k != "allOf"}
        if extra.get("properties"):
            merged.update(example(spec, {**extra, "type": "object"}, name, depth))
        return merged
    for key in ("oneOf", "anyOf"):
        if key in node:
            return example(spec, node[key][0], name, depth)
    if node.get("enum"):
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        required = set(node.get("required", []))
        keep = props if depth < MAX_DEPTH else {k: v for k, v in props.items() if k in required}
        return {k: example(spec, v, k, depth + 1) for k, v in keep.items()}
    if kind == "array":
        return []
    if kind == "string":
        if node.get("pattern") and (value := from_pattern(node["pattern"])):
            return value
        if name in BY_NAME:
            return BY_NAME[name]
        if node.get("format") == "email":
            return "person@example.com"
        return name or "example"
    if kind == "integer":
        if name.endswith("_at") or name in ("expiration", "expire_at"):
            return BASE_MS
        return max(int(node.get("minimum", 1)), 1)
    if kind == "number":
        return max(node.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    return {}


def response_schema(spec: dict[str, Any], op: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The success status and its JSON schema (None for an empty answer such as a 204)."""
    for status, raw in op.get("responses", {}).items():
        if status.startswith("2"):
            response = resolve(spec, raw)
            content = response.get("content", {}).get("application/json")
            return status, content["schema"] if content else None
    raise ValueError(f"no success response for {op.get('operationId')}")


def build(spec: dict[str, Any]) -> dict[str, Any]:
    """`"METHOD /path"` → example answer, for every non-deprecated operation of the covered tags."""
    out: dict[str, Any] = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if not op or op.get("deprecated") or not set(op.get("tags", [])) & set(TAGS):
                continue
            _, schema = response_schema(spec, op)
            if schema is not None and schema.get("$ref", "").rsplit("/", 1)[-1] in HAND_WRITTEN:
                continue
            raw = op["responses"][next(s for s in op["responses"] if s.startswith("2"))]
            if raw.get("$ref", "").rsplit("/", 1)[-1] in HAND_WRITTEN:
                continue
            out[f"{method.upper()} {path}"] = None if schema is None else example(spec, schema)
    return out


def render(examples: dict[str, Any]) -> str:
    lines = "".join(f"    {key!r}: {value!r},\n" for key, value in examples.items())
    return (
        "# ruff: noqa: E501\n"
        '"""Spec-shaped example answers for the sandbox\'s generic resources, by `"METHOD /path"`. GENERATED\n'
        "by scripts/gen_sandbox_examples.py from Clerk's OpenAPI spec: do not edit, regenerate.\n"
        '"""\n\n'
        "from typing import Any\n\n"
        "# fmt: off\n"
        f"EXAMPLES: dict[str, Any] = {{\n{lines}}}\n"
        "# fmt: on\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=str(REPO.parent / "shared" / "clerk-bapi" / "2026-05-12.yml"))
    parser.add_argument("--check", action="store_true", help="fail if the committed file is out of date")
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as fh:
        spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    text = render(copy.deepcopy(build(spec)))
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is out of date: run python scripts/gen_sandbox_examples.py")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text):,} bytes)")


if __name__ == "__main__":
    main()
