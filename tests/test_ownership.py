"""Ownership: we own exactly what the manifest records; the person's entries are never changed silently,
`--replace` keeps their exact text, and uninstall puts it back byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from installer_helpers import LAUNCHER, install, linux, request, uninstall

from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.ownership import ForeignEntryError

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SETUP, *args], capture_output=True, text=True, input=stdin, timeout=60)


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


HAND_CURSOR = (
    b"{\n"
    b'  "mcpServers": {\n'
    b'    "clerk": { "command": "npx", "args": ["-y", "@acme/clerk-mcp"],   "env": {"X": "1"} },\n'
    b'    "github": {"command": "/usr/bin/gh-mcp"}\n'
    b"  }\n"
    b"}\n"
)


def test_hand_entry_stops_install_then_replace_and_uninstall_restore_its_bytes(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_bytes(HAND_CURSOR)

    refused = run("--client", "cursor", "--key-storage", "env", "--yes", "--no-verify")
    assert refused.returncode == 3
    assert str(config) in refused.stderr and "'clerk'" in refused.stderr and "npx -y @acme/clerk-mcp" in refused.stderr
    assert "--replace" in refused.stderr
    assert config.read_bytes() == HAND_CURSOR

    as_json = run("--client", "cursor", "--key-storage", "env", "--yes", "--no-verify", "--json")
    assert as_json.returncode == 3
    assert json.loads(as_json.stdout)["error"]["exit_code"] == 3

    dry = run("--client", "cursor", "--key-storage", "env", "--replace", "--dry-run", "--json")
    (change,) = json.loads(dry.stdout)["changes"]
    assert any("replaces your own 'clerk' entry" in n for n in change["notes"]), change

    replaced = run("--client", "cursor", "--key-storage", "env", "--yes", "--no-verify", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert "replaces your own 'clerk' entry" in replaced.stderr and "npx" in replaced.stderr  # diff shown with --yes
    data = json.loads(config.read_text())
    assert data["mcpServers"]["clerk"]["command"].endswith("clerk-mcp-server")
    assert data["mcpServers"]["github"] == {"command": "/usr/bin/gh-mcp"}

    gone = run("uninstall", "--yes")
    assert gone.returncode == 0, gone.stderr
    assert config.read_bytes() == HAND_CURSOR, "the person's entry is back byte for byte"
    assert "No entries installed" in run("status").stdout


CODEX_HAND = (
    b"# my codex setup\n"
    b'model = "o4"\n\n'
    b"[mcp_servers.clerk]\n"
    b'command = "bunx"   # the old one\n'
    b'args = ["@clerk/agent-toolkit", "--tools=users"]\n\n'
    b"[mcp_servers.clerk.env]\n"
    b'CLERK_SECRET_KEY = "sk_test_handKEY0123456789"\n\n'
    b"[mcp_servers.other]\n"
    b'command = "/bin/other"\n'
)


def test_codex_table_round_trip(isolated_home: Path) -> None:
    config = isolated_home / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_bytes(CODEX_HAND)
    env = linux(isolated_home)
    with pytest.raises(ForeignEntryError, match="bunx @clerk/agent-toolkit --tools=users"):
        installer.plan_install(request("codex", storage="env"), env, LAUNCHER)
    plan = installer.plan_install(request("codex", storage="env", replace=True), env, LAUNCHER)
    assert "sk_test_handKEY0123456789" not in plan.changes[0].diff, "a key in the replaced entry is masked"
    installer.apply(plan)
    assert b"bunx" not in config.read_bytes() and b"[mcp_servers.other]" in config.read_bytes()
    uninstall()
    assert config.read_bytes() == CODEX_HAND


def test_vscode_input_with_our_id_is_theirs_and_stays(isolated_home: Path) -> None:
    config = isolated_home / ".config" / "Code" / "User" / "mcp.json"
    config.parent.mkdir(parents=True)
    theirs = (
        b'{\n  "servers": {},\n  "inputs": [\n    {"type": "promptString", "id": "clerk-secret-key", '
        b'"description": "mine", "password": true}\n  ]\n}\n'
    )
    config.write_bytes(theirs)
    plan = install(request("vscode", storage="input"), linux(isolated_home))
    assert any("uses the existing input" in n for n in plan.changes[0].notes)
    assert json.loads(config.read_text())["inputs"][0]["description"] == "mine"
    uninstall()
    assert config.read_bytes() == theirs


def test_unrecorded_entry_running_our_server_is_found_and_adopted(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    ours = {"command": "/old/venv/bin/clerk-mcp-server", "args": ["--demo"]}
    config.write_text(json.dumps({"mcpServers": {"clerk": ours}}, indent=2) + "\n")
    status = json.loads(run("status", "--json").stdout)
    assert [(u["client"], u["name"]) for u in status["unrecorded"]] == [("cursor", "clerk")]
    plan = install(request("cursor", storage="env"), linux(isolated_home))
    assert any("adopts the unrecorded 'clerk' entry" in n for n in plan.changes[0].notes)
    assert json.loads(run("status", "--json").stdout)["unrecorded"] == []


@pytest.mark.parametrize("before", [b"{ }", b"{\n  }", b"", b"// servers go here\n", b"/* a */\n{\n  // none\n}\n"])
def test_install_then_uninstall_is_byte_identical_for_empty_files(before: bytes, isolated_home: Path) -> None:
    config = isolated_home / ".gemini" / "settings.json"  # JSONC: comments allowed
    config.parent.mkdir()
    config.write_bytes(before)
    install(request("gemini", storage="env"), linux(isolated_home))
    assert b"clerk" in config.read_bytes()
    uninstall()
    assert config.read_bytes() == before


def test_uninstall_removes_the_folder_it_created(isolated_home: Path, tmp_path: Path) -> None:
    project = tmp_path / "app"
    project.mkdir()
    install(request("cursor", "project", project, storage="env"), linux(isolated_home))
    assert (project / ".cursor" / "mcp.json").exists()
    uninstall()
    assert not (project / ".cursor").exists()
    (project / ".cursor").mkdir()
    (project / ".cursor" / "rules.md").write_text("mine")
    install(request("cursor", "project", project, storage="env"), linux(isolated_home))
    uninstall()
    assert (project / ".cursor" / "rules.md").read_text() == "mine", "a folder that was there stays"


def test_uninstall_never_removes_an_entry_edited_since(isolated_home: Path) -> None:
    install(request("cursor", storage="env"), linux(isolated_home))
    config = isolated_home / ".cursor" / "mcp.json"
    data = json.loads(config.read_text())
    data["mcpServers"]["clerk"]["command"] = "/usr/local/bin/their-server"
    config.write_text(json.dumps(data))
    plan = uninstall()
    assert any("edited since" in n for n in plan.notes)
    assert json.loads(config.read_text())["mcpServers"]["clerk"]["command"] == "/usr/local/bin/their-server"
