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
        "opencode",
        "copilot-cli",
        "cline",
        "qwen-code",
        "kilo-code",
        "droid",
        "amp",
        "openclaw",
        "auggie",
        "continue",
        "goose",
        "crush",
        "hermes",
        "roo-code",
        "kiro",
        "antigravity",
        "trae",
        "warp",
        "lm-studio",
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


# --- issue 16's clients: each found by its config folder, its app or extension folder, or its binary -------


@pytest.mark.parametrize(
    ("client_id", "platform", "path", "reason"),
    [
        ("opencode", "linux", "/home/ada/.config/opencode", "config folder found at /home/ada/.config/opencode"),
        (
            "opencode",
            "darwin",
            "/Users/ada/.opencode/bin/opencode",
            "app installed at /Users/ada/.opencode/bin/opencode",
        ),
        ("kilo-code", "linux", "/home/ada/.config/kilo", "config folder found at /home/ada/.config/kilo"),
        ("copilot-cli", "win32", "C:\\Users\\ada\\.copilot", "config folder found at C:\\Users\\ada\\.copilot"),
        ("cline", "linux", "/home/ada/.cline", "config folder found at /home/ada/.cline"),
        (
            "cline",
            "darwin",
            "/Users/ada/Library/Application Support/Cursor/User/globalStorage/saoudrizwan.claude-dev",
            "app installed at /Users/ada/Library/Application Support/Cursor/User/globalStorage/saoudrizwan.claude-dev",
        ),
        (
            "roo-code",
            "linux",
            "/home/ada/.config/VSCodium/User/globalStorage/rooveterinaryinc.roo-cline",
            "app installed at /home/ada/.config/VSCodium/User/globalStorage/rooveterinaryinc.roo-cline",
        ),
        ("qwen-code", "linux", "/home/ada/.qwen/settings.json", "config file found at /home/ada/.qwen/settings.json"),
        ("droid", "linux", "/home/ada/.factory", "config folder found at /home/ada/.factory"),
        ("amp", "linux", "/home/ada/.config/amp", "config folder found at /home/ada/.config/amp"),
        ("openclaw", "darwin", "/Users/ada/.openclaw", "config folder found at /Users/ada/.openclaw"),
        ("auggie", "linux", "/home/ada/.augment", "config folder found at /home/ada/.augment"),
        ("continue", "win32", "C:\\Users\\ada\\.continue", "config folder found at C:\\Users\\ada\\.continue"),
        (
            "goose",
            "win32",
            "C:\\Users\\ada\\AppData\\Roaming\\Block\\goose\\config",
            "config folder found at C:\\Users\\ada\\AppData\\Roaming\\Block\\goose\\config",
        ),
        ("crush", "linux", "/home/ada/.config/crush", "config folder found at /home/ada/.config/crush"),
        ("hermes", "linux", "/home/ada/.hermes", "config folder found at /home/ada/.hermes"),
        ("kiro", "darwin", "/Applications/Kiro.app", "app installed at /Applications/Kiro.app"),
        (
            "antigravity",
            "win32",
            "C:\\Users\\ada\\AppData\\Local\\Programs\\Antigravity",
            "app installed at C:\\Users\\ada\\AppData\\Local\\Programs\\Antigravity",
        ),
        ("trae", "darwin", "/Applications/Trae.app", "app installed at /Applications/Trae.app"),
        ("warp", "linux", "/home/ada/.warp", "config folder found at /home/ada/.warp"),
        ("lm-studio", "darwin", "/Users/ada/.lmstudio", "config folder found at /Users/ada/.lmstudio"),
    ],
)
def test_new_clients_are_detected(client_id: str, platform: Platform, path: str, reason: str) -> None:
    assert not run(client_id, platform).present
    result = run(client_id, platform, paths=[path])
    assert result.present and reason in result.reasons


@pytest.mark.parametrize(
    ("client_id", "binary"),
    [
        ("opencode", "opencode"),
        ("kilo-code", "kilo"),
        ("copilot-cli", "copilot"),
        ("cline", "cline"),
        ("qwen-code", "qwen"),
        ("droid", "droid"),
        ("amp", "amp"),
        ("openclaw", "openclaw"),
        ("auggie", "auggie"),
        ("continue", "cn"),
        ("goose", "goose"),
        ("crush", "crush"),
        ("hermes", "hermes"),
        ("kiro", "kiro-cli"),
    ],
)
def test_new_cli_clients_are_detected_by_their_binary(client_id: str, binary: str) -> None:
    result = run(client_id, on_path={binary: f"/usr/local/bin/{binary}"})
    assert result.reasons == (f"`{binary}` on PATH at /usr/local/bin/{binary}",)


def test_a_cli_of_one_client_does_not_detect_another() -> None:
    """`claude` is Claude Code, `code` VS Code: neither makes Cline, Roo Code or Kilo Code present."""
    table = {"claude": "/usr/bin/claude", "code": "/usr/bin/code", "gemini": "/usr/bin/gemini"}
    for client_id in ("cline", "roo-code", "kilo-code", "antigravity", "qwen-code"):
        assert not run(client_id, on_path=table).present
