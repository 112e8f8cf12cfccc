"""The wizard's key choices: a stored key is picked from a list (never reused silently), the entry can be named,
and the manager's uninstall review shows keeping or deleting the key as a visible choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, RadioButton
from tui_helpers import finish_apply, go_to, make_app, wait_for

from clerk_mcp_setup.clients import Env, get_client
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.keys import slot_for
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.tui.screens.dialogs import ErrorScreen, PlanScreen
from clerk_mcp_setup.tui.screens.key import KeyScreen
from clerk_mcp_setup.tui.screens.tools import ToolsScreen
from clerk_mcp_setup.vault import Vault

TEST_KEY = "sk_test_StoredForWizard00001111"
LIVE_KEY = "sk_live_StoredForWizard00002222"


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def _install(client: str, key: str, home: Path, name: str = "clerk") -> None:
    target = installer.Target(get_client(client), "user")
    request = installer.Request(targets=(target,), secret_key=key, name=name)
    installer.apply(installer.plan_install(request, Env("linux", {}, home)))


async def test_empty_key_with_stored_keys_asks_and_the_list_chooses(isolated_home: Path) -> None:
    _install("codex", TEST_KEY, isolated_home)
    _install("gemini", LIVE_KEY, isolated_home)
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(100, 40)) as pilot:
        await go_to(pilot, "Key")
        assert isinstance(app.screen, KeyScreen)
        labels = [str(b.label) for b in app.screen.query(RadioButton) if (b.id or "").startswith("stored-")]
        assert any("sk_test_****1111 (test), used by codex (user) 'clerk'" in label for label in labels)
        assert any("sk_live_****2222 (live), used by gemini (user) 'clerk'" in label for label in labels)
        await pilot.press("ctrl+n")  # no key typed, none picked: refused, with the list
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen) and "--use-stored-key" in (app.screen.hint or "")
        assert "sk_live_****2222" in app.screen.message
        await pilot.press("escape")
        live = next(b for b in app.screen.query(RadioButton) if "sk_live_****2222" in str(b.label))
        live.toggle()
        app.screen.query_one("#name", Input).value = "clerk-prod"
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ToolsScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("w")
        await finish_apply(pilot)
        await pilot.press("enter")
    entry = json.loads((isolated_home / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk-prod"]
    assert entry["args"] == ["--vault", slot_for("clerk", LIVE_KEY)]  # the chosen key's slot, not a new one
    assert json.loads(Vault.open().path.read_text()) == {
        slot_for("clerk", TEST_KEY): TEST_KEY,
        slot_for("clerk", LIVE_KEY): LIVE_KEY,
    }


async def test_manager_uninstall_shows_keep_or_purge(isolated_home: Path) -> None:
    _install("cursor", TEST_KEY, isolated_home)
    slot = slot_for("clerk", TEST_KEY)
    app = make_app(isolated_home, start="manage")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        purge = app.screen.query_one("#purge", Checkbox)
        assert not purge.value and app.screen.plan.vault_deletes == []
        purge.toggle()
        await wait_for(pilot, lambda: app.screen.plan.vault_deletes == [slot])  # type: ignore[attr-defined]
        assert slot in str(app.screen.query_one("#plan").query(".plan-summary").first().render())
        await pilot.press("w")
        await wait_for(pilot, lambda: not Manifest.load().records)
    assert Vault.open().get(slot) is None
