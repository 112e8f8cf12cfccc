"""VS Code profiles: the active profile's mcp.json by default, others by name, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_mcp_setup.clients import Env, get_client
from clerk_mcp_setup.errors import UsageError

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
STORAGE = {
    "userDataProfiles": [{"location": "-5a3b2c1d", "name": "Work"}, {"location": "1f2e", "name": "Python"}],
    "profileAssociations": {
        "workspaces": {"file:///src/a": "-5a3b2c1d", "file:///src/b": "-5a3b2c1d"},
        "emptyWindows": {"1": "__default__profile__"},
    },
}


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def user_dir(home: Path) -> Path:
    return home / ".config" / "Code" / "User"


def write_storage(home: Path, storage: object = STORAGE) -> None:
    path = user_dir(home) / "globalStorage" / "storage.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(storage))


def test_without_profiles_the_default_file_is_written(isolated_home: Path) -> None:
    (location,) = get_client("vscode").locations("user", Env("linux", {}, isolated_home))
    assert location.os_path() == user_dir(isolated_home) / "mcp.json" and location.note is None


def test_the_profile_most_windows_use_is_the_active_one(isolated_home: Path) -> None:
    write_storage(isolated_home)
    (location,) = get_client("vscode").locations("user", Env("linux", {}, isolated_home))
    assert location.os_path() == user_dir(isolated_home) / "profiles" / "-5a3b2c1d" / "mcp.json"
    assert location.note == "VS Code profile 'Work'"


@pytest.mark.parametrize("storage", ["not json", [], {"userDataProfiles": "x"}, {"userDataProfiles": [{"x": 1}]}])
def test_a_broken_profile_list_falls_back_to_the_default(isolated_home: Path, storage: object) -> None:
    write_storage(isolated_home, storage if not isinstance(storage, str) else None)
    if isinstance(storage, str):
        (user_dir(isolated_home) / "globalStorage" / "storage.json").write_text(storage)
    (location,) = get_client("vscode").locations("user", Env("linux", {}, isolated_home))
    assert location.os_path() == user_dir(isolated_home) / "mcp.json"


def test_an_unknown_profile_names_the_ones_there_are(isolated_home: Path) -> None:
    write_storage(isolated_home)
    with pytest.raises(UsageError, match="no profile named 'Rust'") as caught:
        get_client("vscode").locations("user", Env("linux", {}, isolated_home), variant="python,Rust")
    assert caught.value.hint == "its profiles: Default, Work, Python"


def test_cli_writes_the_named_profiles_and_uninstall_removes_each(isolated_home: Path) -> None:
    write_storage(isolated_home)
    done = subprocess.run(
        [SETUP, "--client", "vscode", "--profile", "Default,python", "--demo", "--yes", "--no-verify"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    default, python, work = (
        user_dir(isolated_home) / "mcp.json",
        user_dir(isolated_home) / "profiles" / "1f2e" / "mcp.json",
        user_dir(isolated_home) / "profiles" / "-5a3b2c1d" / "mcp.json",
    )
    assert "clerk" in json.loads(default.read_text())["servers"]
    assert "clerk" in json.loads(python.read_text())["servers"]
    assert not work.exists()
    undone = subprocess.run([SETUP, "uninstall", "--yes"], capture_output=True, text=True, timeout=60)
    assert undone.returncode == 0, undone.stderr
    assert not default.exists() and not python.exists()


def test_cli_refuses_profile_without_vscode(isolated_home: Path) -> None:
    done = subprocess.run(
        [SETUP, "--client", "cursor", "--profile", "Work", "--demo", "--yes", "--no-verify"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "--profile picks VS Code profiles" in done.stderr


def test_refresh_rewrites_the_profile_the_entry_is_in_not_the_active_one(isolated_home: Path) -> None:
    write_storage(isolated_home)
    done = subprocess.run(
        [SETUP, "--client", "vscode", "--profile", "Python", "--demo", "--yes", "--no-verify"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    refreshed = subprocess.run([SETUP, "refresh", "--yes"], capture_output=True, text=True, timeout=60)
    assert refreshed.returncode == 0, refreshed.stderr
    assert not (user_dir(isolated_home) / "profiles" / "-5a3b2c1d" / "mcp.json").exists()  # the active one
    assert "clerk" in json.loads((user_dir(isolated_home) / "profiles" / "1f2e" / "mcp.json").read_text())["servers"]
