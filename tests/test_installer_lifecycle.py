"""After the install: the manifest's record, refresh, uninstall of edited entries, `status --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from installer_helpers import KEY, LAUNCHER, OTHER_LAUNCHER, PROJECT_KEY, install, linux, parse, request, uninstall

from clerk_mcp_setup import cli
from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.files import JsoncDocument, list_backups
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.keys import slot_for
from clerk_mcp_setup.install.manifest import Manifest, backup_dir, entry_hash
from clerk_mcp_setup.vault import Vault

SLOT = slot_for("clerk", KEY)  # the key's vault slot: the entry name and 8 hex of its SHA-256

OTHER = '{\n  "mcpServers": {\n    "github": {"command": "/gh", "args": []}\n  }\n}\n'


@pytest.fixture(autouse=True)
def _vault_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")


def _cursor(home: Path, text: str | None = OTHER) -> Path:
    path = home / ".cursor" / "mcp.json"
    if text is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return path


def _edit_by_hand(path: Path, name: str = "clerk", key_path: tuple[str, ...] = ("mcpServers",)) -> bytes:
    doc = JsoncDocument.parse(path.read_bytes(), source=path)
    entry = doc.get((*key_path, name))
    doc.set((*key_path, name), entry | {"args": [*entry["args"], "--read-only"]})
    path.write_bytes(doc.to_bytes())
    return doc.to_bytes()


# -- the manifest ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "created_file", "created_container"),
    [(None, True, True), ("{}\n", False, True), ('{"theme": "x"}', False, True), (OTHER, False, False)],
)
def test_manifest_records_what_we_created(
    before: str | None, created_file: bool, created_container: bool, isolated_home: Path
) -> None:
    path = _cursor(isolated_home, before)
    install(request("cursor", storage="env"), linux(isolated_home))
    (record,) = Manifest.load().records
    assert (record.created_file, record.created_container) == (created_file, created_container)
    assert record.client == "cursor" and record.scope == "user" and record.path == str(path)
    assert record.key_path == ["mcpServers"] and record.key_storage == "env"
    assert record.entry_sha256 == entry_hash(json.loads(path.read_text())["mcpServers"]["clerk"])
    uninstall()
    if before is None:
        assert not path.exists()
    else:
        assert path.read_text() == before


def test_uninstall_of_a_created_file_deletes_it_and_keeps_a_backup(isolated_home: Path) -> None:
    path = _cursor(isolated_home, None)
    install(request("cursor", storage="vault", secret_key=KEY), linux(isolated_home))
    written = path.read_bytes()
    assert list_backups(path, backup_dir()) == []  # nothing to back up when the file was new
    plan = uninstall()
    assert plan.changes[0].action == "delete"
    assert not path.exists()
    (backup,) = list_backups(path, backup_dir())
    assert backup.read_bytes() == written
    assert Manifest.load().records == []
    assert Vault.open().get(SLOT) == KEY  # the key stays unless asked (--purge-key)


def test_purge_key_deletes_the_vault_entry(isolated_home: Path) -> None:
    install(request("cursor", storage="vault", secret_key=KEY), linux(isolated_home))
    installer.apply(installer.plan_uninstall(Manifest.load().records, purge_key=True))
    assert Vault.open().get(SLOT) is None


def test_claude_code_local_scope_records_the_project_it_created(isolated_home: Path) -> None:
    path = isolated_home / ".claude.json"
    original = '{\n  "numStartups": 3,\n  "projects": {}\n}'
    path.write_text(original)
    install(request("claude-code", "local", PROJECT_KEY, storage="env"), linux(isolated_home))
    (record,) = Manifest.load().records
    assert record.created_container and record.created_path == ["projects", PROJECT_KEY]
    assert not record.created_file
    uninstall()
    assert path.read_text() == original


def test_entries_removed_one_by_one_hand_over_what_they_created(isolated_home: Path) -> None:
    """a creates the file, b joins it; removing a keeps the file for b; removing b then deletes it."""
    path = _cursor(isolated_home, None)
    env = linux(isolated_home)
    install(request("cursor", storage="env", name="a"), env)
    install(request("cursor", storage="env", name="b"), env)
    assert [r.created_file for r in Manifest.load().records] == [True, False]
    uninstall(name="a")
    assert set(json.loads(path.read_text())["mcpServers"]) == {"b"}
    assert Manifest.load().records[0].created_file
    uninstall(name="b")
    assert not path.exists()


def test_a_second_install_changes_nothing(isolated_home: Path) -> None:
    path = _cursor(isolated_home)
    env = linux(isolated_home)
    install(request("cursor", storage="vault"), env)
    written = path.read_bytes()
    again = installer.plan_install(request("cursor", storage="vault"), env, LAUNCHER)
    assert not again.changed and again.changes[0].action == "unchanged"
    installer.apply(again)
    assert path.read_bytes() == written


# -- refresh -----------------------------------------------------------------------------------------------


def test_refresh_after_the_launcher_moved_rewrites_the_command(isolated_home: Path) -> None:
    path = _cursor(isolated_home)
    env = linux(isolated_home)
    install(request("cursor", storage="env", read_only=True), env)
    plan = installer.plan_refresh(Manifest.load().records, env=env, launcher=OTHER_LAUNCHER)
    assert plan.changed and plan.notes == []
    installer.apply(plan)
    data = json.loads(path.read_text())
    assert data["mcpServers"]["clerk"]["command"] == OTHER_LAUNCHER.command
    assert data["mcpServers"]["clerk"]["args"] == ["-m", "clerk_mcp_setup.server", "--read-only"]
    assert data["mcpServers"]["github"] == {"command": "/gh", "args": []}
    assert '    "github": {"command": "/gh", "args": []},\n' in path.read_text()
    (record,) = Manifest.load().records
    assert installer.entry_state(record) == "ok" and not record.created_file
    assert not installer.plan_refresh([record], env=env, launcher=OTHER_LAUNCHER).changed
    uninstall()
    assert path.read_text() == OTHER


def test_refresh_leaves_a_hand_edited_entry_alone_unless_forced(isolated_home: Path) -> None:
    path = _cursor(isolated_home)
    env = linux(isolated_home)
    install(request("cursor", storage="env"), env)
    edited = _edit_by_hand(path)
    records = Manifest.load().records
    assert installer.entry_state(records[0]) == "edited"

    plan = installer.plan_refresh(records, env=env, launcher=OTHER_LAUNCHER)
    assert not plan.changed and any("edited since it was installed" in n for n in plan.notes)
    installer.apply(plan)
    assert path.read_bytes() == edited

    forced = installer.plan_refresh(records, force=True, env=env, launcher=OTHER_LAUNCHER)
    installer.apply(forced)
    entry = json.loads(path.read_text())["mcpServers"]["clerk"]
    assert entry["command"] == OTHER_LAUNCHER.command and "--read-only" not in entry["args"]
    assert installer.entry_state(Manifest.load().records[0]) == "ok"


def test_refresh_keeps_what_uninstall_needs_for_vscode_inputs(isolated_home: Path) -> None:
    env = linux(isolated_home)
    path = get_client("vscode").location("user", env).os_path()
    install(request("vscode", storage="input"), env)
    installer.apply(installer.plan_refresh(Manifest.load().records, env=env, launcher=OTHER_LAUNCHER))
    (record,) = Manifest.load().records
    assert record.created_file and record.created_container and record.created_inputs
    uninstall()
    assert not path.exists()


# -- uninstall and status ----------------------------------------------------------------------------------


def test_uninstall_of_an_edited_entry_needs_force(isolated_home: Path) -> None:
    path = _cursor(isolated_home)
    install(request("cursor", storage="env"), linux(isolated_home))
    edited = _edit_by_hand(path)
    plan = uninstall()
    assert any("--force" in n for n in plan.notes)
    assert path.read_bytes() == edited and len(Manifest.load().records) == 1
    uninstall(force=True)
    assert path.read_text() == OTHER and Manifest.load().records == []


def test_uninstall_forgets_an_entry_removed_by_hand(isolated_home: Path) -> None:
    path = _cursor(isolated_home)
    install(request("cursor", storage="env"), linux(isolated_home))
    path.write_text(OTHER)
    plan = uninstall()
    assert not plan.changed and any("no longer in" in n for n in plan.notes)
    assert Manifest.load().records == [] and path.read_text() == OTHER


def test_status_json_reports_each_entry_state(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env_home = linux(isolated_home)
    path = _cursor(isolated_home)
    for name in ("ok-one", "edited-one", "missing-one"):
        install(request("cursor", storage="env", name=name), env_home)
    _edit_by_hand(path, "edited-one")
    doc = JsoncDocument.parse(path.read_bytes())
    doc.remove(("mcpServers", "missing-one"))
    path.write_bytes(doc.to_bytes())
    install(request("windsurf", storage="env", name="gone"), env_home)
    (isolated_home / ".codeium" / "windsurf" / "mcp_config.json").unlink()

    assert cli.main(["status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    states = {e["name"]: e["state"] for e in data["entries"]}
    assert states == {"ok-one": "ok", "edited-one": "edited", "missing-one": "missing", "gone": "file-missing"}
    assert {e["client"] for e in data["entries"]} == {"cursor", "windsurf"}
    assert {c["client"] for c in data["clients"]} >= {"cursor", "zed", "codex"}
    assert parse("json", path.read_bytes())["mcpServers"]["github"] == {"command": "/gh", "args": []}
