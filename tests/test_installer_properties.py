"""Properties of the installer over generated config files (hypothesis).

- install then uninstall gives back the original bytes (or no file, when there was none);
- an install only inserts text: every byte of the original survives, other servers and settings mean the same;
- a second identical install changes nothing.

Files vary in: other servers, other settings, indentation (2, 4, tab), CRLF, final newline, comments and
trailing commas where the client's dialect allows them, a UTF-8 BOM, a missing file or servers key, our entry's name
and the key storage.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from installer_helpers import LAUNCHER, assert_only_added, linux, parse, request

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.install import installer

SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_CLIENTS = {  # client → (comments allowed, trailing commas allowed)
    "cursor": (False, False),
    "claude-desktop": (False, False),
    "windsurf": (False, False),
    "vscode": (True, True),
    "zed": (True, True),
    "gemini": (True, False),
    "opencode": (True, True),
    "kilo-code": (True, True),
    "copilot-cli": (False, False),
    "cline": (False, False),
    "qwen-code": (True, False),
    "droid": (False, False),
    "amp": (False, False),
    "auggie": (False, False),
    "crush": (False, False),
    "kiro": (False, False),
    "roo-code": (False, False),
}
NAMES = st.sampled_from(["clerk", "clerk-dev", "clerk_prod.2"])
OTHER_NAMES = ["github", "fs", "sentry", "db-readonly", "Clerk"]  # never one of ours
SERVER = st.fixed_dictionaries(
    {"command": st.sampled_from(["/usr/bin/x-mcp", "C:\\Tools\\mcp.exe"])},
    optional={
        "args": st.lists(st.sampled_from(["--stdio", "-y", "ünïcode", '"quoted"']), max_size=3),
        "env": st.dictionaries(st.sampled_from(["TOKEN", "HOME"]), st.just("${env:X}"), max_size=2),
    },
)
OTHER_SETTINGS = st.dictionaries(
    st.sampled_from(["theme", "fontSize", "nested", "list"]),
    st.one_of(st.just("dark"), st.integers(0, 40), st.just({"a": [1, {"b": None}]}), st.just([])),
    max_size=3,
)


@dataclass
class Style:
    unit: str
    newline: str
    comments: bool
    trailing: bool
    final_newline: bool


def render(value: Any, style: Style, level: int = 0) -> str:
    """JSON in the given layout; with `comments`, a `//` line above each member (and some at line ends)."""
    pad, inner = style.unit * level, style.unit * (level + 1)
    nl = style.newline
    if isinstance(value, dict) and value:
        parts = []
        for n, (key, item) in enumerate(value.items()):
            lead = f"{inner}// about {key}{nl}" if style.comments and n % 2 == 0 else ""
            parts.append(f"{lead}{inner}{json.dumps(key)}: {render(item, style, level + 1)}")
        body = ("," + nl).join(parts) + ("," if style.trailing else "")
        return "{" + nl + body + nl + pad + "}"
    if isinstance(value, list) and value:
        return "[" + ", ".join(render(item, style, level + 1) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def json_files(draw: st.DrawFn) -> tuple[str, bytes | None, str, str]:
    """(client, original bytes or None for a missing file, entry name, key storage)."""
    client = draw(st.sampled_from(sorted(JSON_CLIENTS)))
    comments, trailing = JSON_CLIENTS[client]
    storages = ["vault", "plain", "demo"] + (["env"] if get_client(client).secrets.env_reference else [])
    storages += ["input"] if client == "vscode" else []
    name, storage = draw(NAMES), draw(st.sampled_from(storages))
    if not draw(st.booleans()):
        return client, None, name, storage
    style = Style(
        unit=draw(st.sampled_from(["  ", "    ", "\t"])),
        newline=draw(st.sampled_from(["\n", "\r\n"])),
        comments=comments and draw(st.booleans()),
        trailing=trailing and draw(st.booleans()),
        final_newline=draw(st.booleans()),
    )
    data: dict[str, Any] = draw(OTHER_SETTINGS)
    servers_key = get_client(client).servers_key
    if draw(st.booleans()):
        data[servers_key] = draw(st.dictionaries(st.sampled_from(OTHER_NAMES), SERVER, max_size=3))
    if client == "vscode" and draw(st.booleans()):
        data["inputs"] = [{"type": "promptString", "id": "gh", "password": True}][: draw(st.integers(0, 1))]
    if draw(st.booleans()):  # the servers key first, settings after it
        data = dict(sorted(data.items(), key=lambda kv: kv[0] != servers_key))
    header = f"// settings{style.newline}" if style.comments else ""
    bom = "\ufeff" if draw(st.booleans()) else ""
    text = bom + header + render(data, style) + (style.newline if style.final_newline else "")
    return client, text.encode(), name, storage


@st.composite
def toml_files(draw: st.DrawFn) -> tuple[str, bytes | None, str, str]:
    """A Codex config.toml with the app's own settings and tables, other servers, comments, CRLF."""
    name, storage = draw(NAMES), draw(st.sampled_from(["vault", "plain", "demo", "env"]))
    if not draw(st.booleans()):
        return "codex", None, name, storage
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    comment = draw(st.booleans())
    lines: list[str] = []
    if draw(st.booleans()):
        lines += ["# Codex settings"] if comment else []
        lines += ['model = "gpt-5-codex"', 'approval_policy = "on-request"  # ask first'][: draw(st.integers(1, 2))]
    tables = draw(st.lists(st.sampled_from(["profiles.fast", "tui", "mcp_servers"]), max_size=3, unique=True))
    for table in tables:
        if table == "mcp_servers":
            for other in draw(st.lists(st.sampled_from(OTHER_NAMES), max_size=2, unique=True)):
                lines += ["", f'[mcp_servers."{other}"]', 'command = "/usr/bin/x-mcp"', 'args = ["--stdio"]']
                if draw(st.booleans()):
                    lines += ["", f'[mcp_servers."{other}".env]', 'TOKEN = "abc"  # not ours']
            continue
        lines += [""] + (["# " + table] if comment else []) + [f"[{table}]", "notifications = true"]
    text = nl.join(lines).lstrip(nl) + (nl if draw(st.booleans()) else "")
    return "codex", text.encode(), name, storage


def _plan(client: str, original: bytes | None, name: str, storage: str, home: Path) -> tuple[Path, installer.Plan]:
    env = linux(home)
    path = get_client(client).location("user", env).os_path()
    if original is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(original)
    return path, installer.plan_install(request(client, storage=storage, name=name), env, LAUNCHER)


def _check_round_trip(client: str, original: bytes | None, name: str, storage: str) -> None:
    with tempfile.TemporaryDirectory() as home:
        path, plan = _plan(client, original, name, storage, Path(home))
        (change,) = plan.changes
        assert change.after is not None
        syntax = get_client(client).syntax

        # unrelated content never changes
        if original is not None:
            # YAML: an empty `servers: {}` loses its `{}` so the entry can go below the key (and gets it back)
            base = re.sub(rb"(?m)^([\w.]+): (?:\[\]|\{\})", rb"\1:", original) if syntax == "yaml" else original
            assert_only_added(base, change.after)
            before, after = parse(syntax, original), parse(syntax, change.after)
            key_path = change.records[0].key_path
            servers = key_path[0]
            for key in set(before) - {servers, "inputs"}:
                assert after[key] == before[key]
            for other, entry in _servers(before, key_path).items():
                assert _servers(after, key_path)[other] == entry
            for item in before.get("inputs", []):
                assert item in after["inputs"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(change.after)

        # a second install is a no-op
        again = installer.plan_install(request(client, storage=storage, name=name), linux(Path(home)), LAUNCHER)
        assert not any(c.changed for c in again.changes), again.changes[0].diff

        # uninstall gives back the original bytes
        removal = installer.plan_uninstall(change.records)
        (undo,) = removal.changes
        if original is None:
            assert undo.delete_file
        else:
            assert not undo.delete_file and undo.after == original


def _servers(data: dict[str, Any], key_path: list[str]) -> dict[str, Any]:
    """The servers map at `key_path`; a YAML list of named items (Continue) read as a map by name."""
    for key in key_path:
        data = data.get(key) or {}
    if isinstance(data, list):
        return {item["name"]: item for item in data}
    return data


@st.composite
def yaml_files(draw: st.DrawFn) -> tuple[str, bytes | None, str, str]:
    """Goose, Hermes and Continue YAML files: comments, 2/4-space indents, indented or flush lists, CRLF."""
    client = draw(st.sampled_from(["goose", "hermes", "continue"]))
    storages = ["vault", "plain", "demo"] + (["env"] if get_client(client).secrets.env_reference else [])
    name, storage = draw(NAMES), draw(st.sampled_from(storages))
    if not draw(st.booleans()):
        return client, None, name, storage
    nl, unit = draw(st.sampled_from(["\n", "\r\n"])), " " * draw(st.sampled_from([2, 4]))
    dash = unit if draw(st.booleans()) else ""
    comment = draw(st.booleans())
    lines = ["# my settings"] if comment else []
    if client == "continue":
        lines += ["name: Local Config", "version: 1.0.0", "schema: v1"]
    else:
        lines += ["GOOSE_PROVIDER: openai  # the model's vendor"][: draw(st.integers(0, 1))]
    key = get_client(client).servers_key
    others = draw(st.lists(st.sampled_from(OTHER_NAMES), max_size=3, unique=True))
    if others or draw(st.booleans()):
        lines.append(f"{key}:" if others else f"{key}: {'[]' if client == 'continue' else '{}'}")
    for other in others:
        if client == "continue":
            lines += [
                f"{dash}- name: {other}",
                f"{dash}  command: /usr/bin/x-mcp",
                f"{dash}  args:",
                f"{dash}  - --stdio",
            ]
        else:
            lines += [f"{unit}{other}:", f"{unit * 2}command: /usr/bin/x-mcp  # theirs", f"{unit * 2}args:"]
            lines += [f"{unit * 2}{dash}- --stdio", f"{unit * 2}{dash}- ünïcode"]
        if comment and draw(st.booleans()):
            lines += ["", "# below"]
    lines += ["models: []"][: draw(st.integers(0, 1))]
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    return client, text.encode(), name, storage


@st.composite
def json5_files(draw: st.DrawFn) -> tuple[str, bytes | None, str, str]:
    """OpenClaw's openclaw.json as people write JSON5: bare keys, single quotes, comments, trailing commas."""
    name, storage = draw(NAMES), draw(st.sampled_from(["vault", "plain", "demo", "env"]))
    if not draw(st.booleans()):
        return "openclaw", None, name, storage
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    comma = "," if draw(st.booleans()) else ""
    parts = ["// OpenClaw", "{", "  gateway: { mode: 'local', port: 0x4D2 }" + ("," if True else "")]
    servers = draw(st.lists(st.sampled_from(OTHER_NAMES), max_size=2, unique=True))
    if servers or draw(st.booleans()):
        body = [f"      '{s}': {{ command: '/usr/bin/x-mcp', args: ['--stdio'] }}," for s in servers]
        inner = ["    servers: {", *body, "    }" + comma] if body else ["    servers: {}" + comma]
        parts += ["  mcp: {", *inner, "  }" + comma]
    else:
        parts[-1] = parts[-1].rstrip(",")
    parts.append("}")
    return "openclaw", (nl.join(parts) + nl).encode(), name, storage


@SETTINGS
@given(yaml_files())
def test_yaml_install_uninstall_round_trip(case: tuple[str, bytes | None, str, str]) -> None:
    _check_round_trip(*case)


@SETTINGS
@given(json5_files())
def test_json5_install_uninstall_round_trip(case: tuple[str, bytes | None, str, str]) -> None:
    _check_round_trip(*case)


@pytest.fixture(autouse=True)
def _vault_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


@SETTINGS
@given(json_files())
def test_json_install_uninstall_round_trip(case: tuple[str, bytes | None, str, str]) -> None:
    _check_round_trip(*case)


@SETTINGS
@given(toml_files())
def test_toml_install_uninstall_round_trip(case: tuple[str, bytes | None, str, str]) -> None:
    _check_round_trip(*case)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["clerk", "clerk-dev", "clerk-prod"]), min_size=1, max_size=3, unique=True))
def test_several_entries_uninstalled_one_by_one_leave_nothing(names: list[str]) -> None:
    """Entries added one after another into a missing VS Code file (sharing `servers` and `inputs`), then removed
    one at a time in any order: the last removal deletes the file we created."""
    from clerk_mcp_setup.install.manifest import Manifest

    with tempfile.TemporaryDirectory() as home:
        env = linux(Path(home))
        manifest = Manifest(Path(home) / "manifest.toml", [])
        for name in names:
            installer.apply(
                installer.plan_install(request("vscode", storage="input", name=name), env, LAUNCHER), manifest
            )
        path = get_client("vscode").location("user", env).os_path()
        assert len(parse("jsonc", path.read_bytes())["inputs"]) == len(names)
        for name in reversed(names):
            installer.apply(installer.plan_uninstall(manifest.find(name=name)), manifest)
        assert not path.exists() and manifest.records == []
