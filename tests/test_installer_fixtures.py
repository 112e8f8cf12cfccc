"""Real-world files: install keeps every byte outside our entry, uninstall gives back the original bytes.

The fixtures in `tests/fixtures/` are written the way the clients (and people) write them: Zed's stock
settings with `//` comments and trailing commas, a VS Code `mcp.json` with comments and `inputs`, a Codex
`config.toml` with the app's own tables, a Windows Claude Desktop file (CRLF, no final newline, app
settings), and a `~/.claude.json` with a big `projects` map.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from installer_helpers import FIXTURES, KEY, LAUNCHER, assert_only_added, install, linux, parse, request, uninstall

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.files import list_backups
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Manifest, backup_dir


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")  # splice ~/.claude.json, never run a real `claude`


def _place(fixture: str, client: str, home: Path, scope: str = "user", project: Path | None = None) -> Path:
    path = get_client(client).location(scope, linux(home), project).os_path()  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURES / fixture, path)
    return path


CASES = [
    ("zed_settings.json", "zed", "vault"),
    ("vscode_mcp.json", "vscode", "input"),
    ("vscode_mcp.json", "vscode", "env"),
    ("codex_config.toml", "codex", "env"),
    ("codex_config.toml", "codex", "plain"),
    ("claude_desktop_config.json", "claude-desktop", "vault"),
    ("claude_desktop_config.json", "claude-desktop", "plain"),
    ("claude.json", "claude-code", "env"),
]


@pytest.mark.parametrize(("fixture", "client", "storage"), CASES, ids=[f"{c}-{s}" for _, c, s in CASES])
def test_install_keeps_every_other_byte_and_uninstall_restores(
    fixture: str, client: str, storage: str, isolated_home: Path
) -> None:
    path = _place(fixture, client, isolated_home)
    original = path.read_bytes()
    syntax = get_client(client).syntax
    install(request(client, storage=storage), linux(isolated_home))
    written = path.read_bytes()
    added = assert_only_added(original, written)
    assert "clerk-mcp-server" in added and "github" not in added and "other-mcp" not in added
    data, before = parse(syntax, written), parse(syntax, original)
    servers = get_client(client).servers_key
    for key in set(before) - {servers, "inputs"}:
        assert data[key] == before[key]
    assert {k: v for k, v in data[servers].items() if k != "clerk"} == before[servers]
    assert (KEY in written.decode()) == (storage == "plain")
    if b"\r\n" in original:
        assert b"\n" not in written.replace(b"\r\n", b""), "a CRLF file got LF line endings"

    uninstall()
    assert path.read_bytes() == original
    assert list_backups(path, backup_dir()), "each write backs the file up"


def test_zed_dry_run_diff_touches_only_our_lines(isolated_home: Path) -> None:
    _place("zed_settings.json", "zed", isolated_home)
    plan = installer.plan_install(request("zed", storage="vault"), linux(isolated_home), LAUNCHER)
    diff = plan.changes[0].diff
    removed = [line for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    assert removed == []
    assert '+    "clerk": {' in diff and KEY not in diff


def test_vscode_inputs_keep_their_comments_and_layout(isolated_home: Path) -> None:
    path = _place("vscode_mcp.json", "vscode", isolated_home)
    original = path.read_bytes()
    install(request("vscode", storage="input"), linux(isolated_home))
    text = path.read_text()
    assert "\t\t// the Perplexity key\n" in text and "// 💡 Inputs are prompted" in text
    assert (
        '\t\t{"type": "promptString", "id": "perplexity-key", "description": "Perplexity API Key", "password": true},'
        in text
    )
    inputs = parse("jsonc", path.read_bytes())["inputs"]
    assert [i["id"] for i in inputs] == ["github-pat", "perplexity-key", "clerk-secret-key"]
    record = Manifest.load().records[0]
    assert record.inputs_path == ["inputs"] and not record.created_inputs
    uninstall()
    assert path.read_bytes() == original


def test_codex_keeps_app_tables_and_comments(isolated_home: Path) -> None:
    path = _place("codex_config.toml", "codex", isolated_home)
    original = path.read_text()
    install(request("codex", storage="env"), linux(isolated_home))
    text = path.read_text()
    assert text.startswith(original.split("# Trusted projects")[0].rstrip("\n"))
    data = parse("toml", path.read_bytes())
    assert data["mcp_servers"]["other"]["env"] == {"OTHER_HOME": "/home/ana/.other"}
    assert data["profiles"]["fast"]["model"] == "gpt-5-mini" and data["tui"] == {"notifications": True}
    assert data["mcp_servers"]["clerk"]["env_vars"] == ["CLERK_SECRET_KEY"]
    # our table sits with the other [mcp_servers.*] tables, before the app's later tables
    assert text.index("[mcp_servers.clerk]") < text.index("# Trusted projects")


@pytest.mark.parametrize("project", ["/home/ana/src/shop", "/home/ana/src/api", "/srv/new-project"])
def test_claude_json_local_scope(project: str, isolated_home: Path) -> None:
    """Local scope writes under projects["/abs"].mcpServers: into an existing empty map, beside another server,
    or for a project Claude does not list yet (then the project's object goes again on uninstall)."""
    path = _place("claude.json", "claude-code", isolated_home)
    original = path.read_bytes()
    before = parse("json", original)
    install(request("claude-code", "local", project, storage="env"), linux(isolated_home))
    written = path.read_bytes()
    assert_only_added(original, written)
    data = parse("json", written)
    servers = data["projects"][project]["mcpServers"]
    old = before["projects"].get(project, {}).get("mcpServers", {})
    assert {k: v for k, v in servers.items() if k != "clerk"} == old
    assert servers["clerk"]["type"] == "stdio"
    assert data["mcpServers"] == before["mcpServers"]  # user scope untouched
    others = {k: v for k, v in data["projects"].items() if k != project}
    assert others == {k: v for k, v in before["projects"].items() if k != project}
    record = Manifest.load().records[0]
    assert record.key_path == ["projects", project, "mcpServers"]
    if project not in before["projects"]:
        assert record.created_container and record.created_path == ["projects", project]
    uninstall()
    assert path.read_bytes() == original


def test_claude_json_user_and_local_entries_side_by_side(isolated_home: Path) -> None:
    path = _place("claude.json", "claude-code", isolated_home)
    original = path.read_bytes()
    env = linux(isolated_home)
    install(request("claude-code", storage="env"), env)
    install(request("claude-code", "local", "/home/ana/work/api", storage="env"), env)
    data = parse("json", path.read_bytes())
    assert set(data["mcpServers"]) == {"sentry", "clerk"}
    assert "clerk" in data["projects"]["/home/ana/work/api"]["mcpServers"]
    assert len(Manifest.load().records) == 2
    uninstall()
    assert path.read_bytes() == original
