"""Detection with a fake filesystem and PATH, and the registry's lookup by id."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath, PureWindowsPath

import pytest

from clerk_mcp_setup.clients import CLIENT_IDS, CLIENTS, Detection, Env, Platform, detect, get_client
from clerk_mcp_setup.errors import EXIT_USAGE, UsageError

HOME: dict[Platform, str] = {"linux": "/home/ada", "darwin": "/Users/ada", "win32": "C:\\Users\\ada"}


def run(
    client_id: str,
    platform: Platform = "linux",
    paths: Iterable[str] = (),
    on_path: dict[str, str] | None = None,
    packages: Sequence[str] = (),
) -> Detection:
    existing = set(paths)

    def glob(directory: PurePath, pattern: str) -> list[PurePath]:
        return [PureWindowsPath(p) for p in packages]

    env = Env(platform, {}, HOME[platform], glob=glob)
    table = on_path or {}
    return detect(get_client(client_id), env, exists=lambda p: str(p) in existing, which=table.get)


def test_nothing_found_lists_everywhere_we_looked() -> None:
    result = run("cursor")
    assert result == Detection(
        "cursor", False, ("not found: looked at /home/ada/.cursor/mcp.json, /home/ada/.cursor, `cursor` on PATH",)
    )


def test_config_file_found() -> None:
    result = run("cursor", paths=["/home/ada/.cursor/mcp.json", "/home/ada/.cursor"])
    assert result.present and result.reasons == ("config file found at /home/ada/.cursor/mcp.json",)


def test_config_folder_found_without_the_file() -> None:
    assert run("gemini", paths=["/home/ada/.gemini"]).reasons == ("config folder found at /home/ada/.gemini",)


def test_claude_code_looks_at_its_own_folder_not_at_home() -> None:
    assert not run("claude-code", paths=["/home/ada"]).present
    assert run("claude-code", paths=["/home/ada/.claude"]).reasons == ("config folder found at /home/ada/.claude",)
    assert run("claude-code", paths=["/home/ada/.claude.json"]).reasons == (
        "config file found at /home/ada/.claude.json",
    )


def test_binary_on_path() -> None:
    result = run("claude-code", on_path={"claude": "/usr/local/bin/claude"})
    assert result.reasons == ("`claude` on PATH at /usr/local/bin/claude",)


def test_claude_code_on_path_does_not_mean_claude_desktop() -> None:
    assert not run("claude-desktop", on_path={"claude": "/usr/local/bin/claude"}).present


def test_app_bundle_on_macos() -> None:
    result = run("claude-desktop", "darwin", paths=["/Applications/Claude.app"])
    assert result.reasons == ("app installed at /Applications/Claude.app",)


def test_app_and_binary_together() -> None:
    result = run("vscode", "darwin", paths=["/Applications/Visual Studio Code.app"], on_path={"code": "/usr/bin/code"})
    assert result.reasons == (
        "app installed at /Applications/Visual Studio Code.app",
        "`code` on PATH at /usr/bin/code",
    )


def test_windows_install_folder() -> None:
    result = run("cursor", "win32", paths=["C:\\Users\\ada\\AppData\\Local\\Programs\\cursor"])
    assert result.reasons == ("app installed at C:\\Users\\ada\\AppData\\Local\\Programs\\cursor",)


def test_windows_claude_desktop_msix_folder_counts_as_config() -> None:
    msix = "C:\\Users\\ada\\AppData\\Local\\Packages\\Claude_p\\LocalCache\\Roaming\\Claude"
    result = run("claude-desktop", "win32", paths=[msix], packages=[msix])
    assert result.reasons == (f"config folder found at {msix}",)


def test_windows_claude_desktop_with_several_packages_is_present_and_says_so() -> None:
    packages = [f"C:\\P\\Claude_{n}\\LocalCache\\Roaming\\Claude" for n in "ab"]
    result = run("claude-desktop", "win32", packages=packages)
    assert result.present
    assert result.reasons[0].startswith("2 Microsoft Store packages found: C:\\P\\Claude_a")


def test_zed_accepts_either_binary_name() -> None:
    assert run("zed", on_path={"zeditor": "/usr/bin/zeditor"}).reasons == ("`zeditor` on PATH at /usr/bin/zeditor",)


def test_every_client_names_what_it_looked_for_on_every_os() -> None:
    platforms: tuple[Platform, ...] = ("linux", "darwin", "win32")
    for client in CLIENTS:
        for platform in platforms:
            result = run(client.id, platform)
            assert not result.present and result.reasons[0].startswith("not found: looked at ")


def test_default_exists_and_which_use_the_real_machine(tmp_path: Path) -> None:
    binary = tmp_path / "bin" / "codex"
    binary.parent.mkdir()
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    (tmp_path / ".codex").mkdir()
    env = Env("linux", {"PATH": str(binary.parent)}, tmp_path)
    result = detect(get_client("codex"), env)
    assert result.reasons == (f"config folder found at {tmp_path / '.codex'}", f"`codex` on PATH at {binary}")
    assert os.environ.get("HOME") != str(tmp_path)


# --- registry ------------------------------------------------------------------------------------------


def test_clients_in_a_stable_order() -> None:
    assert CLIENT_IDS == (
        "claude-desktop",
        "claude-code",
        "cursor",
        "vscode",
        "vscode-insiders",
        "windsurf",
        "zed",
        "codex",
        "gemini",
    )
    assert len({c.name for c in CLIENTS}) == len(CLIENTS)


@pytest.mark.parametrize("client_id", CLIENT_IDS)
def test_get_client_by_id(client_id: str) -> None:
    client = get_client(client_id)
    assert client.id == client_id and client in CLIENTS
    assert hash(client) == hash(client_id)


def test_get_client_ignores_case_and_space() -> None:
    assert get_client(" Cursor ").id == "cursor"


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [("cursr", "cursor"), ("claude-dekstop", "claude-desktop"), ("vs-code", "vscode"), ("gemeni", "gemini")],
)
def test_unknown_client_suggests_the_closest(typo: str, suggestion: str) -> None:
    with pytest.raises(UsageError) as caught:
        get_client(typo)
    error = caught.value
    assert error.message == f"unknown client {typo!r}"
    assert error.hint and error.hint.startswith(f"did you mean {suggestion!r}?")
    assert all(client_id in error.hint for client_id in CLIENT_IDS)
    assert error.exit_code == EXIT_USAGE


def test_unknown_client_without_a_close_match_lists_the_valid_ids() -> None:
    with pytest.raises(UsageError) as caught:
        get_client("xyzzy")
    assert caught.value.hint == "valid clients: " + ", ".join(CLIENT_IDS)
