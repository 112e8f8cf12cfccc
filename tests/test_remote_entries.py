"""Entries for a remote server that asks for OAuth sign-in, per client (golden files in tests/golden/oauth/):
the client's own URL entry where it signs in by itself (Gemini with oauth.enabled), our signing-in bridge for
Claude Desktop and wherever `--via-bridge` asks; the Clerk hosted preset; no secret in any file or argv.

Regenerate with `UPDATE_GOLDEN=1 pytest tests/test_remote_entries.py` and read the diff before committing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from installer_helpers import GOLDEN, LAUNCHER, SUFFIX, linux, parse

from clerk_mcp_setup.cli import main
from clerk_mcp_setup.clients import CLIENTS, get_client
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.install.remote import CLERK_HOSTED_URL
from clerk_mcp_setup.server.sandbox.oauth_flow import running_protected

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
URL = "https://clerk-mcp.example.com/mcp"
OAUTH = GOLDEN / "oauth"


@pytest.fixture(autouse=True)
def _vault_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def _after(client_id: str, tmp_path: Path, **options: object) -> tuple[bytes, str]:
    client = get_client(client_id)
    target = installer.Target(client, "user")
    req = installer.Request(
        targets=(target,), name="clerk-team", remote_url=URL, key_storage="none", remote_auth="oauth", **options
    )  # type: ignore[arg-type]
    plan = installer.plan_install(req, linux(tmp_path), LAUNCHER)
    (change,) = plan.changes
    assert change.after is not None
    return change.after, client.location("user", linux(tmp_path)).syntax


CASES = [(c.id, ()) for c in CLIENTS] + [("cursor", ("cursor",)), ("gemini", ("all",))]


@pytest.mark.parametrize(("client_id", "via"), CASES, ids=[f"{c}{'-bridge' if v else ''}" for c, v in CASES])
def test_golden_oauth_entry(client_id: str, via: tuple[str, ...], tmp_path: Path) -> None:
    after, syntax = _after(client_id, tmp_path, via_bridge=via)
    golden = OAUTH / f"{client_id}{'-bridge' if via else ''}{SUFFIX.get(syntax, '.json')}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(after)
    assert after == golden.read_bytes(), f"bytes differ from {golden}"
    parse(syntax, after)


def _entry(client_id: str, tmp_path: Path, **options: object) -> dict:
    after, syntax = _after(client_id, tmp_path, **options)
    data = parse(syntax, after)
    for key in get_client(client_id).location("user", linux(tmp_path)).key_path:
        data = data[key]
    return data["clerk-team"]


def test_what_each_client_gets(tmp_path: Path) -> None:
    assert _entry("gemini", tmp_path) == {"type": "http", "url": URL, "oauth": {"enabled": True}}
    assert _entry("claude-code", tmp_path) == {"type": "http", "url": URL}
    assert _entry("cursor", tmp_path) == {"url": URL}
    assert _entry("windsurf", tmp_path) == {"serverUrl": URL}
    assert _entry("codex", tmp_path) == {"url": URL}
    bridge = {"command": LAUNCHER.command, "args": ["--bridge", URL], "env": {"CLERK_MCP_VAULT": "file"}}
    assert _entry("claude-desktop", tmp_path) == bridge
    assert _entry("cursor", tmp_path, via_bridge=("cursor",)) == bridge
    assert _entry("claude-code", tmp_path, via_bridge=("all",)) == {"type": "stdio", **bridge}


# Clients that run the MCP OAuth flow themselves for a URL entry (each with its source on the record); every
# other one gets our signing-in bridge. Changing this set is a decision: update the README table with it.
SIGNS_IN_ITSELF = {
    "claude-code", "cursor", "vscode", "vscode-insiders", "windsurf", "zed", "codex", "gemini",
    "opencode", "kilo-code", "copilot-cli", "cline", "qwen-code", "droid", "openclaw", "goose", "kiro", "antigravity",
}  # fmt: skip
NEWER = {"opencode", "copilot-cli", "cline", "roo-code", "kilo-code", "goose", "kiro", "antigravity", "trae",
    "continue", "amp", "warp", "lm-studio", "openclaw", "qwen-code", "droid", "auggie", "crush", "hermes"}  # fmt: skip


def test_every_client_states_its_sign_in_fact() -> None:
    assert {c.id for c in CLIENTS if c.sign_in is not None} == SIGNS_IN_ITSELF
    for client in CLIENTS:
        if client.sign_in is not None:
            assert client.supports_remote, client.id
            assert "{name}" in client.sign_in.how, client.id  # the step names the entry
            assert client.sign_in.step("team").endswith("."), client.id
            if client.id in NEWER:
                assert client.sign_in.source, client.id
            assert not client.sign_in_checked, client.id
        else:
            assert client.sign_in_checked, f"{client.id}: say where a sign-in of its own was looked for"
    assert get_client("claude-desktop").sign_in is None


def test_newer_clients_get_their_own_url_entry_or_the_bridge(tmp_path: Path) -> None:
    bridge = {"command": LAUNCHER.command, "args": ["--bridge", URL], "env": {"CLERK_MCP_VAULT": "file"}}
    assert _entry("opencode", tmp_path) == _entry("kilo-code", tmp_path) == {"type": "remote", "url": URL}
    assert _entry("cline", tmp_path) == {"type": "streamableHttp", "url": URL}
    assert _entry("qwen-code", tmp_path) == {"httpUrl": URL}
    assert _entry("droid", tmp_path) == {"type": "http", "url": URL}
    assert _entry("kiro", tmp_path) == {"url": URL}
    assert _entry("antigravity", tmp_path) == {"serverUrl": URL}
    assert _entry("copilot-cli", tmp_path)["url"] == URL
    assert _entry("goose", tmp_path)["uri"] == URL
    assert _entry("openclaw", tmp_path)["url"] == URL
    for client_id in sorted(NEWER - SIGNS_IN_ITSELF):  # the rest start our bridge, whatever their file's shape
        after, _ = _after(client_id, tmp_path)
        assert b"--bridge" in after and after.count(URL.encode()) == 1, client_id
    assert _entry("opencode", tmp_path, via_bridge=("opencode",))["command"] == [LAUNCHER.command, "--bridge", URL]
    assert _entry("lm-studio", tmp_path) == bridge


def test_notes_say_how_each_client_signs_in(tmp_path: Path) -> None:
    targets = tuple(installer.Target(get_client(c), "user") for c in ("codex", "gemini", "claude-desktop"))
    req = installer.Request(targets=targets, name="clerk-team", remote_url=URL, key_storage="none", remote_auth="oauth")
    notes = installer.plan_install(req, linux(tmp_path), LAUNCHER).notes
    assert "Codex CLI: run codex mcp login clerk-team to sign in." in notes
    assert "Gemini CLI: run /mcp auth clerk-team in Gemini CLI to sign in." in notes
    assert any(n.startswith("Claude Desktop: our bridge") and "clerk-mcp-setup login clerk-team" in n for n in notes)
    targets = tuple(installer.Target(get_client(c), "user") for c in ("opencode", "openclaw", "roo-code"))
    req = installer.Request(targets=targets, name="clerk-team", remote_url=URL, key_storage="none", remote_auth="oauth")
    notes = installer.plan_install(req, linux(tmp_path), LAUNCHER).notes
    assert "OpenClaw: run openclaw mcp login clerk-team to sign in." in notes
    assert any(n.startswith("opencode: ") and "opencode mcp auth clerk-team" in n for n in notes), notes
    assert any(n.startswith("Roo Code: our bridge") and "clerk-mcp-setup login clerk-team" in n for n in notes), notes


def test_clerk_hosted_preset_sits_beside_the_bundled_server(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--client", "cursor", "--client", "claude-desktop", "--demo", "--yes", "--no-verify"]) == 0
    assert main(["--server", "clerk-hosted", "-c", "cursor", "-c", "claude-desktop", "--yes", "--no-verify"]) == 0
    cursor = json.loads((isolated_home / ".cursor" / "mcp.json").read_text())["mcpServers"]
    assert set(cursor) == {"clerk", "clerk-docs"} and cursor["clerk-docs"] == {"url": CLERK_HOSTED_URL}
    desktop = json.loads((isolated_home / ".config" / "Claude" / "claude_desktop_config.json").read_text())
    assert desktop["mcpServers"]["clerk-docs"]["args"][-2:] == ["--bridge", CLERK_HOSTED_URL]
    assert "--demo" in desktop["mcpServers"]["clerk"]["args"]
    records = [r for r in Manifest.load().records if r.name == "clerk-docs"]
    assert {(r.client, r.remote_auth, r.bridged) for r in records} == {
        ("cursor", "oauth", False),
        ("claude-desktop", "oauth", True),
    }
    out = capsys.readouterr()
    assert "clerk-mcp-setup login clerk-docs" in out.out + out.err


def test_preset_refuses_a_key_or_another_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--server", "clerk-hosted", "-c", "cursor", "--remote", URL, "--yes"]) == 2
    assert "cannot go with --remote" in capsys.readouterr().err
    assert main(["--server", "clerk-hosted", "-c", "cursor", "--secret-key", "sk_test_abc123", "--yes"]) == 2
    assert main(["-c", "cursor", "--via-bridge", "cursor", "--demo", "--yes"]) == 2


def test_auto_sign_in_asks_the_server(isolated_home: Path) -> None:
    with running_protected() as (url, _):
        assert main(["--remote", url, "-c", "gemini", "--name", "team", "--yes", "--no-verify"]) == 0
    entry = json.loads((isolated_home / ".gemini" / "settings.json").read_text())["mcpServers"]["team"]
    assert entry == {"type": "http", "url": url, "oauth": {"enabled": True}}


def test_a_header_means_no_sign_in_and_no_probe(isolated_home: Path) -> None:
    """With --header the URL is not asked (it may not even resolve) and no sign-in key is written."""
    argv = ["--remote", "https://nowhere.invalid/mcp", "--header", "X-Team: ops", "-c", "gemini", "--yes"]
    assert main([*argv, "--no-verify"]) == 0
    entry = json.loads((isolated_home / ".gemini" / "settings.json").read_text())["mcpServers"]["clerk"]
    assert entry == {"type": "http", "url": "https://nowhere.invalid/mcp", "headers": {"X-Team": "ops"}}


async def test_wizard_offers_clerks_hosted_server_beside_the_bundled_one(isolated_home: Path) -> None:
    """The key screen's third choice plans https://mcp.clerk.com/mcp as clerk-docs, no key asked."""
    from tui_helpers import go_to, make_app

    app = make_app(isolated_home, found=("cursor",))
    async with app.run_test(size=(100, 30)) as pilot:
        await go_to(pilot, "Key")
        await pilot.press("down", "down", "enter")  # the hosted radio button
        await pilot.pause()
        assert app.choices.hosted and not app.choices.demo  # type: ignore[attr-defined]
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        plan = app.screen.query_one("#plan").plan  # type: ignore[attr-defined]
        written = json.loads(plan.changes[-1].after)
        await pilot.press("ctrl+q")
    assert written["mcpServers"]["clerk-docs"] == {"url": CLERK_HOSTED_URL}
    assert any("Cursor opens your browser" in n for n in plan.notes)
    assert not (isolated_home / ".cursor").exists()  # quitting on review wrote nothing


def test_readme_sign_in_table_matches_the_records() -> None:
    """The README's "Remote servers with sign-in" table puts each client on the row the installer acts on."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Remote servers with sign-in", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| ")]
    bridge_row = next(line for line in table if "`clerk-mcp-server --bridge URL`" in line)
    own = "\n".join(line.split(" | ")[0] for line in table if line != bridge_row)
    label = {"vscode-insiders": "VS Code", "codex": "Codex", "droid": "Droid", "hermes": "Hermes"}
    for client in CLIENTS:
        name = label.get(client.id, client.name)
        if client.id in SIGNS_IN_ITSELF:
            assert name in own and name not in bridge_row, client.id
        else:
            assert name in bridge_row.split(" | ")[0], client.id
