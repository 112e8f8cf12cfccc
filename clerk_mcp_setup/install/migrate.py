"""Find other Clerk servers' entries in every supported client and scope, and plan replacing them with ours.

Recognised (the forms are listed in ../shared/reference/peers.md):
- `@clerk/agent-toolkit` started by npx / bunx / pnpm dlx / yarn dlx, or its global `local-mcp` binary.
  Its `-t/--tools` scope is kept exactly, as explicit tool names (`--tools=users` is its 6 user tools, not
  our whole users category); its key (`--secret-key`/`--sk`, or `CLERK_SECRET_KEY` in the entry's env)
  moves into the vault, or stays an environment reference when it was one; `--api-url` is kept.
- URL entries (or `mcp-remote URL` bridges) pointing at a Clerk MCP endpoint (`mcp.clerk.com`,
  `*.clerk.com`, `clerk.dev`): Clerk's hosted snippet server, which has no Backend API tools.
- Entries sending an `X-Clerk-Secret-Key` header (the community HTTP servers): the key moves to the vault.

Each old entry is replaced in place under its own name (the original text is kept in the manifest, so
`uninstall` puts it back); other Clerk entries in the same file are duplicates, removed only on request.
Nothing is written here: the result is an `installer.Plan` the faces show, confirm and apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

from clerk_mcp_setup.clients import Env
from clerk_mcp_setup.errors import ClerkMcpError, ScopeError
from clerk_mcp_setup.files import read_snapshot
from clerk_mcp_setup.install import installer, ownership, scan
from clerk_mcp_setup.install.launch import Launcher, find_launcher
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.scope import resolve_compat
from clerk_mcp_setup.secrets import KEY_RE
from clerk_mcp_setup.server.catalog import CATALOG

# @clerk/agent-toolkit 0.3.15's 19 tools by its `--tools` category: the catalog marks them `compat`
# (tests/test_compat_flags.py checks them against the real peer's tools/list).
TOOLKIT_TOOLS: dict[str, tuple[str, ...]] = {}
for _tool in CATALOG:
    if _tool.compat:
        TOOLKIT_TOOLS[_tool.category] = (*TOOLKIT_TOOLS.get(_tool.category, ()), _tool.name)
ALL_TOOLKIT = tuple(t for tools in TOOLKIT_TOOLS.values() for t in tools)
_PACKAGE = re.compile(r"^@clerk/agent-toolkit(@[^\s/]+)?$")
_REFERENCE = re.compile(r"^\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)\}$|^\$([A-Za-z_][A-Za-z0-9_]*)$")
KEY_HEADER = "x-clerk-secret-key"


class MigrateError(ClerkMcpError):
    """An old entry that cannot be migrated as it is (a tool name the old server never had, …)."""


@dataclass
class OldServer:
    """What an old Clerk entry ran, in the terms our request needs."""

    kind: str  # "agent-toolkit" | "clerk-hosted" | "community-http"
    tools: tuple[str, ...] | None = None  # explicit tool names; None: our default scope
    key: str | None = None  # a plain-text key found in the entry
    key_env: str | None = None  # the variable the entry referenced instead
    api_url: str | None = None
    url: str | None = None

    def describe(self) -> str:
        scope = "default tools" if self.tools is None else f"{len(self.tools)} tools"
        key = "plain-text key" if self.key else f"${self.key_env}" if self.key_env else "no key"
        return f"{self.kind} ({scope}, {key})"


@dataclass
class Item:
    """One old entry found, and what migrating it does."""

    found: scan.Found
    old: OldServer
    action: str = "replace"  # "replace" | "remove-duplicate" | "keep-duplicate" | "skip"
    reason: str = ""
    result: str = ""  # after apply: what happened

    def head(self) -> str:
        f = self.found
        return f"{f.target.client.name} ({f.target.scope}) '{f.name}' in {f.path}"


@dataclass
class Migration:
    items: list[Item]
    plan: installer.Plan
    problems: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- recognising


def recognise(entry: Any) -> OldServer | None:
    """The old Clerk server an entry runs, or None when it is not one (ours included)."""
    if not isinstance(entry, dict) or ownership.runs_our_server(entry):
        return None
    words = ownership.command_of(entry)
    env = next((v for k in ("env", "environment", "envs") if isinstance(v := entry.get(k), dict)), {})
    headers = _headers(entry)
    secret_header = next((v for k, v in headers.items() if k.lower() == KEY_HEADER), None)
    if words and (_toolkit_args(words) is not None):
        return _toolkit(_toolkit_args(words) or [], env)
    url = _clerk_url(words, entry)
    if secret_header is not None:
        return OldServer("community-http", None, *_key_or_ref(str(secret_header)), url=url or _any_url(words, entry))
    if url:
        return OldServer("clerk-hosted", None, *_key_or_ref(str(env.get("CLERK_SECRET_KEY", ""))), url=url)
    return None


def _toolkit_args(words: list[str]) -> list[str] | None:
    """The arguments after the agent-toolkit package (or its `local-mcp` binary); None when not it."""
    for i, word in enumerate(words):
        if _PACKAGE.match(word) or re.search(r"(^|[/\\])@clerk[/\\]agent-toolkit([/\\]|$)", word):
            return words[i + 1 :]
        if PurePath(word).name in ("local-mcp", "local-mcp.cmd") and i == 0:
            return words[1:]
    return None


def _toolkit(args: list[str], env: dict[str, Any]) -> OldServer:
    tools: list[str] = []
    key: str | None = None
    api_url: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=")
        if name in ("-t", "--tools"):
            values = [inline] if eq else []
            while not eq and i + 1 < len(args) and not args[i + 1].startswith("-"):
                i += 1
                values.append(args[i])
            tools += [v for value in values for v in value.split()]
        elif name in ("--secret-key", "--sk", "--api-url", "-p"):
            value = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
            i += 0 if eq else 1
            if name in ("--secret-key", "--sk"):
                key = value
            elif name == "--api-url":
                api_url = value
        i += 1
    found_key, key_env = _key_or_ref(key or str(env.get("CLERK_SECRET_KEY", "")))
    api_url = api_url or (str(env["CLERK_API_URL"]) if isinstance(env.get("CLERK_API_URL"), str) else None)
    return OldServer("agent-toolkit", toolkit_scope(tools), found_key, key_env, api_url)


def toolkit_scope(patterns: list[str]) -> tuple[str, ...]:
    """The agent-toolkit's `--tools` values as its tool names, in its order (omitted or `*` = all 19): the
    same resolver our server uses when started with the agent-toolkit's flags (scope.resolve_compat)."""
    try:
        return tuple(t.name for t in resolve_compat(patterns or None))
    except ScopeError as exc:
        raise MigrateError(
            f"--tools {' '.join(patterns)}: {exc.message}",
            "fix the old entry, or install ours with --tools",
        ) from None


def _key_or_ref(value: str) -> tuple[str | None, str | None]:
    value = value.strip()
    if KEY_RE.match(value):
        return value, None
    ref = _REFERENCE.match(value)
    if ref:
        return None, ref.group(1) or ref.group(2)
    return None, None


def _headers(entry: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in ("headers", "http_headers", "requestInit"):
        value = entry.get(key)
        if key == "requestInit" and isinstance(value, dict):
            value = value.get("headers")
        if isinstance(value, dict):
            found.update(value)
    args = entry.get("args") if isinstance(entry.get("args"), list) else []
    for i, arg in enumerate(args[:-1]):  # mcp-remote URL --header "X-Clerk-Secret-Key: sk_…"
        if arg == "--header":
            name, _, value = str(args[i + 1]).partition(":")
            found[name.strip()] = value.strip()
    return found


def _is_clerk_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "clerk.com" or host.endswith(".clerk.com") or host == "clerk.dev" or host.endswith(".clerk.dev")


def _any_url(words: list[str], entry: dict[str, Any]) -> str | None:
    return next((w for w in words if re.match(r"^https?://", w)), None)


def _clerk_url(words: list[str], entry: dict[str, Any]) -> str | None:
    url = _any_url(words, entry)
    return url if url and _is_clerk_host(url) else None


# ----------------------------------------------------------------------------------------------- planning


def find(env: Env, project: Path | None, problems: list[str] | None = None) -> list[Item]:
    """Every old Clerk entry in every supported client file (user scopes, and `project`'s scopes)."""
    items = []
    for found in scan.entries(env, project, problems):
        try:
            old = recognise(found.entry)
        except MigrateError as exc:
            items.append(Item(found, OldServer("agent-toolkit"), action="skip", reason=exc.message))
            continue
        if old is not None:
            items.append(Item(found, old))
    return items


def plan(
    env: Env,
    project: Path | None,
    *,
    secret_key: str | None = None,
    remove_duplicates: bool = False,
    launcher: Launcher | None = None,
    manifest: Manifest | None = None,
) -> Migration:
    """What migrating would change: one replacement per file and client scope, duplicates on request.

    `secret_key` is used for entries that carried no key of their own (the hosted server's)."""
    launcher = launcher or find_launcher()
    manifest = manifest or Manifest.load()
    problems: list[str] = []
    items = find(env, project, problems)
    ours = {(r.path, tuple(r.key_path)) for r in manifest.records}
    chosen: set[tuple[Path, tuple[str, ...]]] = set()
    for item in sorted(items, key=lambda i: (i.found.name != "clerk", i.found.name)):
        if item.action == "skip":
            continue
        place = (item.found.path, item.found.key_path)
        if (str(place[0]), place[1]) in ours or place in chosen:
            item.action = "remove-duplicate" if remove_duplicates else "keep-duplicate"
            item.reason = "another Clerk server is (or will be) configured in this file"
            continue
        chosen.add(place)
    combined = installer.Plan(changes=[])
    by_path: dict[Path, installer.Change] = {}
    for item in items:
        if item.action == "replace":
            try:
                sub = installer.plan_install(_request(item, secret_key), env, launcher, manifest)
            except ClerkMcpError as exc:
                item.action, item.reason = "skip", exc.message + (f" ({exc.hint})" if exc.hint else "")
                continue
            _merge(combined, sub, by_path)
            if item.old.kind == "clerk-hosted":
                item.reason = (
                    "Clerk's hosted server serves SDK snippets, not the Backend API: ours gives its default tools. "
                    + (
                        "The key goes into the vault."
                        if secret_key
                        else "The key is read from $CLERK_SECRET_KEY (give --secret-key-stdin to store it instead)."
                    )
                )
        elif item.action == "remove-duplicate":
            _merge_removal(combined, item, by_path)
    combined.notes = list(dict.fromkeys(combined.notes))
    return Migration(items, combined, problems)


def _request(item: Item, secret_key: str | None) -> installer.Request:
    old, target = item.old, item.found.target
    key = old.key or (None if old.key_env else secret_key)
    if key:
        storage, key_env = "vault", installer.KEY_VAR
    elif old.key_env or target.client.secrets.env_reference:
        storage, key_env = "env", old.key_env or installer.KEY_VAR
    else:
        raise MigrateError(
            f"{item.head()} has no key of its own and {target.client.name} cannot reference one",
            "give the key with --secret-key-stdin (or $CLERK_SECRET_KEY) so it goes into the vault",
        )
    return installer.Request(
        targets=(target,),
        name=item.found.name,
        tools=old.tools,
        secret_key=key,
        key_storage=storage,  # type: ignore[arg-type]
        key_env=key_env,
        api_url=old.api_url,
        replace=True,
    )


def _merge(combined: installer.Plan, sub: installer.Plan, by_path: dict[Path, installer.Change]) -> None:
    """Fold one entry's plan into the whole; several entries in one file become one change (one diff)."""
    combined.vault_writes += [w for w in sub.vault_writes if w not in combined.vault_writes]
    combined.vault_backends.update(sub.vault_backends)
    combined.notes += sub.notes
    combined.secrets += sub.secrets
    for change in sub.changes:
        first = by_path.get(change.path)
        if first is None:
            by_path[change.path] = change
            combined.changes.append(change)
            continue
        first.edits += change.edits
        first.records += change.records
        first.notes += change.notes
        _rerender(first, combined.secrets)


def _merge_removal(combined: installer.Plan, item: Item, by_path: dict[Path, installer.Change]) -> None:
    path = item.found.path
    edit = ((*item.found.key_path, item.found.name), installer.REMOVE)
    note = f"{item.found.target.client.name}: removes the duplicate Clerk entry '{item.found.name}' (backed up)."
    change = by_path.get(path)
    if change is None:
        snapshot = read_snapshot(path)
        change = installer.Change(path, item.found.location, snapshot, [], None, "", [])
        by_path[path] = change
        combined.changes.append(change)
    change.edits.append(edit)
    change.notes.append(note)
    _rerender(change, combined.secrets)


def _rerender(change: installer.Change, secrets: tuple[str, ...]) -> None:
    _, change.after = installer.render(change.location, change.snapshot, change.edits)
    change.diff = installer.unified_diff(change.path, change.snapshot.data, change.after, secrets)
