"""Draft catalog entries from Clerk's OpenAPI spec, for operations the catalog does not cover yet.

Usage: python scripts/gen_catalog.py [--spec ../shared/clerk-bapi/2026-05-12.yml] [--tag "Sessions"] [--all]

Prints `Tool(...)` drafts (name from the operationId, risk guessed from the method, every spec parameter
with its location and type) to paste into `clerk_mcp_setup/server/catalog/<category>.py`. The drafts are a
starting point only: the committed modules are hand-checked (names, when-to-use descriptions, which optional
parameters are worth their bytes, risk class). `tests/test_spec_contract.py` then keeps them honest.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from clerk_mcp_setup.server.catalog import CATALOG  # noqa: E402
from clerk_mcp_setup.server.catalog.coverage import TAGS, category_for_tag  # noqa: E402

METHODS = ("get", "post", "put", "patch", "delete")
_JSON_TYPES = {"string", "integer", "number", "boolean", "object", "array"}


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def camel(name: str) -> str:
    """`email_address_id` → `emailAddressId`."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def tool_name(operation_id: str) -> str:
    return operation_id[:1].lower() + operation_id[1:]


def guess_risk(method: str, path: str) -> str:
    if method == "get":
        return "read"
    if method == "delete" or re.search(r"/(revoke|ban|lock)\b", path):
        return "destructive"
    if re.search(r"token|secret|api_key", path):
        return "credential"
    return "write"


def param_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    return kind if kind in _JSON_TYPES else "object"


def draft(spec: dict[str, Any], method: str, path: str, op: dict[str, Any], category: str) -> str:
    lines: list[str] = []
    item = spec["paths"][path]
    for raw in [*item.get("parameters", []), *op.get("parameters", [])]:
        p = resolve(spec, raw)
        schema = p.get("schema", {})
        where = p["in"]
        if where not in ("path", "query"):
            continue
        if where == "path":
            lines.append(f'path_id("{camel(p["name"])}", "TODO", api="{p["name"]}")')
            continue
        items = f', items="{schema.get("items", {}).get("type", "string")}"' if schema.get("type") == "array" else ""
        req = ", required=True" if p.get("required") else ""
        lines.append(f'Param("{camel(p["name"])}", "{param_type(schema)}", "TODO", where="query"{items}{req})')
    content = resolve(spec, op.get("requestBody", {})).get("content", {})
    body = content.get("application/json") or content.get("multipart/form-data")
    if body:
        schema = resolve(spec, body["schema"])
        if schema.get("type") == "array":
            lines.append('Param("items", "array", "TODO: the whole body is this array", required=True, items="object")')
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            prop = resolve(spec, prop)
            req = ", required=True" if name in required else ""
            lines.append(f'Param("{camel(name)}", "{param_type(prop)}", "TODO"{req})')
    params = "".join(f"\n            {line}," for line in lines)
    return (
        f"    Tool(\n"
        f'        "{tool_name(op.get("operationId", "todo"))}",\n'
        f'        "{category}",\n'
        f'        "{op.get("summary", "").rstrip(".")}",\n'
        f'        "TODO when to use.",\n'
        f'        "{guess_risk(method, path)}",\n'
        f'        "{method.upper()}",\n'
        f'        "{path}",\n'
        f"        ({params}\n        ),\n"
        f"    ),"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=str(REPO.parent / "shared" / "clerk-bapi" / "2026-05-12.yml"))
    parser.add_argument("--tag", action="append", help="only this spec tag (repeatable)")
    parser.add_argument("--all", action="store_true", help="also draft operations the catalog already covers")
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as fh:
        spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    covered = {(t.method, t.path) for t in CATALOG} | {c for t in CATALOG for c in t.extra_calls}
    wanted = set(args.tag or TAGS)
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if not op or op.get("deprecated"):
                continue
            tags = [t for t in op.get("tags", []) if t in wanted]
            if not tags or (not args.all and (method.upper(), path) in covered):
                continue
            print(f"# {method.upper()} {path}  ({op.get('operationId')}, tag {tags[0]})")
            print(draft(spec, method, path, op, category_for_tag(tags[0], path)))


if __name__ == "__main__":
    main()
