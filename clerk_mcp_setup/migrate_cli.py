"""`clerk-mcp-setup migrate`: replace other Clerk servers' entries with ours, keeping their tool scope and key.

The face only: finding and planning live in `install/migrate.py`; showing, confirming and applying reuse
the install command's plan text and JSON.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from clerk_mcp_setup.clients import Env
from clerk_mcp_setup.errors import EXIT_OK, EXIT_USAGE, UsageError
from clerk_mcp_setup.install import installer, migrate, wal
from clerk_mcp_setup.output import emit, project_dir
from clerk_mcp_setup.secrets import mask_text

_ACTIONS = {
    "replace": "replace with clerk-mcp-server",
    "remove-duplicate": "remove (duplicate)",
    "keep-duplicate": "keep (duplicate; --remove-duplicates removes it)",
    "skip": "skip",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Find entries of other Clerk MCP servers (@clerk/agent-toolkit, mcp.clerk.com, X-Clerk-Secret-Key servers) "
        "in every supported client and scope, and replace them with this server, keeping their tool scope and key."
    )
    p.add_argument("--project", default=".", metavar="DIR", help="also look at DIR's project files (default: .)")
    p.add_argument("--remove-duplicates", action="store_true", help="remove other Clerk entries in the same file")
    p.add_argument(
        "--secret-key-stdin", action="store_true", help="the key for old entries that carried none (read from stdin)"
    )


def _key(args: argparse.Namespace) -> str | None:
    if args.secret_key_stdin:
        key = sys.stdin.readline().strip()
        if not key:
            raise UsageError("--secret-key-stdin was given but standard input was empty.")
        return key
    return os.environ.get("CLERK_SECRET_KEY", "").strip() or None


def _item_data(item: migrate.Item) -> dict[str, Any]:
    f, old = item.found, item.old
    key = "plain" if old.key else f"env:{old.key_env}" if old.key_env else None
    return {
        "client": f.target.client.id,
        "scope": f.target.scope,
        "name": f.name,
        "path": str(f.path),
        "kind": old.kind,
        "tools": list(old.tools) if old.tools is not None else None,
        "key": key,
        "api_url": old.api_url,
        "action": item.action,
        "reason": item.reason or None,
        "result": item.result or None,
    }


def _item_line(item: migrate.Item) -> str:
    line = f"  {item.head()}: {item.old.describe()} → {_ACTIONS[item.action]}"
    if item.old.tools is not None and item.action == "replace":
        line += f"\n    tools kept: {' '.join(item.old.tools)}"
    if item.reason:
        line += f"\n    {item.reason}"
    if item.result:
        line += f"\n    result: {item.result}"
    return line


def run(args: argparse.Namespace) -> int:
    from clerk_mcp_setup.commands import _confirm, _plan_data, _plan_text

    env = Env.current()
    settled = wal.reconcile()
    migration = migrate.plan(
        env, project_dir(args.project), secret_key=_key(args), remove_duplicates=args.remove_duplicates
    )
    plan, items = migration.plan, migration.items
    plan.notes[:0] = settled + [f"not read: {p}" for p in migration.problems]
    header = [f"Found {len(items)} entr{'y' if len(items) == 1 else 'ies'} of other Clerk servers."]
    header += [_item_line(i) for i in items]

    def report(applied: list[installer.Applied] | None, text: list[str]) -> None:
        data = _plan_data(plan, applied) | {"items": [_item_data(i) for i in items]}
        emit(data, mask_text("\n".join(text), plan.secrets), args.json)

    if not plan.changed or args.dry_run:
        report(None, [*header, _plan_text(plan, True)] if plan.changed else [*header, "Nothing to change."])
        return EXIT_OK
    if not args.json:
        print(mask_text("\n".join([*header, _plan_text(plan, True)]), plan.secrets), file=sys.stderr)
    if not _confirm(plan, args):
        print("Nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    applied = installer.apply(plan)
    written = {str(a.change.path) for a in applied if a.written}
    for item in items:
        if item.action in ("replace", "remove-duplicate"):
            done = str(item.found.path) in written
            verb = "replaced; `uninstall` puts the old entry back" if item.action == "replace" else "removed"
            item.result = verb if done else "not written"
    lines = [_item_line(i) for i in items]
    lines += [f"{a.change.action:<9} {a.change.path}  (backup: {a.backup})" for a in applied if a.written and a.backup]
    report(applied, lines)
    return EXIT_OK
