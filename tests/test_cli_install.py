"""The installer's command line end to end in a temp home: bytes written, idempotence, uninstall, refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_mcp_setup.install.keys import slot_for

KEY = "sk_test_cliKEY0123456789abcd"
SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SETUP, *args], capture_output=True, text=True, input=stdin, timeout=60)


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


CURSOR_BEFORE = (
    b'{\n    "mcpServers": {\n        "github": {\n            "command": "/usr/bin/gh-mcp"\n        }\n    }\n}\n'
)


def test_install_is_idempotent_and_uninstall_restores_bytes(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_bytes(CURSOR_BEFORE)
    first = run("--client", "cursor", "--secret-key-stdin", "--yes", stdin=KEY + "\n")
    assert first.returncode == 0, first.stderr
    data = json.loads(config.read_text())
    entry = data["mcpServers"]["clerk"]
    assert Path(entry["command"]).is_absolute() and entry["args"] == ["--vault", slot_for("clerk", KEY)]
    assert data["mcpServers"]["github"] == {"command": "/usr/bin/gh-mcp"}
    assert KEY not in config.read_text() and KEY not in first.stdout + first.stderr
    written = config.read_bytes()

    second = run("--client", "cursor", "--secret-key-stdin", "--yes", stdin=KEY + "\n")
    assert second.returncode == 0 and "Nothing to change" in second.stdout
    assert config.read_bytes() == written

    gone = run("uninstall", "--yes", "--purge-key")
    assert gone.returncode == 0, gone.stderr
    assert config.read_bytes() == CURSOR_BEFORE


def test_created_file_is_removed_again(isolated_home: Path) -> None:
    result = run("--client", "gemini", "--key-storage", "env", "--yes")
    assert result.returncode == 0, result.stderr
    config = isolated_home / ".gemini" / "settings.json"
    entry = json.loads(config.read_text())["mcpServers"]["clerk"]
    assert entry["env"] == {"CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"}
    assert run("uninstall", "--yes").returncode == 0
    assert not config.exists()


def test_dry_run_masks_the_key_and_writes_nothing(isolated_home: Path) -> None:
    result = run("--client", "cursor", "--key-storage", "plain", "--secret-key", KEY, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "sk_test_****abcd" in result.stdout and KEY not in result.stdout
    assert not (isolated_home / ".cursor" / "mcp.json").exists()


def test_plain_key_file_is_private(isolated_home: Path) -> None:
    assert run("--client", "cursor", "--key-storage", "plain", "--secret-key", KEY, "--yes").returncode == 0
    config = isolated_home / ".cursor" / "mcp.json"
    assert config.stat().st_mode & 0o777 == 0o600


def test_plain_key_refused_in_project_file(isolated_home: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            SETUP,
            "--client",
            "cursor",
            "--project",
            str(tmp_path),
            "--key-storage",
            "plain",
            "--secret-key",
            KEY,
            "--yes",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "committed" in result.stderr
    assert not (tmp_path / ".cursor").exists()


def test_malformed_file_is_refused_untouched(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    broken = b'{\n  "mcpServers": {\n    "github": {"command": "/x"\n'
    config.write_bytes(broken)
    result = run("--client", "cursor", "--secret-key", KEY, "--yes")
    assert result.returncode == 3
    assert str(config) in result.stderr and "line" in result.stderr
    assert config.read_bytes() == broken


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--client", "curser"], "did you mean 'cursor'"),
        (["--client", "zed", "--key-storage", "env"], "cannot read a key from an environment variable"),
        (["--client", "cursor", "--key-storage", "input"], "only VS Code"),
        (["--client", "cursor", "--secret-key", "pk_test_abc"], "not a Clerk secret key"),
        (["--client", "cursor", "--tools", "users.nope", "--secret-key", KEY], "Unknown tool"),
        (["--client", "cursor", "--secret-key", KEY], "no terminal to confirm"),
    ],
)
def test_bad_input_gets_a_clear_error(isolated_home: Path, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not (isolated_home / ".cursor" / "mcp.json").exists()
    assert not (isolated_home / ".config" / "zed" / "settings.json").exists()


def test_no_arguments_without_a_terminal_prints_help_and_fails() -> None:
    result = run()
    assert result.returncode == 2 and "--client" in result.stderr


def test_a_failed_write_still_records_the_files_already_written(isolated_home: Path) -> None:
    """The first file lands, the second cannot be written: the first must stay visible to uninstall."""
    from clerk_mcp_setup.clients import Env, get_client
    from clerk_mcp_setup.errors import ClerkMcpError
    from clerk_mcp_setup.install import installer
    from clerk_mcp_setup.install.manifest import Manifest

    request = installer.Request(
        targets=(installer.Target(get_client("cursor"), "user"), installer.Target(get_client("gemini"), "user")),
        key_storage="env",
    )
    plan = installer.plan_install(request, Env.current())
    (isolated_home / ".gemini").write_text("a file where Gemini's folder should be")  # appears after planning
    with pytest.raises((ClerkMcpError, OSError)):
        installer.apply(plan)
    assert (isolated_home / ".cursor" / "mcp.json").exists()
    assert [r.client for r in Manifest.load().records] == ["cursor"]
    assert run("uninstall", "--yes").returncode == 0
    assert not (isolated_home / ".cursor" / "mcp.json").exists()
