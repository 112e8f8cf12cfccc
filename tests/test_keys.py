"""A key per entry: distinct keys never share a vault slot, nothing is reused silently, purge really deletes,
each entry started as its client would sends its own key, and an unfilled `${VAR}` is never sent to Clerk."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from keyring.backend import KeyringBackend

from clerk_mcp_setup.clients import Env, get_client
from clerk_mcp_setup.errors import UsageError
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.keys import KeyChoiceError, slot_for, stored_keys
from clerk_mcp_setup.install.manifest import Manifest, Record
from clerk_mcp_setup.server.sandbox.serve import running_sandbox
from clerk_mcp_setup.vault import Vault
from clerk_mcp_setup.verify.core import verify_record

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
TEST_KEY = "sk_test_TwoKeysScenarioAAAA1111"
LIVE_KEY = "sk_live_TwoKeysScenarioBBBB2222"


def fp(key: str) -> str:
    """The sandbox's fingerprint of a key (its request log holds this, never the key)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


@pytest.fixture(autouse=True)
def _file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox() as url:  # accepts any well-formed key and logs each request's key fingerprint
        yield url


def _install(client: str, key: str | None, *, scope: str = "user", project: Path | None = None, **kw: Any) -> None:
    target = installer.Target(get_client(client), scope, project)  # type: ignore[arg-type]
    request = installer.Request(targets=(target,), secret_key=key, **kw)
    installer.apply(installer.plan_install(request, Env.current()))


def _record(client: str, name: str = "clerk") -> Record:
    (record,) = Manifest.load().find(client, name)
    return record


async def _key_sent(record: Record, sandbox: str) -> set[str]:
    """Start the entry exactly as its client would (verify's launch path), make one call; the keys Clerk saw."""
    httpx.delete(f"{sandbox}/__sandbox/requests")
    result = await verify_record(record, timeout=60, check_key=True)
    assert result.ok, (record.client, result.status, result.evidence)
    return {r["key_id"] for r in httpx.get(f"{sandbox}/__sandbox/requests").json() if r["key_id"]}


async def test_two_keys_stay_with_their_entries(isolated_home: Path, sandbox: str) -> None:
    """Test key into Codex and VS Code, live key into a Cursor project and Claude Code: each sends its own key,
    before and after the other entries are installed, refreshed and removed."""
    project = isolated_home / "proj"
    project.mkdir()
    _install("codex", TEST_KEY, api_url=sandbox)
    _install("cursor", LIVE_KEY, scope="project", project=project, api_url=sandbox)
    _install("claude-code", LIVE_KEY, api_url=sandbox)
    _install("vscode", TEST_KEY, api_url=sandbox)
    slots = {r.client: r.vault_name for r in Manifest.load().records}
    assert slots == {
        "codex": slot_for("clerk", TEST_KEY),
        "vscode": slot_for("clerk", TEST_KEY),  # the same key is stored once
        "cursor": slot_for("clerk", LIVE_KEY),
        "claude-code": slot_for("clerk", LIVE_KEY),
    }
    assert json.loads(Vault.open().path.read_text()) == {slots["codex"]: TEST_KEY, slots["cursor"]: LIVE_KEY}
    expected = {"codex": TEST_KEY, "vscode": TEST_KEY, "cursor": LIVE_KEY, "claude-code": LIVE_KEY}
    for client, key in expected.items():
        assert await _key_sent(_record(client), sandbox) == {fp(key)}, client
    # Refreshing and uninstalling other entries never re-points Codex at the live key.
    installer.apply(installer.plan_refresh(Manifest.load().records, force=True))
    installer.apply(installer.plan_uninstall(Manifest.load().find("cursor"), purge_key=True))
    for client in ("codex", "vscode", "claude-code"):
        assert await _key_sent(_record(client), sandbox) == {fp(expected[client])}, client
    for text in (isolated_home / ".codex" / "config.toml", isolated_home / ".claude.json"):
        assert TEST_KEY not in text.read_text() and LIVE_KEY not in text.read_text()


def test_no_key_given_lists_the_stored_keys_and_reuses_none(isolated_home: Path) -> None:
    _install("codex", TEST_KEY)
    _install("cursor", LIVE_KEY)
    target = installer.Target(get_client("gemini"), "user")
    with pytest.raises(KeyChoiceError) as caught:
        installer.plan_install(installer.Request(targets=(target,)), Env.current())
    text = caught.value.render()
    assert "sk_test_****1111 (test), used by codex (user) 'clerk'" in text
    assert "sk_live_****2222 (live), used by cursor (user) 'clerk'" in text
    assert "--use-stored-key" in text and TEST_KEY not in text and LIVE_KEY not in text
    chosen = slot_for("clerk", LIVE_KEY)
    plan = installer.plan_install(installer.Request(targets=(target,), use_stored_key=chosen), Env.current())
    assert not plan.vault_writes
    installer.apply(plan)
    assert _record("gemini").vault_name == chosen
    with pytest.raises(UsageError, match="No stored key named 'clerk-00000000'"):
        installer.plan_install(installer.Request(targets=(target,), use_stored_key="clerk-00000000"), Env.current())


def test_cli_without_a_terminal_refuses_and_names_the_flag(isolated_home: Path) -> None:
    env = {**os.environ, "CLERK_SECRET_KEY": TEST_KEY}
    first = subprocess.run(
        [SETUP, "--client", "codex", "--yes", "--no-verify"], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    env.pop("CLERK_SECRET_KEY")
    second = subprocess.run(
        [SETUP, "--client", "cursor", "--yes", "--no-verify"],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert second.returncode == 2
    assert "sk_test_****1111 (test), used by codex (user) 'clerk'" in second.stderr
    assert "--use-stored-key" in second.stderr and TEST_KEY not in second.stderr
    assert not (isolated_home / ".cursor" / "mcp.json").exists()
    slot = slot_for("clerk", TEST_KEY)
    third = subprocess.run(
        [SETUP, "--client", "cursor", "--use-stored-key", slot, "--yes", "--no-verify", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert third.returncode == 0, third.stderr
    entry = json.loads((isolated_home / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk"]
    assert entry["args"] == ["--vault", slot]
    status = subprocess.run([SETUP, "status", "--json"], env=env, capture_output=True, text=True)
    keys = {e["client"]: e["key"] for e in json.loads(status.stdout)["entries"]}
    assert keys["cursor"]["slot"] == slot and keys["cursor"]["masked"] == "sk_test_****1111"
    assert keys["cursor"]["kind"] == "test" and TEST_KEY not in status.stdout


def test_the_terminal_offers_a_choice(isolated_home: Path) -> None:
    """On a TTY with no key the CLI lists the stored keys and takes a number (driven through `script`)."""
    _install("codex", TEST_KEY)
    cmd = f"{SETUP} --client gemini --yes --no-verify"
    done = subprocess.run(
        ["script", "-qec", cmd, "/dev/null"], input="1\n", capture_output=True, text=True, timeout=60, env=os.environ
    )
    assert "1. clerk-" in done.stdout and "sk_test_****1111" in done.stdout, done.stdout
    assert _record("gemini").vault_name == slot_for("clerk", TEST_KEY)


# -- purge ---------------------------------------------------------------------------------------------------


class MemoryKeyring(KeyringBackend):
    """A real keyring backend (keyring's own plug-in interface) keeping secrets in a dict."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.items:
            raise PasswordDeleteError(username)
        del self.items[(service, username)]


@pytest.mark.parametrize("backend", ["file", "keyring"])
def test_purge_deletes_unused_slots_and_keeps_used_ones(
    backend: str, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = MemoryKeyring()
    if backend == "keyring":
        previous = keyring.get_keyring()
        keyring.set_keyring(ring)
        monkeypatch.setenv("CLERK_MCP_VAULT", "keyring")
    try:
        _install("codex", TEST_KEY)
        _install("cursor", TEST_KEY)
        _install("gemini", LIVE_KEY)
        slot = slot_for("clerk", TEST_KEY)
        monkeypatch.setenv("CLERK_MCP_VAULT", "file" if backend == "keyring" else "keyring")  # uninstall elsewhere
        first = installer.plan_uninstall(Manifest.load().find("codex"), purge_key=True)
        assert first.vault_deletes == [] and first.kept_keys == [slot]
        assert any(f"keeps key '{slot}'" in n and "cursor (user) 'clerk'" in n for n in first.notes)
        installer.apply(first)
        assert Vault.open(backend).get(slot) == TEST_KEY  # type: ignore[arg-type]
        second = installer.plan_uninstall(Manifest.load().find("cursor"), purge_key=True)
        assert second.vault_deletes == [slot]
        installer.apply(second)
        assert Vault.open(backend).get(slot) is None  # type: ignore[arg-type]
        assert Vault.open(backend).get(slot_for("clerk", LIVE_KEY)) == LIVE_KEY  # type: ignore[arg-type]
        if backend == "keyring":
            assert set(ring.items) == {("clerk-mcp-setup", slot_for("clerk", LIVE_KEY))}
    finally:
        if backend == "keyring":
            keyring.set_keyring(previous)


def test_old_style_slot_keeps_working(isolated_home: Path, sandbox: str) -> None:
    """A manifest written before slots had fingerprints (slot == entry name) still works and is listed."""
    Vault.open().put("clerk", TEST_KEY)
    _install("cursor", None, vault_name="clerk", api_url=sandbox)
    record = _record("cursor")
    assert record.vault_name == "clerk"
    assert [k.slot for k in stored_keys(Manifest.load().records)] == ["clerk"]


# -- Codex's launch policy -------------------------------------------------------------------------------------


async def test_codex_vault_entry_works_with_a_non_default_xdg_dir(
    isolated_home: Path, sandbox: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Codex drops XDG_CONFIG_HOME: the entry pins the vault file, and verify proves it under Codex's policy."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_home / "elsewhere"))
    _install("codex", TEST_KEY, api_url=sandbox)
    record = _record("codex")
    text = (isolated_home / ".codex" / "config.toml").read_text()
    assert str(isolated_home / "elsewhere" / "clerk-mcp-setup" / "vault.json") in text
    assert await _key_sent(record, sandbox) == {fp(TEST_KEY)}


async def test_verify_under_codex_policy_catches_an_entry_codex_cannot_start(
    isolated_home: Path, sandbox: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same entry without the pin works from a shell but not from Codex; verify says so."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_home / "elsewhere"))
    _install("codex", TEST_KEY, api_url=sandbox)
    config = isolated_home / ".codex" / "config.toml"
    lines = [line for line in config.read_text().splitlines() if not line.startswith("CLERK_MCP_VAULT_FILE")]
    config.write_text("\n".join(lines) + "\n")
    result = await verify_record(_record("codex"), timeout=60, check_key=True)
    assert not result.ok and any("No secret key is stored" in e for e in result.evidence), result.evidence
    # Started with the whole environment (as a shell would) it finds the vault: only Codex's policy fails.
    direct = subprocess.run(
        [SERVER, "--vault", slot_for("clerk", TEST_KEY), "--list-tools"], capture_output=True, text=True, env=os.environ
    )
    assert direct.returncode == 0


# -- an unfilled reference is not a key ----------------------------------------------------------------------


def test_literal_reference_is_refused_and_never_sent(sandbox: str) -> None:
    """Claude Code passes an unset ${CLERK_SECRET_KEY} on literally: the server says so and calls nobody."""
    httpx.delete(f"{sandbox}/__sandbox/requests")
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "getUserCount", "arguments": {}}},
    ]
    env = {**os.environ, "CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"}
    done = subprocess.run(
        [SERVER, "--api-url", sandbox, "--audit-log", "off"],
        input="".join(json.dumps(m) + "\n" for m in messages),
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert "unexpanded reference '${CLERK_SECRET_KEY}'" in done.stderr and "Set CLERK_SECRET_KEY" in done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    call = next(r for r in replies if r.get("id") == 2)["result"]
    assert call["isError"] and "CLERK_SECRET_KEY" in json.dumps(call)
    assert httpx.get(f"{sandbox}/__sandbox/requests").json() == []  # nothing reached Clerk


def test_codex_keyring_entry_names_the_session_bus(isolated_home: Path) -> None:
    """Secret Service is reached over D-Bus, which Codex does not pass on: the entry lists what it needs."""
    from clerk_mcp_setup.install.launch import find_launcher
    from clerk_mcp_setup.verify.core import launch_for

    request = installer.Request(
        targets=(installer.Target(get_client("codex"), "user"),), secret_key=TEST_KEY, vault_backend="keyring"
    )
    entry, _ = installer.build_entry(get_client("codex"), request, find_launcher())
    assert entry["env"] == {"CLERK_MCP_VAULT": "keyring"}
    assert entry["env_vars"] == ["DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"]
    environ = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1/bus", "XDG_RUNTIME_DIR": "/run/user/1"}
    environ |= {"PATH": "/usr/bin", "HOME": str(isolated_home), "XDG_CONFIG_HOME": "/elsewhere"}
    launch = launch_for(get_client("codex"), entry, str(isolated_home), environ)
    assert launch.env["DBUS_SESSION_BUS_ADDRESS"] == environ["DBUS_SESSION_BUS_ADDRESS"]
    assert "XDG_CONFIG_HOME" not in launch.env  # Codex's allow-list, as Codex would start it
    without = launch_for(get_client("codex"), {**entry, "env_vars": []}, str(isolated_home), environ)
    assert "DBUS_SESSION_BUS_ADDRESS" not in without.env


async def test_verify_catches_claude_codes_literal_reference(
    isolated_home: Path, sandbox: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An env entry in Claude Code with CLERK_SECRET_KEY unset: Claude Code passes `${CLERK_SECRET_KEY}` on as
    text; verify starts it the same way and reports the refusal (naming the variable), and Clerk sees nothing."""
    monkeypatch.delenv("CLERK_SECRET_KEY", raising=False)
    _install("claude-code", None, key_storage="env", api_url=sandbox)
    httpx.delete(f"{sandbox}/__sandbox/requests")
    result = await verify_record(_record("claude-code"), timeout=60, check_key=True)
    assert not result.ok
    text = " ".join(result.evidence + result.notes)
    assert "unexpanded reference" in text and "CLERK_SECRET_KEY" in text, text
    assert httpx.get(f"{sandbox}/__sandbox/requests").json() == []
    monkeypatch.setenv("CLERK_SECRET_KEY", TEST_KEY)  # set where the client starts: the same entry works
    assert await _key_sent(_record("claude-code"), sandbox) == {fp(TEST_KEY)}
