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
ROO = "rooveterinaryinc.roo-cline/settings/mcp_settings.json"
# Clients whose resolution looks at which files exist (opencode's .jsonc/.json, extension hosts, profiles).
LOOKS_AROUND = {"opencode", "kilo-code", "cline", "roo-code", "vscode", "vscode-insiders", "zed"}


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
    *[
        # Issue 16's clients: (client, scope, platform, environ, path, key path); sources in each client module.
        ("opencode", "user", "linux", {}, "/home/ada/.config/opencode/opencode.jsonc", ("mcp",)),
        ("opencode", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/opencode/opencode.jsonc", ("mcp",)),
        ("opencode", "user", "darwin", {}, "/Users/ada/.config/opencode/opencode.jsonc", ("mcp",)),
        ("opencode", "user", "win32", {}, "C:\\Users\\ada\\.config\\opencode\\opencode.jsonc", ("mcp",)),
        ("opencode", "project", "linux", {}, "/src/app/opencode.json", ("mcp",)),
        ("opencode", "project", "darwin", {}, "/src/app/opencode.json", ("mcp",)),
        ("opencode", "project", "win32", {}, "D:\\src\\app\\opencode.json", ("mcp",)),
        ("kilo-code", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/kilo/kilo.jsonc", ("mcp",)),
        ("kilo-code", "user", "darwin", {}, "/Users/ada/.config/kilo/kilo.jsonc", ("mcp",)),
        ("kilo-code", "user", "win32", {}, "C:\\Users\\ada\\.config\\kilo\\kilo.jsonc", ("mcp",)),
        ("kilo-code", "project", "linux", {}, "/src/app/.kilo/kilo.jsonc", ("mcp",)),
        ("kilo-code", "project", "darwin", {}, "/src/app/.kilo/kilo.jsonc", ("mcp",)),
        ("kilo-code", "project", "win32", {}, "D:\\src\\app\\.kilo\\kilo.jsonc", ("mcp",)),
        ("copilot-cli", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/home/ada/.copilot/mcp-config.json", MCP),
        ("copilot-cli", "user", "linux", {"COPILOT_HOME": "/cp"}, "/cp/mcp-config.json", MCP),
        ("copilot-cli", "user", "darwin", {}, "/Users/ada/.copilot/mcp-config.json", MCP),
        ("copilot-cli", "user", "win32", {}, "C:\\Users\\ada\\.copilot\\mcp-config.json", MCP),
        ("copilot-cli", "project", "linux", {}, "/src/app/.github/mcp.json", MCP),
        ("copilot-cli", "project", "darwin", {}, "/src/app/.github/mcp.json", MCP),
        ("copilot-cli", "project", "win32", {}, "D:\\src\\app\\.github\\mcp.json", MCP),
        ("cline", "user", "linux", {}, "/home/ada/.cline/data/settings/cline_mcp_settings.json", MCP),
        ("cline", "user", "linux", {"CLINE_DIR": "/cl"}, "/cl/data/settings/cline_mcp_settings.json", MCP),
        ("cline", "user", "linux", {"CLINE_MCP_SETTINGS_PATH": "/x/m.json", "CLINE_DIR": "/cl"}, "/x/m.json", MCP),
        ("cline", "user", "darwin", {}, "/Users/ada/.cline/data/settings/cline_mcp_settings.json", MCP),
        ("cline", "user", "win32", {}, "C:\\Users\\ada\\.cline\\data\\settings\\cline_mcp_settings.json", MCP),
        ("roo-code", "user", "linux", {}, f"/home/ada/.config/Code/User/globalStorage/{ROO}", MCP),
        (
            "roo-code",
            "user",
            "darwin",
            {},
            f"/Users/ada/Library/Application Support/Code/User/globalStorage/{ROO}",
            MCP,
        ),
        (
            "roo-code",
            "user",
            "win32",
            {},
            "C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\" + ROO.replace("/", "\\"),
            MCP,
        ),
        ("roo-code", "project", "linux", {}, "/src/app/.roo/mcp.json", MCP),
        ("roo-code", "project", "darwin", {}, "/src/app/.roo/mcp.json", MCP),
        ("roo-code", "project", "win32", {}, "D:\\src\\app\\.roo\\mcp.json", MCP),
        ("qwen-code", "user", "linux", {}, "/home/ada/.qwen/settings.json", MCP),
        ("qwen-code", "user", "darwin", {}, "/Users/ada/.qwen/settings.json", MCP),
        ("qwen-code", "user", "win32", {}, "C:\\Users\\ada\\.qwen\\settings.json", MCP),
        ("qwen-code", "project", "linux", {}, "/src/app/.qwen/settings.json", MCP),
        ("qwen-code", "project", "darwin", {}, "/src/app/.qwen/settings.json", MCP),
        ("qwen-code", "project", "win32", {}, "D:\\src\\app\\.qwen\\settings.json", MCP),
        ("droid", "user", "linux", {}, "/home/ada/.factory/mcp.json", MCP),
        ("droid", "user", "darwin", {}, "/Users/ada/.factory/mcp.json", MCP),
        ("droid", "user", "win32", {}, "C:\\Users\\ada\\.factory\\mcp.json", MCP),
        ("droid", "project", "linux", {}, "/src/app/.factory/mcp.json", MCP),
        ("droid", "project", "darwin", {}, "/src/app/.factory/mcp.json", MCP),
        ("droid", "project", "win32", {}, "D:\\src\\app\\.factory\\mcp.json", MCP),
        ("amp", "user", "linux", {}, "/home/ada/.config/amp/settings.json", ("amp.mcpServers",)),
        ("amp", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/amp/settings.json", ("amp.mcpServers",)),
        ("amp", "user", "darwin", {}, "/Users/ada/.config/amp/settings.json", ("amp.mcpServers",)),
        ("amp", "user", "win32", {}, "C:\\Users\\ada\\AppData\\Roaming\\amp\\settings.json", ("amp.mcpServers",)),
        ("amp", "project", "linux", {}, "/src/app/.amp/settings.json", ("amp.mcpServers",)),
        ("amp", "project", "darwin", {}, "/src/app/.amp/settings.json", ("amp.mcpServers",)),
        ("amp", "project", "win32", {}, "D:\\src\\app\\.amp\\settings.json", ("amp.mcpServers",)),
        ("openclaw", "user", "linux", {}, "/home/ada/.openclaw/openclaw.json", ("mcp", "servers")),
        ("openclaw", "user", "linux", {"OPENCLAW_STATE_DIR": "/st"}, "/st/openclaw.json", ("mcp", "servers")),
        (
            "openclaw",
            "user",
            "linux",
            {"OPENCLAW_CONFIG_PATH": "/c/o.json5", "OPENCLAW_STATE_DIR": "/st"},
            "/c/o.json5",
            ("mcp", "servers"),
        ),
        ("openclaw", "user", "darwin", {}, "/Users/ada/.openclaw/openclaw.json", ("mcp", "servers")),
        ("openclaw", "user", "win32", {}, "C:\\Users\\ada\\.openclaw\\openclaw.json", ("mcp", "servers")),
        ("auggie", "user", "linux", {}, "/home/ada/.augment/settings.json", MCP),
        ("auggie", "user", "darwin", {}, "/Users/ada/.augment/settings.json", MCP),
        ("auggie", "user", "win32", {}, "C:\\Users\\ada\\.augment\\settings.json", MCP),
        ("auggie", "project", "linux", {}, "/src/app/.augment/settings.json", MCP),
        ("auggie", "project", "darwin", {}, "/src/app/.augment/settings.json", MCP),
        ("auggie", "project", "win32", {}, "D:\\src\\app\\.augment\\settings.json", MCP),
        ("continue", "user", "linux", {}, "/home/ada/.continue/config.yaml", MCP),
        ("continue", "user", "linux", {"CONTINUE_GLOBAL_DIR": "/cg"}, "/cg/config.yaml", MCP),
        ("continue", "user", "darwin", {}, "/Users/ada/.continue/config.yaml", MCP),
        ("continue", "user", "win32", {}, "C:\\Users\\ada\\.continue\\config.yaml", MCP),
        ("goose", "user", "linux", {}, "/home/ada/.config/goose/config.yaml", ("extensions",)),
        ("goose", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/goose/config.yaml", ("extensions",)),
        ("goose", "user", "darwin", {}, "/Users/ada/.config/goose/config.yaml", ("extensions",)),
        (
            "goose",
            "user",
            "win32",
            {},
            "C:\\Users\\ada\\AppData\\Roaming\\Block\\goose\\config\\config.yaml",
            ("extensions",),
        ),
        ("crush", "user", "linux", {}, "/home/ada/.config/crush/crush.json", ("mcp",)),
        ("crush", "user", "darwin", {}, "/Users/ada/.config/crush/crush.json", ("mcp",)),
        ("crush", "user", "win32", {}, "C:\\Users\\ada\\AppData\\Local\\crush\\crush.json", ("mcp",)),
        ("crush", "project", "linux", {}, "/src/app/crush.json", ("mcp",)),
        ("crush", "project", "darwin", {}, "/src/app/crush.json", ("mcp",)),
        ("crush", "project", "win32", {}, "D:\\src\\app\\crush.json", ("mcp",)),
        ("hermes", "user", "linux", {}, "/home/ada/.hermes/config.yaml", ("mcp_servers",)),
        ("hermes", "user", "linux", {"HERMES_HOME": "/h"}, "/h/config.yaml", ("mcp_servers",)),
        ("hermes", "user", "darwin", {}, "/Users/ada/.hermes/config.yaml", ("mcp_servers",)),
        ("hermes", "user", "win32", {}, "C:\\Users\\ada\\AppData\\Local\\hermes\\config.yaml", ("mcp_servers",)),
        ("kiro", "user", "linux", {}, "/home/ada/.kiro/settings/mcp.json", MCP),
        ("kiro", "user", "darwin", {}, "/Users/ada/.kiro/settings/mcp.json", MCP),
        ("kiro", "user", "win32", {}, "C:\\Users\\ada\\.kiro\\settings\\mcp.json", MCP),
        ("kiro", "project", "linux", {}, "/src/app/.kiro/settings/mcp.json", MCP),
        ("kiro", "project", "darwin", {}, "/src/app/.kiro/settings/mcp.json", MCP),
        ("kiro", "project", "win32", {}, "D:\\src\\app\\.kiro\\settings\\mcp.json", MCP),
        ("antigravity", "user", "linux", {}, "/home/ada/.gemini/antigravity/mcp_config.json", MCP),
        ("antigravity", "user", "darwin", {}, "/Users/ada/.gemini/antigravity/mcp_config.json", MCP),
        ("antigravity", "user", "win32", {}, "C:\\Users\\ada\\.gemini\\antigravity\\mcp_config.json", MCP),
        ("trae", "user", "linux", {"XDG_CONFIG_HOME": "/xdg"}, "/xdg/Trae/User/mcp.json", MCP),
        ("trae", "user", "darwin", {}, "/Users/ada/Library/Application Support/Trae/User/mcp.json", MCP),
        ("trae", "user", "win32", {}, "C:\\Users\\ada\\AppData\\Roaming\\Trae\\User\\mcp.json", MCP),
        ("warp", "user", "linux", {}, "/home/ada/.warp/.mcp.json", MCP),
        ("warp", "user", "darwin", {}, "/Users/ada/.warp/.mcp.json", MCP),
        ("warp", "user", "win32", {}, "C:\\Users\\ada\\.warp\\.mcp.json", MCP),
        ("lm-studio", "user", "linux", {}, "/home/ada/.lmstudio/mcp.json", MCP),
        ("lm-studio", "user", "darwin", {}, "/Users/ada/.lmstudio/mcp.json", MCP),
        ("lm-studio", "user", "win32", {}, "C:\\Users\\ada\\.lmstudio\\mcp.json", MCP),
    ],
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
    "opencode": "jsonc",
    "kilo-code": "jsonc",
    "copilot-cli": "json",
    "cline": "json",
    "roo-code": "json",
    "qwen-code": "jsonc_no_trailing_commas",
    "droid": "json",
    "amp": "json",
    "openclaw": "json5",
    "auggie": "json",
    "continue": "yaml",
    "goose": "yaml",
    "crush": "json",
    "hermes": "yaml",
    "kiro": "json",
    "antigravity": "json",
    "trae": "json",
    "warp": "json",
    "lm-studio": "json",
}


def env_for(platform: Platform, environ: dict[str, str], glob: Glob = no_glob) -> Env:
    return Env(platform, environ, HOME[platform], glob=glob)


@pytest.mark.parametrize(("client_id", "scope", "platform", "environ", "path", "key_path"), CASES)
def test_location(
    client_id: str, scope: Scope, platform: Platform, environ: dict[str, str], path: str, key_path: tuple[str, ...]
) -> None:
    looks = (client_id, platform) == ("claude-desktop", "win32") or client_id in LOOKS_AROUND
    glob: Glob = FakeFS([]).glob if looks else no_glob
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
        ("cline", ("user",)),
        ("continue", ("user",)),
        ("openclaw", ("user",)),
        ("hermes", ("user",)),
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
            glob = FakeFS([]).glob if client.id in LOOKS_AROUND else no_glob
            first = client.location(scope, env_for(platform, {}, glob), "/p")
            assert client.location(scope, env_for(platform, {}, glob), "/p") == first


def test_zed_flatpak_install_is_found_from_outside_the_sandbox() -> None:
    """flathub/dev.zed.Zed#127: outside the sandbox FLATPAK_XDG_CONFIG_HOME is unset; the folder tells us."""
    fs = FakeFS(["/home/ada/.var/app/dev.zed.Zed/config/zed"])
    location = get_client("zed").location("user", Env("linux", {"XDG_CONFIG_HOME": "/xdg"}, "/home/ada", glob=fs.glob))
    assert str(location.path) == "/home/ada/.var/app/dev.zed.Zed/config/zed/settings.json"
    inside = Env("linux", {"FLATPAK_XDG_CONFIG_HOME": "/fp"}, "/home/ada", glob=fs.glob)
    assert str(get_client("zed").location("user", inside).path) == "/fp/zed/settings.json"


def test_zed_project_steps_ask_for_worktree_trust() -> None:
    assert any("trust" in step and "worktree-trust" in step for step in get_client("zed").steps_after("project"))
    assert not any("trust" in step for step in get_client("zed").steps_after("user"))
