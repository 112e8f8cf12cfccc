"""How entries start the server: always an absolute command, never a path that will vanish."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from clerk_mcp_setup import __version__
from clerk_mcp_setup.install.launch import LaunchError, find_launcher, is_ephemeral


def make_env(root: Path, with_script: bool) -> tuple[str, str]:
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text("")
    if with_script:
        script = bin_dir / "clerk-mcp-server"
        script.write_text("#!/bin/sh\n")
        script.chmod(0o755)
    return str(python), str(root)


def no_which(name: str) -> str | None:
    return None


def test_script_beside_the_interpreter(tmp_path: Path) -> None:
    exe, prefix = make_env(tmp_path / "venv", with_script=True)
    launcher = find_launcher(executable=exe, prefix=prefix, which=no_which)
    assert launcher.command == str(tmp_path / "venv" / "bin" / "clerk-mcp-server")
    assert os.path.isabs(launcher.command) and launcher.prefix == () and launcher.note is None
    assert launcher.argv(["--vault", "clerk"]) == [launcher.command, "--vault", "clerk"]


def test_module_fallback_when_no_script(tmp_path: Path) -> None:
    exe, prefix = make_env(tmp_path / "venv", with_script=False)
    launcher = find_launcher(executable=exe, prefix=prefix, which=no_which)
    assert launcher.command == exe and launcher.prefix == ("-m", "clerk_mcp_setup.server")


def test_this_interpreter_really_launches() -> None:
    launcher = find_launcher()
    assert os.path.isabs(launcher.command) and Path(launcher.command).exists()


EPHEMERAL = os.path.join("/home/u/.cache", "uv", "archive-v0", "abc123")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (EPHEMERAL, True),
        ("/home/u/.local/share/pipx/.cache/xyz", True),
        ("/home/u/.local/share/uv/tools/clerk-mcp-setup", False),
        ("/home/u/project/.venv", False),
        (sys.prefix, False),
    ],
)
def test_is_ephemeral(prefix: str, expected: bool) -> None:
    assert is_ephemeral(prefix) is expected


def test_ephemeral_prefers_an_installed_script() -> None:
    found = {"clerk-mcp-server": "/home/u/.local/bin/clerk-mcp-server", "uvx": "/usr/bin/uvx"}
    launcher = find_launcher(executable=EPHEMERAL + "/bin/python", prefix=EPHEMERAL, which=found.get)
    assert launcher.command == "/home/u/.local/bin/clerk-mcp-server"
    assert launcher.note and "temporary" in launcher.note


def test_ephemeral_falls_back_to_absolute_uvx_with_pinned_version() -> None:
    found = {"uvx": "/opt/bin/uvx", "clerk-mcp-server": EPHEMERAL + "/bin/clerk-mcp-server"}
    launcher = find_launcher(executable=EPHEMERAL + "/bin/python", prefix=EPHEMERAL, which=found.get)
    assert launcher.argv(["-t", "users"]) == [
        "/opt/bin/uvx",
        "--from",
        f"clerk-mcp-setup=={__version__}",
        "clerk-mcp-server",
        "-t",
        "users",
    ]


def test_ephemeral_with_nothing_stable_is_an_error() -> None:
    with pytest.raises(LaunchError) as info:
        find_launcher(executable=EPHEMERAL + "/bin/python", prefix=EPHEMERAL, which=no_which)
    assert "uv tool install clerk-mcp-setup" in (info.value.hint or "")
