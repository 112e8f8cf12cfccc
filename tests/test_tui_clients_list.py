"""The clients screen with 28 clients: the ones found here first, the rest behind "a: show all"."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable
from tui_helpers import make_app

from clerk_mcp_setup.clients import CLIENTS


async def test_found_clients_first_and_the_rest_behind_show_all(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("zed", "cursor"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        assert [c.id for c in screen.shown] == ["cursor", "zed"]  # type: ignore[attr-defined]
        assert table.row_count == 3 and "+ 26 more" in str(table.get_row_at(2)[1])
        await pilot.press("a")
        await pilot.pause()
        shown = [c.id for c in screen.shown]  # type: ignore[attr-defined]
        assert shown[:2] == ["cursor", "zed"] and sorted(shown) == sorted(c.id for c in CLIENTS)
        goose = shown.index("goose")
        await pilot.press("home", *["down"] * goose, "space")
        assert "goose" in app.choices.selected
        await pilot.press("a")  # back to the found ones: a picked client stays listed
        await pilot.pause()
        assert [c.id for c in screen.shown] == ["cursor", "zed", "goose"]  # type: ignore[attr-defined]


async def test_nothing_found_lists_every_client(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert len(app.screen.shown) == len(CLIENTS) == 28  # type: ignore[attr-defined]
        await pilot.press("a")  # nothing to hide
        assert len(app.screen.shown) == 28  # type: ignore[attr-defined]


async def test_the_more_row_opens_the_full_list(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert len(app.screen.shown) == 28  # type: ignore[attr-defined]
        assert app.choices.selected == {"cursor": "user"}


def test_status_lists_found_clients_and_sums_up_the_rest_in_one_line(isolated_home: Path) -> None:
    import subprocess
    import sys

    (isolated_home / ".cursor").mkdir()
    (isolated_home / ".config" / "goose").mkdir(parents=True)
    setup = str(Path(sys.executable).parent / "clerk-mcp-setup")
    out = subprocess.run(
        [setup, "status"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(isolated_home), "PATH": "/usr/bin:/bin", "CLERK_MCP_VAULT": "file"},
    )
    assert out.returncode == 0, out.stderr
    section = out.stdout.split("Clients on this machine:\n", 1)[1].splitlines()
    assert section[0].startswith("  ✔ Cursor") and section[1].startswith("  ✔ Goose")
    assert section[2].startswith("  · not found (26): Claude Desktop, Claude Code,") and len(section) == 3
