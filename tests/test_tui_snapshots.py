"""SVG snapshots of every screen at 80×24 and 120×36, on a faked machine so they are the same everywhere.

Update with `pytest tests/test_tui_snapshots.py --snapshot-update`, then look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_helpers import FAKE_LAUNCHER, finish_apply, go_to, install_demo, make_app

from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Manifest

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
STAMP = "2026-05-12T10:30:00+00:00"
Before = Callable[[Pilot[object]], Awaitable[None]]


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file vault and fixed install times, so nothing in a screen depends on the machine or the clock."""
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setattr(installer, "_now", lambda: STAMP)


async def clients(pilot: Pilot[object]) -> None:
    await pilot.pause()
    await pilot.press("down", "down")


async def key(pilot: Pilot[object]) -> None:
    await go_to(pilot, "Key")
    await pilot.press("tab", *"sk_test_SnapshotKey12345678")


async def tools(pilot: Pilot[object]) -> None:
    await go_to(pilot, "Tools")
    await pilot.press("right", "down", "down", "down", "down")


async def review(pilot: Pilot[object]) -> None:
    await go_to(pilot, "Review", key="sk_test_SnapshotKey12345678")


async def apply(pilot: Pilot[object]) -> None:
    await go_to(pilot, "Review", key=None)
    await pilot.press("w")
    await finish_apply(pilot)


async def help_screen(pilot: Pilot[object]) -> None:
    await pilot.pause()
    await pilot.press("f1")


async def manage(pilot: Pilot[object]) -> None:
    await pilot.pause()


SCREENS: dict[str, Before] = {
    "clients": clients,
    "key": key,
    "tools": tools,
    "review": review,
    "apply": apply,
    "help": help_screen,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_install_flow_screens(screen: str, size: tuple[int, int], snap_compare: object, isolated_home: Path) -> None:
    (isolated_home / ".cursor").mkdir()
    (isolated_home / ".cursor" / "mcp.json").write_text('{\n  "mcpServers": {}\n}\n')
    app = make_app(isolated_home, found=("cursor",), fake_launcher=screen != "apply")
    assert snap_compare(app, terminal_size=size, run_before=SCREENS[screen])  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_manage_screen(size: tuple[int, int], snap_compare: object, isolated_home: Path) -> None:
    for client in ("cursor", "claude-desktop", "codex"):
        install_demo(client, isolated_home, launcher=FAKE_LAUNCHER)
    install_demo("vscode", isolated_home, launcher=FAKE_LAUNCHER, scope="project")
    records = Manifest.load().records
    installer.mark_verified(
        {(r.client, r.path, tuple(r.key_path), r.name): r.client != "codex" for r in records[:3]}, STAMP
    )
    app = make_app(isolated_home, start="manage")
    assert snap_compare(app, terminal_size=size, run_before=manage)  # type: ignore[operator]


@pytest.mark.parametrize("size", SIZES)
def test_error_dialog(size: tuple[int, int], snap_compare: object, isolated_home: Path) -> None:
    (isolated_home / ".cursor").mkdir()
    (isolated_home / ".cursor" / "mcp.json").write_text('{\n  "mcpServers": {\n    "a": 1,,\n  }\n}\n')
    app = make_app(isolated_home, found=("cursor",), fake_launcher=True)

    async def broken(pilot: Pilot[object]) -> None:
        await go_to(pilot, "Review", key=None)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=broken)  # type: ignore[operator]
