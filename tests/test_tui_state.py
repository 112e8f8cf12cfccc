"""The wizard's choices become the request the CLI would build; only `tui/` imports Textual."""

from __future__ import annotations

import ast
from pathlib import Path

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.server.catalog import CATALOG, CATEGORIES
from clerk_mcp_setup.tui.screens.key import describe_key
from clerk_mcp_setup.tui.state import DEFAULT_TOOLS, PRESET_TOOLS, Choices
from clerk_mcp_setup.tui.text import fit, tilde

PACKAGE = Path(__file__).resolve().parents[1] / "clerk_mcp_setup"


def test_only_tui_imports_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] == "textual"]
    assert not offenders


def test_default_selection_means_no_tools_flag() -> None:
    choices = Choices(project=Path("/p"))
    assert choices.tool_patterns() is None
    assert set(choices.effective_tools()) == DEFAULT_TOOLS == {t.name for t in resolve(None)}


def test_presets_whole_categories_and_single_tools_round_trip_through_the_grammar() -> None:
    choices = Choices(project=Path("/p"))
    choices.tools = PRESET_TOOLS["@agent-toolkit"]
    assert choices.tool_patterns() == ("@agent-toolkit",)
    first = CATEGORIES[-1]
    whole = frozenset(t.name for t in CATALOG if t.category == first)
    one = next(t.name for t in CATALOG if t.category == CATEGORIES[0])
    choices.tools = whole | {one}
    patterns = choices.tool_patterns()
    assert patterns is not None and first in patterns and one in patterns
    assert {t.name for t in resolve(list(patterns))} == choices.tools


def test_read_only_keeps_only_tools_that_change_nothing() -> None:
    choices = Choices(project=Path("/p"), tools=PRESET_TOOLS["@all"], read_only=True)
    assert choices.effective_tools() == [t.name for t in CATALOG if t.read_only]
    assert choices.request().read_only


def test_request_carries_scopes_project_and_storage() -> None:
    choices = Choices(project=Path("/work/app"), key=" sk_test_abcdefgh1234 ", storage="env")
    choices.toggle(get_client("cursor"), "project")
    choices.toggle(get_client("claude-desktop"))
    request = choices.request()
    assert [(t.client.id, t.scope, t.project) for t in request.targets] == [
        ("claude-desktop", "user", None),
        ("cursor", "project", Path("/work/app")),
    ]
    assert request.secret_key == "sk_test_abcdefgh1234" and request.key_storage == "env"
    assert choices.storages()["env"] == "not for Claude Desktop" and choices.storages()["vault"] is None
    choices.demo = True
    assert choices.request().secret_key is None and choices.request().demo


def test_describe_key_never_shows_the_key() -> None:
    key = "sk_live_SECRETsecret12345678"
    shown = describe_key(key).plain
    assert "production" in shown and "SECRET" not in shown and shown.endswith("real users")
    assert "publishable" in describe_key("pk_test_x").plain
    assert "incomplete" in describe_key("sk_test_ab").plain
    assert "Not a Clerk secret key" in describe_key("hello").plain


def test_paths_are_shown_home_relative_and_cut_on_the_left(isolated_home: Path) -> None:
    path = isolated_home / ".cursor" / "mcp.json"
    assert tilde(path) == "~/.cursor/mcp.json"
    assert fit(path, 10) == "…/mcp.json"
