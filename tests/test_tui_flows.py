"""The wizard driven by Pilot in an isolated home: what each flow writes, and that cancelling writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Static
from tui_helpers import KEY, finish_apply, go_to, install_demo, make_app, wait_for

from clerk_mcp_setup.install.keys import slot_for
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.server.catalog import CATALOG
from clerk_mcp_setup.tui.screens.apply import ApplyScreen
from clerk_mcp_setup.tui.screens.dialogs import ErrorScreen, HelpScreen
from clerk_mcp_setup.tui.screens.key import KeyScreen
from clerk_mcp_setup.tui.screens.review import ReviewScreen
from clerk_mcp_setup.tui.screens.tools import ToolsScreen
from clerk_mcp_setup.vault import vault_file


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def cursor_entry(home: Path) -> dict[str, object]:
    return json.loads((home / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk"]


def nothing_written(home: Path) -> bool:
    return not (home / ".cursor").exists() and not (home / ".config").exists() and not Manifest.load().records


async def test_install_with_key_into_cursor_keeps_the_key_in_the_vault(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_text('{\n    "mcpServers": {"github": {"command": "/usr/bin/gh"}}\n}\n')
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Review")
        assert isinstance(app.screen, ReviewScreen)
        assert "clerk" not in config.read_text()  # nothing yet
        await pilot.press("w")
        await finish_apply(pilot)
        await pilot.press("enter")
    entry = cursor_entry(isolated_home)
    assert entry["args"] == ["--vault", slot_for("clerk", KEY)] and Path(str(entry["command"])).is_absolute()
    text = config.read_text()
    assert '{"github": {"command": "/usr/bin/gh"}' in text and KEY not in text  # the rest kept as it was
    assert json.loads(vault_file().read_text())[slot_for("clerk", KEY)] == KEY
    (record,) = Manifest.load().records
    assert record.client == "cursor" and record.verified_ok
    assert "✔ cursor (user) 'clerk'" in app.summary() and KEY not in app.summary()
    assert app.return_value == 0


async def test_demo_into_claude_desktop_writes_a_demo_entry_and_verifies_it(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("claude-desktop",))
    async with app.run_test(size=(100, 30)) as pilot:
        await go_to(pilot, "Review", key=None)
        await pilot.press("w")
        await finish_apply(pilot)
        table = app.screen.query_one("#progress")
        failures = [str(w.render()) for w in app.screen.query(".failure")]
        assert "tools" in str(table.get_row_at(0)[-1]), failures  # type: ignore[attr-defined]
        await pilot.press("enter")
    config = isolated_home / ".config" / "Claude" / "claude_desktop_config.json"
    entry = json.loads(config.read_text())["mcpServers"]["clerk"]
    assert entry["args"] == ["--demo"] and "env" not in entry
    assert not vault_file().exists()
    assert "Quit Claude Desktop completely" in app.summary()


async def test_quit_on_review_writes_nothing(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor", "claude-desktop"))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Review")
        assert "cursor" in str(app.screen.query_one("#plan").plan.changes[-1].path)  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
    assert nothing_written(isolated_home) and not vault_file().exists()
    assert app.summary() == "Nothing was written."


async def test_back_from_review_and_quit_from_the_first_screen_writes_nothing(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Review")
        await pilot.press("escape")
        assert isinstance(app.screen, ToolsScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen.TITLE == "Clients"
        await pilot.press("escape")
    assert nothing_written(isolated_home)


async def test_plain_key_in_a_project_file_is_refused_with_a_hint(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")  # Cursor (the one client found, so the first row): project scope
        await go_to(pilot, "Key")
        await pilot.press("tab", *KEY)
        app.screen.query_one("#storage-plain").toggle()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "Plain text" in str(app.screen.query_one("#storage-note", Static).render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert "plain text" in app.screen.message and app.screen.hint
        await pilot.press("escape")
        assert isinstance(app.screen, KeyScreen)
        await pilot.press("ctrl+q")
    assert not (isolated_home / "project" / ".cursor").exists() and not Manifest.load().records


async def test_key_kind_shows_as_typed_and_is_masked(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Key")
        await pilot.press("tab", *"pk_test_abc")
        assert "publishable" in str(app.screen.query_one("#kind", Static).render())
        app.screen.query_one(Input).value = ""
        await pilot.press(*"sk_live_abcdefgh12345678")
        kind = str(app.screen.query_one("#kind", Static).render())
        assert "production" in kind and "sk_live_****5678" in kind and "abcdefgh" not in kind
        assert app.screen.query_one(Input).password


async def test_tools_preset_and_read_only_reach_the_entry(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Tools", key=None)
        await pilot.press("1", "r")
        await pilot.pause()
        assert "read-only" in str(app.screen.query_one("#count", Static).render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("w")
        await finish_apply(pilot)
    assert cursor_entry(isolated_home)["args"] == ["--tools", "@agent-toolkit", "--read-only", "--demo"]


async def test_picking_single_tools_writes_their_names(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Tools", key=None)
        app.choices.tools = frozenset()
        await pilot.press("right", "down", "space", "down", "space")  # unfold users, pick its first two tools
        picked = sorted(app.choices.tools)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("w")
        await finish_apply(pilot)
    users = [t.name for t in CATALOG if t.category == "users"][:2]
    assert picked == sorted(users)
    assert cursor_entry(isolated_home)["args"] == ["--tools", *users, "--demo"]


async def test_nothing_detected_offers_project_files_here(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No AI client was found" in str(app.screen.query_one("#note", Static).render())
        await go_to(pilot, "Review", key=None, clients=["cursor"])
        await pilot.press("w")
        await finish_apply(pilot)
    project_file = isolated_home / "project" / ".cursor" / "mcp.json"
    assert json.loads(project_file.read_text())["mcpServers"]["clerk"]["args"] == ["--demo"]
    assert not (isolated_home / ".cursor").exists()


async def test_help_and_palette_open_and_close(isolated_home: Path) -> None:
    app = make_app(isolated_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert any(desc == "Scope" for _, desc in app.screen.keys)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press(*"manage", "enter")
        await pilot.pause()
        assert app.screen.TITLE == "Manage"
    assert nothing_written(isolated_home)


# -------------------------------------------------------------------------------------------------- manage


async def test_manage_uninstall_shows_the_diff_and_cancel_keeps_the_file(isolated_home: Path) -> None:
    install_demo("cursor", isolated_home)
    config = isolated_home / ".cursor" / "mcp.json"
    before = config.read_bytes()
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.query_one("#plan").plan.changes[0].action == "delete"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert config.read_bytes() == before
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("w")
        await wait_for(pilot, lambda: not config.exists())
    assert not Manifest.load().records


async def test_manage_refresh_rewrites_the_command_after_an_upgrade(isolated_home: Path) -> None:
    from tui_helpers import FAKE_LAUNCHER

    install_demo("cursor", isolated_home, launcher=FAKE_LAUNCHER)
    assert cursor_entry(isolated_home)["command"] == FAKE_LAUNCHER.command
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("w")
        await wait_for(pilot, lambda: cursor_entry(isolated_home)["command"] != FAKE_LAUNCHER.command)
    assert cursor_entry(isolated_home)["args"] == ["--demo"]
    assert "refresh" in app.summary()


async def test_manage_verify_records_the_outcome(isolated_home: Path) -> None:
    install_demo("cursor", isolated_home)
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, lambda: Manifest.load().records[0].verified_at)
    assert Manifest.load().records[0].verified_ok


async def test_manage_restores_a_backup(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    original = b'{"mcpServers": {"other": {"command": "/bin/true"}}}\n'
    config.write_bytes(original)
    install_demo("cursor", isolated_home)
    assert config.read_bytes() != original
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert "/bin/true" in str(app.screen.query_one("#diff", Static).render())
        await pilot.press("w")
        await pilot.pause()
    assert config.read_bytes() == original
    assert "restored" in app.summary()


async def test_manage_with_nothing_installed_says_so(isolated_home: Path) -> None:
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Nothing installed" in str(app.screen.query_one("#heading", Static).render())
        await pilot.press("u", "v", "b", "r")
        await pilot.press("escape")
    assert app.summary() == "Nothing was written."


async def test_apply_screen_reports_an_engine_error_readably(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_text('{"mcpServers": {')  # unparsable: the planner refuses with line and column
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Review", key=None)
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert str(config) in app.screen.message or "mcp.json" in app.screen.message
        await pilot.press("escape")
        assert not isinstance(app.screen, ApplyScreen)
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, ApplyScreen)
    assert config.read_text() == '{"mcpServers": {'
