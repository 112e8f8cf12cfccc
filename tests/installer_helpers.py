"""Shared by the `test_installer_*` suites: a fixed launcher and machine, request builders, byte checks."""

from __future__ import annotations

import difflib
import json
import tomllib
from pathlib import Path
from typing import Any

import yaml

from clerk_mcp_setup.clients import Env, get_client
from clerk_mcp_setup.files import Dialect, JsoncDocument
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.install.manifest import Manifest

KEY = "sk_test_Golden0123456789abcdefXYZ"
LAUNCHER = Launcher("/opt/clerk/bin/clerk-mcp-server")
OTHER_LAUNCHER = Launcher("/opt/clerk-2/bin/python3", ("-m", "clerk_mcp_setup.server"))
REMOTE = "https://mcp.example.com/clerk/mcp"
PROJECT_KEY = "/srv/app"  # Claude Code local scope: the project path is a key inside ~/.claude.json
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"

_DIALECTS = {
    "json": Dialect.STRICT,
    "jsonc": Dialect.JSONC,
    "jsonc_no_trailing_commas": Dialect.JSONC_NO_TRAILING_COMMAS,
    "json5": Dialect.JSON5,
}
SUFFIX = {"toml": ".toml", "yaml": ".yaml", "json5": ".json5"}


def linux(home: Path) -> Env:
    """A Linux machine whose home is `home`, with no environment variables set."""
    return Env("linux", {}, home)


def request(
    client: str, scope: str = "user", project: Path | str | None = None, *, storage: str = "vault", **options: Any
) -> installer.Request:
    """A request for one client; `storage` is a key storage, or `demo` / `remote`."""
    target = installer.Target(get_client(client), scope, Path(project) if project else None)  # type: ignore[arg-type]
    fields: dict[str, Any] = {}
    if storage == "demo":
        fields = {"demo": True}
    elif storage == "remote":
        fields = {"remote_url": REMOTE, "headers": (("X-Team", "platform"),), "key_storage": "none"}
    else:
        fields = {"key_storage": storage}
        if storage in ("vault", "plain"):
            fields["secret_key"] = KEY
    return installer.Request(targets=(target,), **(fields | options))


def install(req: installer.Request, env: Env, launcher: Launcher = LAUNCHER) -> installer.Plan:
    """Plan and apply an install; the plan is returned for its records and notes."""
    plan = installer.plan_install(req, env, launcher)
    installer.apply(plan)
    return plan


def uninstall(*, force: bool = False, **find: str) -> installer.Plan:
    plan = installer.plan_uninstall(Manifest.load().find(**find), force=force)
    installer.apply(plan)
    return plan


def parse(syntax: str, data: bytes) -> dict[str, Any]:
    """What a client would read from the file (strict where the client is strict)."""
    if syntax == "toml":
        return tomllib.loads(data.decode())
    if syntax == "yaml":
        return yaml.safe_load(data.decode()) or {}
    return JsoncDocument.parse(data, _DIALECTS[syntax]).get(())


def assert_only_added(before: bytes, after: bytes) -> str:
    """Every byte of `before` is still in `after`, in order: the edit only inserted text. Returns the insertions."""
    old = before.decode().splitlines(keepends=True)
    new = after.decode().splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a, b = "".join(old[i1:i2]), "".join(new[j1:j2])
        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if all(op in ("equal", "insert") for op, *_ in ops):
            added += [b[m1:m2] for op, _, _, m1, m2 in ops if op == "insert"]
        else:  # difflib's alignment is not always minimal: check the subsequence property directly
            rest = iter(b)
            assert all(char in rest for char in a), f"bytes of the original were changed: {a!r} → {b!r}"
            added.append(b)
    return "".join(added)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2)
