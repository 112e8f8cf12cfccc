"""An exclusive lock on a config file, shared with the programs that own it: `<file>.lock`.

Claude Code guards `~/.claude.json` with the npm package proper-lockfile, whose lock is a
*directory* `~/.claude.json.lock` made with mkdir (atomic on every OS) and seen as stale once its
mtime is older than 10 s. We take the same lock the same way, so our write and Claude's own saves
exclude each other. A regular fcntl-locked sidecar file at that name would be worse than none:
proper-lockfile cannot remove it, so Claude would fail to lock its own file for good.

If a *regular file* already sits at `<file>.lock`, some other tool uses the flock convention; then
we flock that file instead (POSIX), or, on Windows, lock its first byte with msvcrt.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import ConfigLockedError

STALE_AFTER = 10.0  # seconds; proper-lockfile's default
POLL = 0.05


def lock_path(path: Path) -> Path:
    """Where the lock for `path` lives."""
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = 10.0, stale_after: float = STALE_AFTER) -> Iterator[Path]:
    """Hold the lock for `path` (whose parent directory must exist) for the duration of the block."""
    sidecar = lock_path(path)
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.mkdir(sidecar)
        except FileExistsError:
            if _is_regular_file(sidecar):
                with _file_lock(sidecar, deadline, path):
                    yield sidecar
                return
            _remove_if_stale(sidecar, stale_after)
        else:
            try:
                yield sidecar
            finally:
                with contextlib.suppress(OSError):
                    os.rmdir(sidecar)
            return
        if time.monotonic() >= deadline:
            raise _busy(path, sidecar)
        time.sleep(POLL)


def _is_regular_file(sidecar: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(sidecar).st_mode)
    except FileNotFoundError:
        return False


def _remove_if_stale(sidecar: Path, stale_after: float) -> None:
    """Take over a lock directory left behind by a process that died holding it."""
    try:
        age = time.time() - os.stat(sidecar).st_mtime
        if age > stale_after:
            os.rmdir(sidecar)
    except OSError:
        pass  # gone already, or not empty/not ours to remove: keep waiting


@contextlib.contextmanager
def _file_lock(sidecar: Path, deadline: float, path: Path) -> Iterator[None]:
    with open(sidecar, "r+b") as handle:
        while not _try_lock(handle.fileno()):
            if time.monotonic() >= deadline:
                raise _busy(path, sidecar)
            time.sleep(POLL)
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _busy(path: Path, sidecar: Path) -> ConfigLockedError:
    return ConfigLockedError(
        f"{path} is locked by another program ({sidecar} exists)",
        "wait for the other program (e.g. Claude Code saving its settings) and run the command again; "
        f"if none is running, delete {sidecar}",
    )
