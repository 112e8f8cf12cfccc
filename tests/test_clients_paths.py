"""Where every client keeps its servers, on every OS, as one table: computed on Linux with pure paths."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import pytest

from clerk_mcp_setup.clients import (
    CLIENTS,
    AmbiguousLocationError,
    Env,
    Glob,
    Location,
    Platform,
    Scope,
    get_client,
    real_glob,
)
from clerk_mcp_setup.errors import UsageError

HOME: dict[Platform, str] = {"linux": "/home/ada", "darwin": "/Users/ada", "win32": "C:\\Users\\ada"}
PROJECT: dict[Platform, str] = {"linux": "/src/app", "darwin": "/src/app", "win32": "D:\\src\\app"}
MCP, SERVERS, ZED, CODEX = ("mcpServers",), ("servers",), ("context_servers",), ("mcp_servers",)
DESKTOP = "claude_desktop_config.json"


def no_glob(directory: PurePath, pattern: str) -> Sequence[PurePath]:
    """Resolution must not list directories except for Claude Desktop on Windows."""
    raise AssertionError(f"unexpected directory listing of {directory} for {pattern}")


class FakeFS:
    """A set of existing paths that answers `exists` and the one glob Claude Desktop needs."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = [PureWindowsPath(p) for p in paths]

    def exists(self, path: PurePath) -> bool:
        return PureWindowsPath(path) in self.paths

    def glob(self, directory: PurePath, pattern: str) -> list[PurePath]:
        wanted = len(PureWindowsPath(pattern).parts)
        found: list[PurePath] = []
        for path in self.paths:
            if path.is_relative_to(directory):
                relative = path.relative_to(directory)
                if len(relative.parts) == wanted and relative.match(pattern):
                    found.append(path)
        return sorted(found)


# (client, scope, platform, environ, expected path, expected key path)
CASES: list[tuple[str, Scope, Platform, dict[str, str], str, tuple[str, ...]]] = [
    # Claude Desktop: Electron's appData per OS; Linux builds are unofficial but follow XDG.
    ("claude-desktop", "user", "linux", {}, f"/home/ada/.config/Claude/{DESKTOP}", MCP),
    ("claude-desktop", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, f"/xdg/Claude/{DESKTOP}", MCP),
    ("claude-desktop", "user", "linux", {"XDG_CONFIG_HOME": ""}, f"/home/ada/.config/Claude/{DESKTOP}", MCP),
    ("claude-desktop", "user", "linux", {"XDG_CONFIG_HOME": "rel/xdg"}, f"/home/ada/.config/Claude/{DESKTOP}", MCP),
    ("claude-desktop", "user", "darwin", {}, f"/Users/ada/Library/Application Support/Claude/{DESKTOP}", MCP),
    (
        "claude-desktop",
        "user",
        "darwin",
        {"XDG_CONFIG_HOME": "/xdg"},
        f"/Users/ada/Library/Application Support/Claude/{DESKTOP}",
        MCP,
    ),
    ("claude-desktop", "user", "win32", {}, f"C:\\Users\\ada\\AppData\\Roaming\\Claude\\{DESKTOP}", MCP),
    ("claude-desktop", "user", "win32", {"APPDATA": "E:\\Roam"}, f"E:\\Roam\\Claude\\{DESKTOP}", MCP),
    ("claude-desktop", "user", "win32", {"AppData": "E:\\Roam"}, f"E:\\Roam\\Claude\\{DESKTOP}", MCP),
    # Claude Code: ~/.claude.json (or $CLAUDE_CONFIG_DIR/.claude.json), .mcp.json, and local under projects.
    ("claude-code", "user", "linux", {}, "/home/ada/.claude.json", MCP),
    ("claude-code", "user", "linux", {"CLAUDE_CONFIG_DIR": "/cfg/claude"}, "/cfg/claude/.claude.json", MCP),
    ("claude-code", "user", "linux", {"CLAUDE_CONFIG_DIR": ""}, "/home/ada/.claude.json", MCP),
    ("claude-code", "user", "darwin", {}, "/Users/ada/.claude.json", MCP),
    ("claude-code", "user", "darwin", {"CLAUDE_CONFIG_DIR": "/cfg"}, "/cfg/.claude.json", MCP),
    ("claude-code", "user", "win32", {}, "C:\\Users\\ada\\.claude.json", MCP),
    ("claude-code", "user", "win32", {"CLAUDE_CONFIG_DIR": "E:\\claude"}, "E:\\claude\\.claude.json", MCP),
    ("claude-code", "project", "linux", {}, "/src/app/.mcp.json", MCP),
    ("claude-code", "project", "darwin", {}, "/src/app/.mcp.json", MCP),
    ("claude-code", "project", "win32", {}, "D:\\src\\app\\.mcp.json", MCP),
    ("claude-code", "local", "linux", {}, "/home/ada/.claude.json", ("projects", "/src/app", "mcpServers")),
    (
        "claude-code",
        "local",
        "linux",
        {"CLAUDE_CONFIG_DIR": "/cfg"},
        "/cfg/.claude.json",
        ("projects", "/src/app", "mcpServers"),
    ),
    ("claude-code", "local", "darwin", {}, "/Users/ada/.claude.json", ("projects", "/src/app", "mcpServers")),
    ("claude-code", "local", "win32", {}, "C:\\Users\\ada\\.claude.json", ("projects", "D:/src/app", "mcpServers")),
    # Cursor: the same file name at home and in the project.
    ("cursor", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/home/ada/.cursor/mcp.json", MCP),
    ("cursor", "user", "darwin", {}, "/Users/ada/.cursor/mcp.json", MCP),
    ("cursor", "user", "win32", {"APPDATA": "E:\\Roam"}, "C:\\Users\\ada\\.cursor\\mcp.json", MCP),
    ("cursor", "project", "linux", {}, "/src/app/.cursor/mcp.json", MCP),
    ("cursor", "project", "darwin", {}, "/src/app/.cursor/mcp.json", MCP),
    ("cursor", "project", "win32", {}, "D:\\src\\app\\.cursor\\mcp.json", MCP),
    # VS Code: VSCODE_APPDATA, then APPDATA / Application Support / XDG_CONFIG_HOME; key "servers".
    ("vscode", "user", "linux", {}, "/home/ada/.config/Code/User/mcp.json", SERVERS),
    ("vscode", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/Code/User/mcp.json", SERVERS),
    (
        "vscode",
        "user",
        "linux",
        {"VSCODE_APPDATA": "/vs", "XDG_CONFIG_HOME": "/xdg"},
        "/vs/Code/User/mcp.json",
        SERVERS,
    ),
    ("vscode", "user", "darwin", {}, "/Users/ada/Library/Application Support/Code/User/mcp.json", SERVERS),
    ("vscode", "user", "darwin", {"VSCODE_APPDATA": "/vs"}, "/vs/Code/User/mcp.json", SERVERS),
    ("vscode", "user", "win32", {}, "C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\mcp.json", SERVERS),
    ("vscode", "user", "win32", {"APPDATA": "E:\\Roam"}, "E:\\Roam\\Code\\User\\mcp.json", SERVERS),
    (
        "vscode",
        "user",
        "win32",
        {"VSCODE_APPDATA": "F:\\vs", "APPDATA": "E:\\R"},
        "F:\\vs\\Code\\User\\mcp.json",
        SERVERS,
    ),
    ("vscode", "project", "linux", {}, "/src/app/.vscode/mcp.json", SERVERS),
    ("vscode", "project", "darwin", {}, "/src/app/.vscode/mcp.json", SERVERS),
    ("vscode", "project", "win32", {}, "D:\\src\\app\\.vscode\\mcp.json", SERVERS),
    ("vscode-insiders", "user", "linux", {}, "/home/ada/.config/Code - Insiders/User/mcp.json", SERVERS),
    ("vscode-insiders", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/Code - Insiders/User/mcp.json", SERVERS),
    (
        "vscode-insiders",
        "user",
        "darwin",
        {},
        "/Users/ada/Library/Application Support/Code - Insiders/User/mcp.json",
        SERVERS,
    ),
    (
        "vscode-insiders",
        "user",
        "win32",
        {},
        "C:\\Users\\ada\\AppData\\Roaming\\Code - Insiders\\User\\mcp.json",
        SERVERS,
    ),
    ("vscode-insiders", "project", "linux", {}, "/src/app/.vscode/mcp.json", SERVERS),
    ("vscode-insiders", "project", "darwin", {}, "/src/app/.vscode/mcp.json", SERVERS),
    ("vscode-insiders", "project", "win32", {}, "D:\\src\\app\\.vscode\\mcp.json", SERVERS),
    # Windsurf: one path shape on every OS, no project file.
    ("windsurf", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/home/ada/.codeium/windsurf/mcp_config.json", MCP),
    ("windsurf", "user", "darwin", {}, "/Users/ada/.codeium/windsurf/mcp_config.json", MCP),
    ("windsurf", "user", "win32", {}, "C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json", MCP),
    # Zed: ~/.config/zed on macOS too; Flatpak's variable beats XDG_CONFIG_HOME on Linux; %APPDATA%\Zed.
    ("zed", "user", "linux", {}, "/home/ada/.config/zed/settings.json", ZED),
    ("zed", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/zed/settings.json", ZED),
    ("zed", "user", "linux", {"FLATPAK_XDG_CONFIG_HOME": "/fp/config"}, "/fp/config/zed/settings.json", ZED),
    (
        "zed",
        "user",
        "linux",
        {"FLATPAK_XDG_CONFIG_HOME": "/fp/config", "XDG_CONFIG_HOME": "/xdg"},
        "/fp/config/zed/settings.json",
        ZED,
    ),
    ("zed", "user", "darwin", {}, "/Users/ada/.config/zed/settings.json", ZED),
    ("zed", "user", "darwin", {"XDG_CONFIG_HOME": "/xdg"}, "/Users/ada/.config/zed/settings.json", ZED),
    ("zed", "user", "win32", {}, "C:\\Users\\ada\\AppData\\Roaming\\Zed\\settings.json", ZED),
    ("zed", "user", "win32", {"APPDATA": "E:\\Roam"}, "E:\\Roam\\Zed\\settings.json", ZED),
    ("zed", "project", "linux", {}, "/src/app/.zed/settings.json", ZED),
    ("zed", "project", "darwin", {}, "/src/app/.zed/settings.json", ZED),
    ("zed", "project", "win32", {}, "D:\\src\\app\\.zed\\settings.json", ZED),
    # Codex: $CODEX_HOME (when not empty) else ~/.codex.
    ("codex", "user", "linux", {}, "/home/ada/.codex/config.toml", CODEX),
    ("codex", "user", "linux", {"CODEX_HOME": "/opt/codex"}, "/opt/codex/config.toml", CODEX),
    ("codex", "user", "linux", {"CODEX_HOME": ""}, "/home/ada/.codex/config.toml", CODEX),
    ("codex", "user", "darwin", {}, "/Users/ada/.codex/config.toml", CODEX),
    ("codex", "user", "win32", {}, "C:\\Users\\ada\\.codex\\config.toml", CODEX),
    ("codex", "user", "win32", {"CODEX_HOME": "E:\\codex"}, "E:\\codex\\config.toml", CODEX),
    ("codex", "project", "linux", {"CODEX_HOME": "/opt/codex"}, "/src/app/.codex/config.toml", CODEX),
    ("codex", "project", "darwin", {}, "/src/app/.codex/config.toml", CODEX),
    ("codex", "project", "win32", {}, "D:\\src\\app\\.codex\\config.toml", CODEX),
    # Gemini: GEMINI_CLI_HOME replaces the home folder, .gemini stays.
    ("gemini", "user", "linux", {}, "/home/ada/.gemini/settings.json", MCP),
    ("gemini", "user", "linux", {"GEMINI_CLI_HOME": "/gh"}, "/gh/.gemini/settings.json", MCP),
    ("gemini", "user", "darwin", {}, "/Users/ada/.gemini/settings.json", MCP),
    ("gemini", "user", "win32", {}, "C:\\Users\\ada\\.gemini\\settings.json", MCP),
    ("gemini", "user", "win32", {"GEMINI_CLI_HOME": "E:\\gh"}, "E:\\gh\\.gemini\\settings.json", MCP),
    ("gemini", "project", "linux", {"GEMINI_CLI_HOME": "/gh"}, "/src/app/.gemini/settings.json", MCP),
    ("gemini", "project", "darwin", {}, "/src/app/.gemini/settings.json", MCP),
    ("gemini", "project", "win32", {}, "D:\\src\\app\\.gemini\\settings.json", MCP),
]

SYNTAX = {
    "claude-desktop": "json",
    "claude-code": "json",
    "cursor": "json",
    "vscode": "jsonc",
    "vscode-insiders": "jsonc",
    "windsurf": "json",
    "zed": "jsonc",
    "codex": "toml",
    "gemini": "jsonc_no_trailing_commas",
}


def env_for(platform: Platform, environ: dict[str, str], glob: Glob = no_glob) -> Env:
    return Env(platform, environ, HOME[platform], glob=glob)


@pytest.mark.parametrize(("client_id", "scope", "platform", "environ", "path", "key_path"), CASES)
def test_location(
    client_id: str, scope: Scope, platform: Platform, environ: dict[str, str], path: str, key_path: tuple[str, ...]
) -> None:
    glob: Glob = FakeFS([]).glob if (client_id, platform) == ("claude-desktop", "win32") else no_glob
    location = get_client(client_id).location(scope, env_for(platform, environ, glob), PROJECT[platform])
    assert str(location.path) == path
    assert isinstance(location.path, PureWindowsPath if platform == "win32" else PurePosixPath)
    assert (location.client_id, location.scope, location.key_path) == (client_id, scope, key_path)
    assert location.syntax == SYNTAX[client_id] and location.note is None


def test_the_table_covers_every_client_scope_and_platform() -> None:
    covered = {(c, s, p) for c, s, p, *_ in CASES}
    wanted = {(c.id, s, p) for c in CLIENTS for s in c.scopes for p in ("linux", "darwin", "win32")}
    assert covered == wanted


@pytest.mark.parametrize(
    ("client_id", "scopes"),
    [
        ("claude-desktop", ("user",)),
        ("claude-code", ("user", "project", "local")),
        ("cursor", ("user", "project")),
        ("vscode", ("user", "project")),
        ("vscode-insiders", ("user", "project")),
        ("windsurf", ("user",)),
        ("zed", ("user", "project")),
        ("codex", ("user", "project")),
        ("gemini", ("user", "project")),
    ],
)
def test_scopes(client_id: str, scopes: tuple[str, ...]) -> None:
    assert get_client(client_id).scopes == scopes


# --- Claude Desktop on Windows: the MSIX rule ------------------------------------------------------

LOCAL = "C:\\Users\\ada\\AppData\\Local"
CLASSIC_DIR = "C:\\Users\\ada\\AppData\\Roaming\\Claude"
MSIX_DIR = LOCAL + "\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude"
OTHER_MSIX_DIR = LOCAL + "\\Packages\\Claude_zzzzbeta\\LocalCache\\Roaming\\Claude"


def desktop(fs: FakeFS, environ: dict[str, str] | None = None) -> Location:
    return get_client("claude-desktop").location("user", env_for("win32", environ or {}, fs.glob))


def test_msix_none_uses_the_classic_file() -> None:
    location = desktop(FakeFS([CLASSIC_DIR]))
    assert str(location.path) == f"{CLASSIC_DIR}\\{DESKTOP}"
    assert location.note is None


def test_msix_one_package_is_used() -> None:
    location = desktop(FakeFS([MSIX_DIR]))
    assert str(location.path) == f"{MSIX_DIR}\\{DESKTOP}"
    assert location.key_path == MCP and location.syntax == "json"
    assert location.note and "MSIX" in location.note


def test_msix_wins_over_classic_when_both_are_present() -> None:
    assert str(desktop(FakeFS([CLASSIC_DIR, MSIX_DIR])).path) == f"{MSIX_DIR}\\{DESKTOP}"


def test_a_package_folder_without_the_roaming_claude_folder_does_not_count() -> None:
    fs = FakeFS([CLASSIC_DIR, LOCAL + "\\Packages\\Claude_pzs8sxrjxfjjc", LOCAL + "\\Packages\\ClaudeX\\LocalCache"])
    assert str(desktop(fs).path) == f"{CLASSIC_DIR}\\{DESKTOP}"


def test_several_msix_packages_are_an_ambiguity_with_the_candidates() -> None:
    with pytest.raises(AmbiguousLocationError) as caught:
        desktop(FakeFS([CLASSIC_DIR, OTHER_MSIX_DIR, MSIX_DIR]))
    error = caught.value
    assert [str(c.path) for c in error.candidates] == [f"{MSIX_DIR}\\{DESKTOP}", f"{OTHER_MSIX_DIR}\\{DESKTOP}"]
    assert all(c.client_id == "claude-desktop" and c.key_path == MCP for c in error.candidates)
    assert isinstance(error, UsageError) and error.hint and MSIX_DIR in error.hint
    assert "2 Claude Desktop" in error.message


def test_msix_glob_honours_localappdata() -> None:
    calls: list[tuple[str, str]] = []

    def glob(directory: PurePath, pattern: str) -> list[PurePath]:
        calls.append((str(directory), pattern))
        return [PureWindowsPath("E:\\Local\\Packages\\Claude_x\\LocalCache\\Roaming\\Claude")]

    location = get_client("claude-desktop").location("user", env_for("win32", {"LOCALAPPDATA": "E:\\Local"}, glob))
    assert calls == [("E:\\Local\\Packages", "Claude_*/LocalCache/Roaming/Claude")]
    assert str(location.path) == f"E:\\Local\\Packages\\Claude_x\\LocalCache\\Roaming\\Claude\\{DESKTOP}"


def test_real_glob_lists_matching_directories_sorted(tmp_path: Path) -> None:
    for name in ("Claude_b", "Claude_a", "Other_c"):
        (tmp_path / "Packages" / name / "LocalCache" / "Roaming" / "Claude").mkdir(parents=True)
    (tmp_path / "Packages" / "Claude_empty").mkdir()
    found = real_glob(tmp_path / "Packages", "Claude_*/LocalCache/Roaming/Claude")
    assert [p.relative_to(tmp_path).parts[1] for p in found] == ["Claude_a", "Claude_b"]
    assert real_glob(tmp_path / "missing", "Claude_*") == []


# --- scope and project errors, Env, os_path ---------------------------------------------------------


def test_unknown_scope_for_a_client_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Windsurf has no 'project' scope") as caught:
        get_client("windsurf").location("project", env_for("linux", {}), "/src/app")
    assert caught.value.hint == "Windsurf has: user"


@pytest.mark.parametrize(("scope", "project"), [("project", None), ("local", ""), ("project", "src/app")])
def test_project_scopes_need_an_absolute_project(scope: Scope, project: str | None) -> None:
    with pytest.raises(UsageError, match="project directory"):
        get_client("claude-code").location(scope, env_for("linux", {}), project)


def test_a_posix_style_project_on_windows_is_not_absolute() -> None:
    with pytest.raises(UsageError, match="absolute"):
        get_client("cursor").location("project", env_for("win32", {}), "/src/app")


def test_project_accepts_a_pure_path_and_normalises_it() -> None:
    location = get_client("claude-code").location("local", env_for("linux", {}), PurePosixPath("/src/app/"))
    assert location.key_path == ("projects", "/src/app", "mcpServers")


def test_env_validates_platform_and_coerces_home() -> None:
    with pytest.raises(ValueError, match="platform"):
        Env("cygwin", {}, "/home/ada")  # type: ignore[arg-type]
    assert isinstance(Env("win32", {}, "C:\\Users\\ada").home, PureWindowsPath)
    assert isinstance(Env("darwin", {}, PurePosixPath("/Users/ada")).home, PurePosixPath)


def test_env_var_ignores_case_only_on_windows_and_treats_empty_as_unset() -> None:
    assert Env("win32", {"Path": "x"}, "C:\\").var("PATH") == "x"
    assert Env("linux", {"Path": "x"}, "/").var("PATH") is None
    assert Env("linux", {"HOME": ""}, "/").var("HOME") is None


def test_env_current_describes_this_machine(isolated_home: Path) -> None:
    env = Env.current()
    assert env.platform == "linux" and env.home == PurePosixPath(isolated_home)


def test_os_path_turns_a_native_location_into_a_path_and_refuses_a_foreign_one() -> None:
    cursor = get_client("cursor")
    native = cursor.location("user", env_for("linux", {}))
    assert native.os_path() == Path("/home/ada/.cursor/mcp.json")
    with pytest.raises(ValueError, match="another operating system"):
        cursor.location("user", env_for("win32", {})).os_path()


def test_resolution_is_pure() -> None:
    platforms: tuple[Platform, ...] = ("linux", "darwin")
    for client, platform in itertools.product(CLIENTS, platforms):
        for scope in client.scopes:
            first = client.location(scope, env_for(platform, {}), "/p")
            assert client.location(scope, env_for(platform, {}), "/p") == first
