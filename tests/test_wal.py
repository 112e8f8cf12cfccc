"""Write-ahead records: kills, full disks and locked manifests never leave an entry written but unrecorded."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from installer_helpers import LAUNCHER, OTHER_LAUNCHER, linux, request

from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.install import installer, wal
from clerk_mcp_setup.install.manifest import Manifest

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
INSTALL = [SETUP, "-c", "cursor", "-c", "gemini", "-c", "codex", "--key-storage", "env", "--yes", "--no-verify"]


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def _manifest_file() -> Path:
    return Manifest.load().path


def test_locked_manifest_means_nothing_is_written(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_bytes(b'{"mcpServers": {}}\n')
    manifest = _manifest_file()
    manifest.parent.mkdir(parents=True)
    manifest.write_text("# ours\n")
    manifest.chmod(0o444)  # a locked manifest
    with pytest.raises(ClerkMcpError, match="Nothing was written"):
        installer.apply(installer.plan_install(request("cursor", storage="env"), linux(isolated_home), LAUNCHER))
    assert config.read_bytes() == b'{"mcpServers": {}}\n'


def test_manifest_failing_after_the_write_leaves_a_pending_record_the_next_run_settles(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = linux(isolated_home)
    plan = installer.plan_install(request("cursor", storage="env"), env, LAUNCHER)
    saves = {"n": 0}
    real_save = Manifest.save

    def failing_second_save(self: Manifest) -> None:
        saves["n"] += 1
        if saves["n"] == 2:
            from clerk_mcp_setup.files import ConfigWriteError

            raise ConfigWriteError("No space left on device", "free some disk space")
        real_save(self)

    monkeypatch.setattr(Manifest, "save", failing_second_save)
    with pytest.raises(ClerkMcpError) as caught:
        installer.apply(plan)
    config = isolated_home / ".cursor" / "mcp.json"
    assert f"Written: {config}" in caught.value.message and "pending" in caught.value.message
    assert "left as it was" not in caught.value.message
    monkeypatch.setattr(Manifest, "save", real_save)
    (record,) = Manifest.load().records
    assert record.state == "pending"
    notes = wal.reconcile()
    assert notes and Manifest.load().records[0].state == "ok"
    assert installer.entry_state(Manifest.load().records[0]) == "ok"


def test_pending_that_never_landed_is_dropped_or_the_previous_record_comes_back(isolated_home: Path) -> None:
    env = linux(isolated_home)
    installer.apply(installer.plan_install(request("cursor", storage="env"), env, LAUNCHER))
    (first,) = Manifest.load().records
    # an update recorded as pending, then killed before the file was written
    update = installer.plan_install(request("cursor", storage="env"), env, OTHER_LAUNCHER)
    wal.record_intent(Manifest.load(), update.changes)
    assert Manifest.load().records[0].state == "pending"
    wal.reconcile()
    (back,) = Manifest.load().records
    assert back.state == "ok" and back.entry_sha256 == first.entry_sha256
    # a new entry recorded as pending and never written
    fresh = installer.plan_install(request("gemini", storage="env"), env, LAUNCHER)
    wal.record_intent(Manifest.load(), fresh.changes)
    wal.reconcile()
    assert [r.client for r in Manifest.load().records] == ["cursor"]


def _entries_in_files(home: Path) -> set[tuple[str, str]]:
    found = set()
    cursor = home / ".cursor" / "mcp.json"
    if cursor.exists():
        found |= {(str(cursor), n) for n in json.loads(cursor.read_text()).get("mcpServers", {})}
    gemini = home / ".gemini" / "settings.json"
    if gemini.exists():
        found |= {(str(gemini), n) for n in json.loads(gemini.read_text()).get("mcpServers", {})}
    codex = home / ".codex" / "config.toml"
    if codex.exists():
        found |= {(str(codex), n) for n in tomllib.loads(codex.read_text()).get("mcp_servers", {})}
    return {item for item in found if item[1].startswith("k")}


def test_kill_loop_every_entry_in_a_file_is_recorded_and_uninstall_removes_all(isolated_home: Path) -> None:
    """SIGKILL real install processes at random moments; after each kill, whatever landed in a file is in
    the manifest (pending or done); at the end status settles them and uninstall removes every one."""
    (isolated_home / ".cursor").mkdir()
    cursor_before = b'{\n  "mcpServers": {\n    "mine": {"command": "/bin/mine"}\n  }\n}\n'
    (isolated_home / ".cursor" / "mcp.json").write_bytes(cursor_before)
    rng = random.Random(12)
    measured = time.monotonic()
    assert subprocess.run([*INSTALL, "--name", "kbase"], capture_output=True, timeout=120).returncode == 0
    full = time.monotonic() - measured  # one whole run on this machine, as loaded as it is now
    started = time.monotonic()
    killed_after_write = iterations = 0
    for n in range(40):
        if time.monotonic() - started > 60 and iterations >= 10:
            break  # bounded in time on a loaded machine
        iterations += 1
        proc = subprocess.Popen(
            [*INSTALL, "--name", f"k{n % 7}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.3, 1.1) * full)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        in_files = _entries_in_files(isolated_home)
        recorded = {(r.path, r.name) for r in Manifest.load().records}
        assert in_files <= recorded, f"iteration {n}: written but unrecorded: {in_files - recorded}"
        killed_after_write += any(r.state == "pending" for r in Manifest.load().records)
    status = subprocess.run([SETUP, "status", "--json"], capture_output=True, text=True, timeout=60)
    data = json.loads(status.stdout)
    assert all(e["state"] == "ok" for e in data["entries"]), data["entries"]
    assert {(e["path"], e["name"]) for e in data["entries"]} == _entries_in_files(isolated_home)
    gone = subprocess.run([SETUP, "uninstall", "--yes"], capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0, gone.stderr
    assert _entries_in_files(isolated_home) == set()
    assert (isolated_home / ".cursor" / "mcp.json").read_bytes() == cursor_before
    elapsed = time.monotonic() - started
    print(f"kill loop: {iterations} runs, {killed_after_write} with pending records, {elapsed:.0f} s")
