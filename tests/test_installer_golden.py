"""Golden files: the exact bytes an install writes, per client × scope × local/remote × key storage,
into a missing file and into a file that already holds another server.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_installer_golden.py`, then read
the diff of `tests/golden/` before committing it.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
import yaml
from installer_helpers import GOLDEN, KEY, LAUNCHER, PROJECT_KEY, REMOTE, SUFFIX, linux, parse, request

from clerk_mcp_setup.clients import CLIENTS, RemoteNotSupportedError, get_client
from clerk_mcp_setup.errors import UsageError
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.keys import slot_for

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
MODES = ("vault", "env", "input", "plain", "demo", "remote")

# Another server already in the file, in each client's own notation and a layout of its own (4 spaces).
_JSON_OTHER = (
    '{{\n    "{key}": {{\n        "github": {{\n            "command": "/usr/local/bin/github-mcp",\n'
    '            "args": ["stdio"]\n        }}\n    }}\n}}\n'
)
EXISTING = {
    "claude-desktop": _JSON_OTHER.format(key="mcpServers").replace("{\n", '{\n    "globalShortcut": "Alt+Space",\n', 1),
    "claude-code": _JSON_OTHER.format(key="mcpServers").replace("{\n", '{\n    "numStartups": 12,\n', 1),
    "cursor": _JSON_OTHER.format(key="mcpServers"),
    "vscode": '// MCP servers of this profile\n{\n\t"servers": {\n\t\t"github": {\n\t\t\t"type": "http",\n'
    '\t\t\t"url": "https://api.githubcopilot.com/mcp/",\n\t\t},\n\t},\n\t"inputs": [],\n}\n',
    "vscode-insiders": '{\n\t"servers": {\n\t\t"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}\n\t}\n}\n',
    "windsurf": _JSON_OTHER.format(key="mcpServers"),
    "zed": '// Zed settings\n{\n  "theme": "One Dark",\n  "context_servers": {\n    "github": {\n'
    '      "command": "/usr/local/bin/github-mcp",\n      "args": [],\n    },\n  },\n}\n',
    "codex": '# Codex settings\nmodel = "gpt-5-codex"\n\n[mcp_servers.github]\ncommand = "/usr/local/bin/github-mcp"\n'
    'args = ["stdio"]\n',
    "opencode": '{\n  "$schema": "https://opencode.ai/config.json",\n  // servers\n  "mcp": {\n    "github": {\n'
    '      "type": "remote",\n      "url": "https://api.githubcopilot.com/mcp/",\n    },\n  },\n}\n',
    "kilo-code": '{\n  "mcp": {\n    "servers": {\n      "github": {"type": "local", '
    '"command": ["/usr/local/bin/github-mcp"]}\n    }\n  }\n}\n',
    "copilot-cli": _JSON_OTHER.format(key="mcpServers"),
    "cline": _JSON_OTHER.format(key="mcpServers"),
    "roo-code": _JSON_OTHER.format(key="mcpServers"),
    "qwen-code": '{\n  // Qwen Code\n  "mcpServers": {\n    "github": {\n      "httpUrl": "https://api.githubcopilot.com/mcp/"\n'
    "    }\n  }\n}\n",
    "droid": _JSON_OTHER.format(key="mcpServers"),
    "amp": '{\n  "amp.notifications.enabled": false,\n  "amp.mcpServers": {\n    "github": {"url": "https://x.example/mcp"}\n'
    "  }\n}\n",
    "openclaw": "// OpenClaw\n{\n  gateway: { mode: 'local', bind: 'loopback' },\n  mcp: {\n    servers: {\n"
    "      github: { command: '/usr/local/bin/github-mcp', args: ['stdio'] },\n    },\n  },\n}\n",
    "auggie": _JSON_OTHER.format(key="mcpServers"),
    "continue": "name: Local Config\nversion: 1.0.0\nschema: v1\n\n# my servers\nmcpServers:\n- name: github\n"
    "  command: /usr/local/bin/github-mcp\n  args:\n  - stdio\nmodels: []\n",
    "goose": "# goose settings\nGOOSE_PROVIDER: openai\nextensions:\n  developer:\n    bundled: true\n"
    "    enabled: true\n    name: developer\n    timeout: 300\n    type: builtin\n",
    "crush": '{\n  "$schema": "https://charm.land/crush.json",\n  "mcp": {\n    "github": {"type": "http", '
    '"url": "https://api.githubcopilot.com/mcp/"}\n  }\n}\n',
    "hermes": "model:\n  default: anthropic/claude-opus-4\nmcp_servers:\n  time:\n    command: uvx  # from PyPI\n"
    "    args: [mcp-server-time]\n",
    "kiro": _JSON_OTHER.format(key="mcpServers"),
    "antigravity": _JSON_OTHER.format(key="mcpServers"),
    "trae": _JSON_OTHER.format(key="mcpServers"),
    "warp": _JSON_OTHER.format(key="mcpServers"),
    "lm-studio": _JSON_OTHER.format(key="mcpServers"),
    "gemini": '{\n  // servers Gemini CLI starts\n  "mcpServers": {\n    "github": {\n      "httpUrl": '
    '"https://api.githubcopilot.com/mcp/"\n    }\n  },\n  "theme": "Default"\n}\n',
}
LOCAL_EXISTING = (
    '{\n  "numStartups": 12,\n  "projects": {\n    "/srv/other": {\n      "allowedTools": [],\n      "mcpServers": {}\n'
    '    },\n    "' + PROJECT_KEY + '": {\n      "allowedTools": ["Bash(npm test)"],\n      "mcpServers": {\n'
    '        "github": {\n          "type": "stdio",\n          "command": "/usr/local/bin/github-mcp",\n'
    '          "args": []\n        }\n      }\n    }\n  }\n}\n'
)


def _supported(client_id: str, scope: str, mode: str) -> bool:
    client = get_client(client_id)
    if mode == "env":  # Kilo skips project files with references: refused (test_travel)
        return client.secrets.env_reference and (scope != "project" or client.secrets.project_env)
    if mode == "input":
        return client.secrets.client_input
    if mode == "plain":
        return scope != "project"  # refused in a committed file; see test_plain_key_refused_in_project_scope
    if mode == "remote":
        return client.supports_remote
    return True


CASES = [
    (client.id, scope, mode, start)
    for client in CLIENTS
    for scope in client.scopes
    for mode in MODES
    if _supported(client.id, scope, mode)
    for start in ("fresh", "existing")
]


def _bytes_written(client_id: str, scope: str, mode: str, start: str, home: Path, project: Path) -> tuple[bytes, str]:
    client = get_client(client_id)
    env = linux(home)
    where = Path(PROJECT_KEY) if scope == "local" else project
    location = client.location(scope, env, where)  # type: ignore[arg-type]
    path = location.os_path()
    if start == "existing":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LOCAL_EXISTING if scope == "local" else EXISTING[client_id])
    before = path.read_bytes() if path.exists() else None
    plan = installer.plan_install(request(client_id, scope, where, storage=mode), env, LAUNCHER)
    (change,) = plan.changes
    assert change.after is not None and change.path == path
    assert (path.read_bytes() == before) if before is not None else not path.exists(), "planning wrote something"
    return change.after, location.syntax


@pytest.fixture(autouse=True)
def _vault_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


@pytest.mark.parametrize(("client_id", "scope", "mode", "start"), CASES, ids=["-".join(c) for c in CASES])
def test_golden(client_id: str, scope: str, mode: str, start: str, isolated_home: Path, tmp_path: Path) -> None:
    after, syntax = _bytes_written(client_id, scope, mode, start, isolated_home, tmp_path)
    suffix = SUFFIX.get(syntax, ".json")
    golden = GOLDEN / client_id / f"{scope}-{mode}-{start}{suffix}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(after)
    assert golden.exists(), f"missing {golden}: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert after == golden.read_bytes(), f"bytes differ from {golden} (UPDATE_GOLDEN=1 after an intended change)"
    parse(syntax, after)  # the client can read what we wrote
    assert (KEY in after.decode()) == (mode == "plain"), "the key is in the file only when stored in plain text"


def test_every_golden_file_is_used() -> None:
    expected = {f"{c}/{s}-{m}-{st}{SUFFIX.get(get_client(c).syntax, '.json')}" for c, s, m, st in CASES}
    found = {str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file() and p.parts[-2] != "oauth"}
    assert found == expected


# -- what the golden bytes mean, per clients.md ---------------------------------------------------------------


def _entry(client_id: str, mode: str, tmp_path: Path, scope: str = "user") -> dict:
    after, syntax = _bytes_written(client_id, scope, mode, "fresh", tmp_path / "home", tmp_path / "proj")
    data = parse(syntax, after)
    location = get_client(client_id).location(scope, linux(tmp_path / "home"), PROJECT_KEY if scope != "user" else None)  # type: ignore[arg-type]
    for key in location.key_path:
        data = data[key]
    if isinstance(data, list):  # Continue: a list of items that carry their name
        return next({k: v for k, v in item.items() if k != "name"} for item in data if item["name"] == "clerk")
    return data["clerk"]


def test_vscode_uses_servers_and_a_prompted_input(tmp_path: Path) -> None:
    after, syntax = _bytes_written("vscode", "user", "input", "fresh", tmp_path, tmp_path)
    data = parse(syntax, after)
    assert set(data) == {"servers", "inputs"}
    entry = data["servers"]["clerk"]
    assert entry["type"] == "stdio" and entry["env"] == {"CLERK_SECRET_KEY": "${input:clerk-secret-key}"}
    assert data["inputs"] == [
        {
            "type": "promptString",
            "id": "clerk-secret-key",
            "description": "Clerk secret key for 'clerk' (sk_…)",
            "password": True,
        }
    ]


def test_zed_entry_is_flat_with_args(tmp_path: Path) -> None:
    entry = _entry("zed", "vault", tmp_path)
    slot = slot_for("clerk", KEY)
    assert entry["command"] == LAUNCHER.command and entry["args"] == ["--vault", slot]
    assert entry == {"command": LAUNCHER.command, "args": ["--vault", slot], "env": {"CLERK_MCP_VAULT": "file"}}
    assert _entry("zed", "demo", tmp_path)["args"] == ["--demo"]  # args present even without a key


def test_codex_writes_an_mcp_servers_table(tmp_path: Path) -> None:
    after, _ = _bytes_written("codex", "user", "env", "fresh", tmp_path, tmp_path)
    assert after.decode().startswith("[mcp_servers.clerk]\n")
    entry = _entry("codex", "env", tmp_path)
    assert entry == {
        "command": LAUNCHER.command,
        "args": [],
        "env_vars": ["CLERK_SECRET_KEY"],
        "startup_timeout_sec": 30,  # Codex's own default is 10 s
    }
    assert _entry("codex", "remote", tmp_path) == {"url": REMOTE, "http_headers": {"X-Team": "platform"}}


def test_remote_entries_per_client(tmp_path: Path) -> None:
    assert _entry("windsurf", "remote", tmp_path) == {"serverUrl": REMOTE, "headers": {"X-Team": "platform"}}
    assert _entry("claude-code", "remote", tmp_path)["type"] == "http"
    assert _entry("gemini", "remote", tmp_path) == {"type": "http", "url": REMOTE, "headers": {"X-Team": "platform"}}
    assert _entry("cursor", "remote", tmp_path) == {"url": REMOTE, "headers": {"X-Team": "platform"}}
    assert _entry("vscode", "remote", tmp_path)["type"] == "http"


def test_claude_code_entries_are_typed(tmp_path: Path) -> None:
    for mode in ("vault", "env", "plain", "demo"):
        assert _entry("claude-code", mode, tmp_path)["type"] == "stdio"
    assert _entry("claude-code", "env", tmp_path)["env"] == {"CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"}


def test_claude_code_local_scope_goes_under_projects(tmp_path: Path) -> None:
    after, syntax = _bytes_written("claude-code", "local", "env", "existing", tmp_path, tmp_path)
    data = parse(syntax, after)
    assert set(data["projects"][PROJECT_KEY]["mcpServers"]) == {"github", "clerk"}
    assert "mcpServers" not in data


def test_claude_desktop_remote_needs_a_bridge(tmp_path: Path) -> None:
    """Claude Desktop reads no URL entries: either refused, or (once the bridge exists) a local stdio bridge."""
    env = linux(tmp_path)
    try:
        plan = installer.plan_install(request("claude-desktop", storage="remote"), env, LAUNCHER)
    except RemoteNotSupportedError as exc:
        assert "remote" in exc.message
        return
    entry = parse("json", plan.changes[0].after or b"")["mcpServers"]["clerk"]
    assert "url" not in entry and entry["command"] == LAUNCHER.command and REMOTE in entry["args"]


def test_plain_key_refused_in_project_scope(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="committed"):
        installer.plan_install(request("cursor", "project", tmp_path, storage="plain"), linux(tmp_path), LAUNCHER)
    assert not (tmp_path / ".cursor").exists()


def test_options_reach_the_arguments(tmp_path: Path) -> None:
    req = request("cursor", storage="env", name="clerk-dev", tools=("users", "organizations.list"), read_only=True)
    plan = installer.plan_install(req, linux(tmp_path), LAUNCHER)
    entry = parse("json", plan.changes[0].after or b"")["mcpServers"]["clerk-dev"]
    assert entry["args"] == ["--tools", "users", "organizations.list", "--read-only"]


def test_new_clients_entry_shapes(tmp_path: Path) -> None:
    """The spellings that differ, per each client's own docs (sources in clerk_mcp_setup/clients/<client>.py)."""
    opencode = _entry("opencode", "env", tmp_path)
    assert opencode == {
        "type": "local",
        "command": [LAUNCHER.command],
        "environment": {"CLERK_SECRET_KEY": "{env:CLERK_SECRET_KEY}"},
    }
    assert _entry("opencode", "remote", tmp_path)["type"] == "remote"
    assert _entry("cline", "remote", tmp_path)["type"] == "streamableHttp"
    assert _entry("roo-code", "remote", tmp_path)["type"] == "streamable-http"
    assert _entry("qwen-code", "remote", tmp_path) == {"httpUrl": REMOTE, "headers": {"X-Team": "platform"}}
    assert _entry("openclaw", "remote", tmp_path)["transport"] == "streamable-http"
    assert _entry("copilot-cli", "demo", tmp_path)["tools"] == ["*"]
    assert _entry("antigravity", "remote", tmp_path)["serverUrl"] == REMOTE
    goose = _entry("goose", "demo", tmp_path)
    assert goose["name"] == "clerk" and goose["cmd"] == LAUNCHER.command and goose["type"] == "stdio"
    assert _entry("goose", "remote", tmp_path)["uri"] == REMOTE
    assert _entry("continue", "env", tmp_path)["env"] == {"CLERK_SECRET_KEY": "${{ secrets.CLERK_SECRET_KEY }}"}


def test_amp_key_is_one_key_with_a_dot(tmp_path: Path) -> None:
    after, syntax = _bytes_written("amp", "user", "demo", "fresh", tmp_path, tmp_path)
    data = parse(syntax, after)
    assert list(data) == ["amp.mcpServers"] and "clerk" in data["amp.mcpServers"]


def test_continue_servers_are_a_list_and_a_new_file_is_valid(tmp_path: Path) -> None:
    after, _ = _bytes_written("continue", "user", "demo", "fresh", tmp_path, tmp_path)
    data = yaml.safe_load(after)
    assert data["name"] and data["version"] and data["schema"] == "v1"
    assert [item["name"] for item in data["mcpServers"]] == ["clerk"]


def test_auggie_quotes_each_word_for_its_shell(tmp_path: Path) -> None:
    client = get_client("auggie")
    entry = client.stdio_entry("/opt/My Tools/clerk-mcp-server", ["--vault", "it's $HOME"])
    assert entry["command"] == "'/opt/My Tools/clerk-mcp-server'"
    line = " ".join([entry["command"], *entry["args"]])
    assert shlex.split(line) == ["/opt/My Tools/clerk-mcp-server", "--vault", "it's $HOME"]
