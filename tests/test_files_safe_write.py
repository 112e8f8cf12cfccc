"""The safe writer: lock, refuse on a concurrent change, back up, replace atomically, read back."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from clerk_mcp_setup.errors import ConfigFileError
from clerk_mcp_setup.files import (
    ConfigChangedError,
    ConfigLockedError,
    ConfigParseError,
    ConfigWriteError,
    JsoncDocument,
    list_backups,
    read_snapshot,
    restore_backup,
    safe_write,
    write_atomic,
)
from clerk_mcp_setup.files.lock import lock_path, locked

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits and symlinks")


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_snapshot_of_a_file_and_of_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    missing = read_snapshot(path)
    assert (missing.exists, missing.data, missing.sha256, missing.mode) == (False, None, None, None)
    path.write_bytes(b"{}")
    snap = read_snapshot(path)
    assert snap.exists and snap.data == b"{}" and snap.sha256 == hashlib.sha256(b"{}").hexdigest()
    assert snap.path == path


def test_a_directory_is_not_a_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError, match="is a directory"):
        read_snapshot(tmp_path)


def test_the_snapshot_must_be_of_the_same_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_atomic(tmp_path / "a.json", b"{}", expected=read_snapshot(tmp_path / "b.json"), backup_dir=None)


def test_write_replaces_the_file_and_backs_up_the_old_bytes(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "mcp.json"
    path.write_bytes(b'{"old": true}')
    backup = write_atomic(path, b'{"new": true}', expected=read_snapshot(path), backup_dir=backups)
    assert path.read_bytes() == b'{"new": true}'
    assert backup is not None and backup.parent == backups and backup.read_bytes() == b'{"old": true}'
    assert backup.name.startswith("mcp.json.") and backup.name.endswith(".bak")
    assert list_backups(path, backups) == [backup]
    assert _listing(tmp_path) == ["backups", "mcp.json"]  # no temp file, no lock left behind


def test_backups_are_timestamped_and_never_overwritten(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"1")
    first = write_atomic(path, b"2", expected=read_snapshot(path), backup_dir=backups)
    second = write_atomic(path, b"3", expected=read_snapshot(path), backup_dir=backups)
    assert first != second and first is not None and second is not None
    assert list_backups(path, backups) == [second, first]
    assert [first.read_bytes(), second.read_bytes()] == [b"1", b"2"]


def test_two_files_with_the_same_name_do_not_share_backups(tmp_path: Path, backups: Path) -> None:
    zed, gemini = tmp_path / "zed" / "settings.json", tmp_path / "gemini" / "settings.json"
    for path in (zed, gemini):
        path.parent.mkdir()
        path.write_bytes(path.parent.name.encode())
        write_atomic(path, b"{}", expected=read_snapshot(path), backup_dir=backups)
    assert [b.read_bytes() for b in list_backups(zed, backups)] == [b"zed"]
    assert [b.read_bytes() for b in list_backups(gemini, backups)] == [b"gemini"]


def test_a_missing_file_and_its_directories_are_created(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "deep" / "er" / "config.toml"
    backup = write_atomic(path, b"x = 1\n", expected=read_snapshot(path), backup_dir=backups)
    assert backup is None and path.read_bytes() == b"x = 1\n"
    assert not backups.exists()


def test_a_concurrent_change_is_refused(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / ".claude.json"
    path.write_bytes(b'{"numStartups": 1}')
    snapshot = read_snapshot(path)
    path.write_bytes(b'{"numStartups": 2}')  # Claude Code saved meanwhile
    with pytest.raises(ConfigChangedError, match="changed since it was read") as caught:
        write_atomic(path, b"{}", expected=snapshot, backup_dir=backups)
    assert "again" in (caught.value.hint or "")
    assert path.read_bytes() == b'{"numStartups": 2}'
    assert not backups.exists()


def test_a_file_created_meanwhile_is_a_concurrent_change(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "mcp.json"
    snapshot = read_snapshot(path)
    path.write_bytes(b"{}")
    with pytest.raises(ConfigChangedError):
        write_atomic(path, b'{"a": 1}', expected=snapshot, backup_dir=backups)


@posix_only
def test_permission_bits_are_kept(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = 1\n")
    path.chmod(0o640)
    write_atomic(path, b"a = 2\n", expected=read_snapshot(path), backup_dir=backups)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@posix_only
def test_a_requested_mode_is_applied(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = 1\n")
    path.chmod(0o644)
    backup = write_atomic(path, b"secret = 1\n", expected=read_snapshot(path), backup_dir=backups, mode=0o600)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert backup is not None and stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700


@posix_only
def test_a_new_file_gets_the_umask_default(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "new.json"
    old = os.umask(0o027)
    try:
        write_atomic(path, b"{}", expected=read_snapshot(path), backup_dir=backups)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@posix_only
def test_a_symlinked_config_is_written_through_to_its_target(tmp_path: Path, backups: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "claude.json"
    target.write_bytes(b"{}")
    target.chmod(0o600)
    link = tmp_path / ".claude.json"
    link.symlink_to(target)
    backup = write_atomic(link, b'{"a": 1}', expected=read_snapshot(link), backup_dir=backups)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b'{"a": 1}' and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert backup is not None and backup.read_bytes() == b"{}"
    assert list_backups(link, backups) == [backup]
    assert _listing(dotfiles) == ["claude.json"]


@posix_only
def test_a_dangling_symlink_creates_its_target(tmp_path: Path, backups: Path) -> None:
    target = tmp_path / "store" / "mcp.json"
    link = tmp_path / "mcp.json"
    link.symlink_to(target)
    write_atomic(link, b"{}", expected=read_snapshot(link), backup_dir=backups)
    assert link.is_symlink() and target.read_bytes() == b"{}"


@pytest.mark.parametrize("failing", ["replace", "fsync", "interrupt"])
def test_a_failure_leaves_the_original_and_no_temp_file(
    tmp_path: Path, backups: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "mcp.json"
    path.write_bytes(b"original")
    snapshot = read_snapshot(path)

    def boom(*args: object) -> None:
        if failing == "interrupt":
            raise KeyboardInterrupt
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe_write.os, "replace" if failing == "replace" else "fsync", boom)
    expected_error = KeyboardInterrupt if failing == "interrupt" else ConfigWriteError
    with pytest.raises(expected_error) as caught:
        write_atomic(path, b"new", expected=snapshot, backup_dir=None)
    if failing != "interrupt":
        assert "No space left on device" in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == b"original"
    assert _listing(tmp_path) == ["mcp.json"]


def test_a_bad_read_back_is_reported(tmp_path: Path, backups: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mcp.json"
    path.write_bytes(b"{}")
    snapshot = read_snapshot(path)
    real = safe_write.read_snapshot
    calls = []

    def fake(p: Path) -> safe_write.Snapshot:
        calls.append(p)
        snap = real(p)
        if len(calls) == 2:  # the read-back after the replace
            return safe_write.Snapshot(snap.path, b"tampered", None, snap.mode)
        return snap

    monkeypatch.setattr(safe_write, "read_snapshot", fake)
    with pytest.raises(ConfigWriteError, match="did not read back") as caught:
        write_atomic(path, b'{"a": 1}', expected=snapshot, backup_dir=backups)
    assert "previous version" in (caught.value.hint or "")


def test_the_lock_is_a_directory_removed_afterwards(tmp_path: Path) -> None:
    path = tmp_path / ".claude.json"
    with locked(path) as sidecar:
        assert sidecar == lock_path(path) == tmp_path / ".claude.json.lock"
        assert sidecar.is_dir()
    assert not sidecar.exists()


def test_a_held_lock_makes_the_writer_wait_then_give_up(tmp_path: Path) -> None:
    path = tmp_path / ".claude.json"
    path.write_bytes(b"{}")
    lock_path(path).mkdir()  # Claude Code (proper-lockfile) is saving
    started = time.monotonic()
    with pytest.raises(ConfigLockedError, match="locked by another program"):
        write_atomic(path, b"[]", expected=read_snapshot(path), backup_dir=None, lock_timeout=0.2)
    assert time.monotonic() - started >= 0.2
    assert path.read_bytes() == b"{}"


def test_the_writer_proceeds_once_the_lock_is_released(tmp_path: Path) -> None:
    path = tmp_path / ".claude.json"
    path.write_bytes(b"{}")
    sidecar = lock_path(path)
    sidecar.mkdir()
    threading.Timer(0.15, sidecar.rmdir).start()
    write_atomic(path, b'{"a": 1}', expected=read_snapshot(path), backup_dir=None, lock_timeout=5)
    assert path.read_bytes() == b'{"a": 1}'


def test_a_stale_lock_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / ".claude.json"
    path.write_bytes(b"{}")
    sidecar = lock_path(path)
    sidecar.mkdir()
    old = time.time() - 60
    os.utime(sidecar, (old, old))  # left behind by a process that died
    write_atomic(path, b'{"a": 1}', expected=read_snapshot(path), backup_dir=None, lock_timeout=1)
    assert path.read_bytes() == b'{"a": 1}' and not sidecar.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl")
def test_a_regular_lock_file_is_used_with_flock(tmp_path: Path) -> None:
    import fcntl

    path = tmp_path / "mcp.json"
    path.write_bytes(b"{}")
    sidecar = lock_path(path)
    sidecar.write_bytes(b"")
    with open(sidecar, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(ConfigLockedError):
            write_atomic(path, b"[]", expected=read_snapshot(path), backup_dir=None, lock_timeout=0.1)
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    write_atomic(path, b"[]", expected=read_snapshot(path), backup_dir=None, lock_timeout=0.1)
    assert path.read_bytes() == b"[]" and sidecar.is_file()


def test_restore_puts_a_backup_back_and_backs_up_the_current_bytes(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "mcp.json"
    path.write_bytes(b"v1")
    first = write_atomic(path, b"v2", expected=read_snapshot(path), backup_dir=backups)
    assert first is not None
    undo = restore_backup(first, path, backup_dir=backups)
    assert path.read_bytes() == b"v1"
    assert undo is not None and undo.read_bytes() == b"v2"


def test_restore_refuses_when_the_file_changed(tmp_path: Path, backups: Path) -> None:
    path = tmp_path / "mcp.json"
    path.write_bytes(b"v1")
    first = write_atomic(path, b"v2", expected=read_snapshot(path), backup_dir=backups)
    snapshot = read_snapshot(path)
    path.write_bytes(b"v3")
    assert first is not None
    with pytest.raises(ConfigChangedError):
        restore_backup(first, path, backup_dir=backups, expected=snapshot)
    assert path.read_bytes() == b"v3"


BAD_FILES = [b'{"mcpServers": {"other": {"command": "x"}', b"garbage", b"[]", b'{"a": 1, "a": 2}\n{}']


@pytest.mark.parametrize("content", BAD_FILES)
def test_a_file_we_cannot_parse_is_never_written(tmp_path: Path, backups: Path, content: bytes) -> None:
    path = tmp_path / "mcp.json"
    path.write_bytes(content)
    with pytest.raises(ConfigParseError) as caught:
        snapshot = read_snapshot(path)
        doc = JsoncDocument.parse(snapshot.data or b"", source=path)
        doc.set(("mcpServers", "clerk"), {"command": "/c"})
        write_atomic(path, doc.to_bytes(), expected=snapshot, backup_dir=backups)
    assert str(path) in caught.value.message and caught.value.line >= 1
    assert path.read_bytes() == content
    assert _listing(tmp_path) == ["mcp.json"]


def test_end_to_end_edit_of_a_big_claude_json(tmp_path: Path, backups: Path) -> None:
    """A 2 MB ~/.claude.json: parse, edit, write and re-read stay well under a second or two."""
    projects = ",\n".join(
        f'    "/home/me/p{i}": {{\n      "allowedTools": [],\n      "history": [{{"display": "{"x" * 600}"}}],\n'
        f'      "mcpServers": {{}}\n    }}'
        for i in range(3000)
    )
    text = '{\n  "numStartups": 7,\n  "projects": {\n' + projects + '\n  },\n  "mcpServers": {}\n}\n'
    path = tmp_path / ".claude.json"
    path.write_text(text)
    assert path.stat().st_size > 2_000_000
    started = time.monotonic()
    snapshot = read_snapshot(path)
    doc = JsoncDocument.parse(snapshot.data or b"")
    doc.set(("mcpServers", "clerk"), {"type": "stdio", "command": "/c", "args": []})
    write_atomic(path, doc.to_bytes(), expected=snapshot, backup_dir=backups)
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, elapsed
    out = path.read_text()
    assert out.startswith(text[: text.rindex('"mcpServers": {}')])
    assert out.endswith(
        '"mcpServers": {\n    "clerk": {\n      "type": "stdio",\n      "command": "/c",\n'
        '      "args": []\n    }\n  }\n}\n'
    )
