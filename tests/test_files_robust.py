"""Robust file handling from the command line: odd files are refused without hanging, owners and modes kept,
permission problems end in exit 3 with a message (JSON under --json), --dry-run works with no key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
INSTALL = ("--client", "cursor", "--key-storage", "env", "--yes", "--no-verify")


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SETUP, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def _cursor(home: Path) -> Path:
    path = home / ".cursor" / "mcp.json"
    path.parent.mkdir(exist_ok=True)
    return path


def test_fifo_is_refused_without_reading_it(isolated_home: Path) -> None:
    config = _cursor(isolated_home)
    os.mkfifo(config)
    started = time.monotonic()
    result = run(*INSTALL, timeout=20)
    assert result.returncode == 3 and "named pipe" in result.stderr, result.stderr
    assert time.monotonic() - started < 15


def test_symlink_to_a_device_is_refused(isolated_home: Path) -> None:
    config = _cursor(isolated_home)
    config.symlink_to("/dev/urandom")
    result = run(*INSTALL, timeout=20)
    assert result.returncode == 3 and "character device" in result.stderr and "/dev/urandom" in result.stderr
    assert os.path.islink(config)


def test_read_only_config_is_refused_and_force_keeps_its_mode(isolated_home: Path) -> None:
    config = _cursor(isolated_home)
    config.write_text('{"mcpServers": {}}\n')
    config.chmod(0o444)
    refused = run(*INSTALL)
    assert refused.returncode == 3 and "read-only" in refused.stderr and f"chmod u+w {config}" in refused.stderr
    assert config.read_text() == '{"mcpServers": {}}\n'
    forced = run(*INSTALL, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "clerk" in config.read_text() and config.stat().st_mode & 0o777 == 0o444


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to own a file as another")
def test_owner_and_group_are_kept_when_running_as_root(isolated_home: Path) -> None:
    config = _cursor(isolated_home)
    config.write_text('{"mcpServers": {}}\n')
    os.chown(config, 4321, 4322)
    assert run(*INSTALL).returncode == 0
    info = config.stat()
    assert (info.st_uid, info.st_gid) == (4321, 4322)


def test_unusable_state_directory_is_exit_3_with_a_message(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated_home / "state-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    result = run(*INSTALL)
    assert result.returncode == 3 and "Traceback" not in result.stderr and str(blocker) in result.stderr
    as_json = run(*INSTALL, "--json")
    error = json.loads(as_json.stdout)["error"]
    assert error["exit_code"] == 3 and error["message"] and error["hint"]
    assert not (isolated_home / ".cursor" / "mcp.json").exists(), "nothing written when it cannot be recorded"


def test_a_file_where_the_config_folder_should_be_is_named(isolated_home: Path) -> None:
    (isolated_home / ".cursor").write_text("not a folder")
    result = run(*INSTALL)
    assert result.returncode == 3 and f"{isolated_home / '.cursor'} is a file, not a folder" in result.stderr


def test_usage_errors_are_json_under_json(isolated_home: Path) -> None:
    result = run("--client", "cursor", "--key-storage", "input", "--yes", "--json")
    error = json.loads(result.stdout)["error"]
    assert result.returncode == 2 and error["exit_code"] == 2 and "VS Code" in error["message"]


def test_readme_dry_run_works_on_a_fresh_machine_without_a_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [SETUP, "--client", "cursor", "--project", "--dry-run"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "${env:CLERK_SECRET_KEY}" in result.stdout, "project scope references each teammate's own key"
    assert "teammates" in result.stdout and not (tmp_path / ".cursor").exists()


def test_user_scope_dry_run_without_a_key_shows_a_placeholder(isolated_home: Path) -> None:
    result = run("--client", "cursor", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "placeholder" in result.stdout and "PLACEHOLDER" not in result.stdout
    assert not (isolated_home / ".cursor").exists()


def test_help_lists_verify_and_migrate() -> None:
    text = run("--help").stdout
    assert "verify" in text and "migrate" in text
