"""Repairs that work end to end: the command `verify` names fixes what it reports; edited entries are not run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from installer_helpers import install, linux, request

from clerk_mcp_setup.install import installer, repair
from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.install.manifest import Manifest

BIN = Path(sys.executable).parent
SETUP = str(BIN / "clerk-mcp-setup")


def run(*args: str) -> tuple[int, dict, str]:
    done = subprocess.run([SETUP, *args, "--json"], capture_output=True, text=True, timeout=120)
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}, done.stderr


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def test_moved_launcher_verify_names_refresh_and_refresh_fixes_it(isolated_home: Path, tmp_path: Path) -> None:
    wrapper = tmp_path / "old-install" / "clerk-mcp-server"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec "{BIN / "clerk-mcp-server"}" "$@"\n')
    wrapper.chmod(0o755)
    install(request("cursor", storage="demo"), linux(isolated_home), Launcher(str(wrapper)))
    code, data, _ = run("verify")
    assert code == 0 and data["verify"][0]["ok"], data

    wrapper.rename(tmp_path / "moved-away")
    code, data, _ = run("verify")
    (result,) = data["verify"]
    assert code == 4 and result["status"] == "command-not-found"
    assert "clerk-mcp-setup refresh" in result["hint"]

    code, data, stderr = run("refresh", "--yes")
    assert code == 0, (data, stderr)
    assert data["changes"][0]["action"] == "update" and data["verify"][0]["ok"]
    code, data, _ = run("verify")
    assert code == 0 and data["verify"][0]["ok"]


def test_vanished_command_written_again_unchanged_is_an_error_that_says_how_to_fix(
    isolated_home: Path, tmp_path: Path
) -> None:
    gone = Launcher(str(tmp_path / "gone" / "clerk-mcp-server"))
    install(request("cursor", storage="demo"), linux(isolated_home), gone)
    with pytest.raises(repair.RepairError) as caught:
        repair.plan_refresh(Manifest.load().records, env=linux(isolated_home), launcher=gone)
    assert "no longer exists" in caught.value.message and "refresh" in (caught.value.hint or "")
    assert "pipx install" in (caught.value.hint or "")


def test_edited_entry_is_not_started_unless_asked_and_refresh_shows_a_diff(isolated_home: Path, tmp_path: Path) -> None:
    install(request("cursor", storage="demo"), linux(isolated_home), Launcher(str(BIN / "clerk-mcp-server")))
    config = isolated_home / ".cursor" / "mcp.json"
    marker = tmp_path / "it-ran"
    data = json.loads(config.read_text())
    data["mcpServers"]["clerk"] = {"command": "/bin/sh", "args": ["-c", f"touch {marker}"]}  # e.g. from a git pull
    config.write_text(json.dumps(data))

    code, out, _ = run("verify")
    (result,) = out["verify"]
    assert code == 4 and result["status"] == "not-started" and not marker.exists()
    assert "/bin/sh -c" in result["evidence"][0] and "refresh --force" in result["hint"]
    status = subprocess.run([SETUP, "status"], capture_output=True, text=True, timeout=60).stdout
    assert "edited: the entry was changed since" in status

    code, out, _ = run("verify", "--allow-edited")
    assert marker.exists(), "asked for by name: it is started"

    code, out, _ = run("refresh", "--yes")
    assert code == 0 and any("refresh --force` would write" in n for n in out["notes"])
    assert json.loads(config.read_text())["mcpServers"]["clerk"]["command"] == "/bin/sh", "not replaced without --force"
    code, out, _ = run("refresh", "--yes", "--force", "--no-verify")
    assert code == 0
    assert json.loads(config.read_text())["mcpServers"]["clerk"]["command"].endswith("clerk-mcp-server")


def test_refresh_from_the_api_re_renders_a_missing_launcher(isolated_home: Path, tmp_path: Path) -> None:
    env = linux(isolated_home)
    gone = Launcher(str(tmp_path / "gone" / "clerk-mcp-server"))
    install(request("cursor", storage="demo"), env, gone)
    plan = repair.plan_refresh(Manifest.load().records, env=env, launcher=Launcher(str(BIN / "clerk-mcp-server")))
    assert any("no longer exists; re-rendered" in n for n in plan.notes)
    installer.apply(plan)
    assert os.path.exists(
        json.loads((isolated_home / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk"]["command"]
    )
