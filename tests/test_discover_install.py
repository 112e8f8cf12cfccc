"""The installer side of `@discover`: clients' tool caps, the warning that offers `@discover` (CLI and wizard),
entries written with it, verification that lists exactly its 3 (or 2) tools, and the wizard's byte costs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static
from tui_helpers import finish_apply, go_to, make_app
from verify_helpers import SETUP

from clerk_mcp_setup.clients import CLIENTS, get_client
from clerk_mcp_setup.install.caps import discover_patterns, over_cap
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.server.catalog import CATALOG
from clerk_mcp_setup.server.listing import tools_list_bytes
from clerk_mcp_setup.server.sandbox.serve import running_sandbox
from clerk_mcp_setup.tui.state import Choices

KEY = "sk_test_discoverSetupKEY01234567"
CAPPED = {
    "cursor": 40,
    "vscode": 128,
    "vscode-insiders": 128,
    "windsurf": 100,
    "gemini": 512,
    "antigravity": 100,
    "trae": 40,
}


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")


def setup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SETUP, *args], capture_output=True, text=True, timeout=120)


def test_every_client_states_its_cap_and_where_it_comes_from() -> None:
    """Every record, the 19 newer ones included: the cap is exactly CAPPED's, and its source is a reference
    (an issue, a URL, or what was measured/searched); a missing cap says so rather than staying blank."""
    assert {c.id for c in CLIENTS} >= set(CAPPED)
    for client in CLIENTS:
        assert client.tool_cap == CAPPED.get(client.id), client.id
        source = client.tool_cap_source
        assert source and source != "none documented in its docs or issues (checked 2026-11)", client.id
        if client.tool_cap:
            assert "#" in source or "https://" in source, client.id
        else:
            assert source.startswith(("none", "no cap")), client.id


def test_over_cap_names_the_clients_and_the_command() -> None:
    clients = [get_client(c) for c in ("cursor", "windsurf", "claude-code", "vscode")]
    warned = over_cap(clients, ["*"])
    assert [(w.client.id, w.served, w.cap) for w in warned] == [
        ("cursor", len(CATALOG), 40),
        ("windsurf", len(CATALOG), 100),
        ("vscode", len(CATALOG), 128),
    ]
    assert warned[0].command == "clerk-mcp-setup --client cursor --tools @discover"
    assert [w.client.id for w in over_cap(clients, ["users", "organizations"])] == ["cursor"]
    assert over_cap(clients, ["users", "organizations"])[0].command.endswith("--tools @discover users organizations")
    assert over_cap(clients, None) == []  # the default's 24 tools fit everywhere
    assert over_cap(clients, ["@discover"]) == over_cap(clients, ["@discover", "*"]) == []
    assert over_cap(clients, ["*"], read_only=True)[0].served == sum(t.read_only for t in CATALOG)
    assert "--read-only" in over_cap(clients, ["*"], read_only=True)[0].command
    assert discover_patterns(["@all"]) == ("@discover",) and discover_patterns(None) == ("@discover", "@default")


def test_cli_warns_past_a_cap_and_says_the_command(isolated_home: Path) -> None:
    out = setup("--client", "cursor", "--client", "claude-code", "--tools", "*", "--demo", "--dry-run")
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "Cursor offers the model at most 40 tools and this entry alone serves 171" in text
    assert "clerk-mcp-setup --client cursor --tools @discover" in text
    assert "Claude Code offers" not in text
    quiet = setup("--client", "cursor", "--tools", "@discover", "--demo", "--dry-run")
    assert quiet.returncode == 0 and "offers the model at most" not in quiet.stdout + quiet.stderr
    scoped = setup("--client", "cursor", "--tools", "*", "--read-only", "--demo", "--dry-run", "--json")
    notes = json.loads(scoped.stdout)["notes"]
    assert any("Cursor offers the model at most 40" in n and "@discover --read-only" in n for n in notes), notes


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


def test_discover_entry_is_written_and_verified_as_its_three_tools(isolated_home: Path, sandbox: str) -> None:
    args = ["--client", "cursor", "--tools", "@discover", "users", "--secret-key", KEY, "--api-url", sandbox]
    out = setup(*args, "--check-key", "--yes", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 0, (data.get("verify"), out.stderr)
    entry = json.loads((isolated_home / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk"]
    assert entry["args"][:3] == ["--tools", "@discover", "users"]
    [result] = data["verify"]
    assert result["ok"] and result["tools"] == 3
    (record,) = Manifest.load().records
    assert record.tools == ["@discover", "users"]

    ro = setup("--client", "cursor", "--tools", "@discover", "--read-only", "--demo", "--yes", "--json")
    [result] = json.loads(ro.stdout)["verify"]
    assert ro.returncode == 0 and result["ok"] and result["tools"] == 2, result


def test_a_wrong_key_is_caught_through_the_read_caller(isolated_home: Path, sandbox: str) -> None:
    args = ["--client", "cursor", "--tools", "@discover", "--secret-key", "sk_test_wrongKEY98765432109876"]
    out = setup(*args, "--api-url", sandbox, "--check-key", "--yes", "--json")
    [result] = json.loads(out.stdout)["verify"]
    assert out.returncode == 4 and result["status"] == "unauthorized" and result["tools"] == 3


def test_wizard_choices_map_discover_to_the_cli_value(isolated_home: Path) -> None:
    choices = Choices(project=isolated_home)
    choices.discover = True
    choices.tools = frozenset(t.name for t in CATALOG)
    assert choices.tool_patterns() == ("@discover",) and choices.listed_count() == 3
    choices.tools = frozenset(t.name for t in CATALOG if t.category == "users")
    assert choices.tool_patterns() == ("@discover", "users")
    choices.read_only = True
    assert choices.listed_count() == 2
    choices.discover, choices.read_only = False, False
    choices.tools = frozenset(t.name for t in CATALOG)
    choices.toggle(get_client("cursor"))
    assert [w.client.id for w in choices.cap_warnings()] == ["cursor"]


async def test_wizard_warns_past_the_cap_shows_costs_and_installs_discover(isolated_home: Path) -> None:
    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(100, 30)) as pilot:
        await go_to(pilot, "Tools", key=None)
        costs = str(app.screen.query_one("#costs", Static).render())
        assert f"4 discover {tools_list_bytes(['@discover']):,} B" in costs
        assert f"2 all {tools_list_bytes(['*']):,} B" in costs and f"0 default {tools_list_bytes(None):,} B" in costs
        await pilot.press("2")
        await pilot.pause()
        caps = str(app.screen.query_one("#caps", Static).render())
        assert "Cursor shows at most 40 tools; this lists 171" in caps and "Press 4 for @discover" in caps
        await pilot.press("4")
        await pilot.pause()
        assert str(app.screen.query_one("#caps", Static).render()).strip() == ""
        assert "@discover: 3 tools listed" in str(app.screen.query_one("#count", Static).render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("w")
        await finish_apply(pilot)
    entry = json.loads((isolated_home / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk"]
    assert entry["args"] == ["--tools", "@discover", "--demo"]
    (record,) = Manifest.load().records
    assert record.verified_ok
