"""Write another program's config file so that it is never half-written, never silently clobbered.

The sequence (`write_atomic`): lock `<file>.lock` → re-read and compare with the snapshot the
edit was planned from (Claude Code rewrites `~/.claude.json` all the time; if it did, the caller
re-plans) → copy the old bytes to a timestamped backup → write a temp file beside the target,
fsync → set permission bits → `os.replace` → fsync the directory → read back and compare. A
symlinked config (dotfile managers) is written through to its target, and the link stays a link.
Any failure removes the temp file and leaves the original untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from clerk_mcp_setup.errors import ConfigFileError

from .errors import ConfigChangedError, ConfigReadOnlyError, ConfigWriteError
from .lock import locked

BACKUP_SUFFIX = ".bak"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A file's content as read: bytes (None when missing), their sha256, and its permission bits."""

    path: Path
    data: bytes | None
    sha256: str | None
    mode: int | None

    @property
    def exists(self) -> bool:
        return self.data is not None


def read_snapshot(path: str | os.PathLike[str]) -> Snapshot:
    """Read `path` (through symlinks) for planning an edit; a missing file is a snapshot too.

    Only regular files are read: a FIFO would block the read forever and `/dev/urandom` never ends, so
    the kind is checked with stat() before opening, and the open itself is non-blocking."""
    path = Path(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file where a folder should be: no such config file
        return Snapshot(path, None, None, None)
    except OSError as exc:
        raise ConfigFileError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigFileError(f"{path} is a directory, not a config file", "move it aside") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(path, info.st_mode)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):  # swapped for something else between stat and open
                raise _not_regular(path, opened.st_mode)
            data = handle.read()
            mode = stat.S_IMODE(opened.st_mode)
    except FileNotFoundError:
        return Snapshot(path, None, None, None)
    except OSError as exc:
        raise ConfigFileError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from None
    return Snapshot(path, data, hashlib.sha256(data).hexdigest(), mode)


def _not_regular(path: Path, mode: int) -> ConfigFileError:
    kinds = {
        stat.S_IFIFO: "a named pipe (FIFO)",
        stat.S_IFCHR: "a character device",
        stat.S_IFBLK: "a block device",
        stat.S_IFSOCK: "a socket",
    }
    kind = kinds.get(stat.S_IFMT(mode), "not a regular file")
    via = f" (a symlink to {os.path.realpath(path)})" if os.path.islink(path) else ""
    return ConfigFileError(
        f"{path} is {kind}{via}, not a config file; it was not read and nothing was written",
        "remove it or replace it with a regular file, then run the command again",
    )


def check_writable(path: Path, snapshot: Snapshot) -> None:
    """Refuse a file its owner marked read-only or immutable: someone meant it not to change.

    Raises ConfigReadOnlyError; the caller may skip this check when the person insists (`--force`)."""
    if snapshot.mode is None:
        return
    if not snapshot.mode & stat.S_IWUSR:
        raise ConfigReadOnlyError(
            f"{path} is read-only (mode {snapshot.mode:04o}); nothing was written",
            f"make it writable (chmod u+w {path}) and run the command again, or pass --force to write it anyway",
        )
    if _immutable(path):
        raise ConfigReadOnlyError(
            f"{path} is marked immutable; nothing was written",
            f"clear the flag (sudo chattr -i {path}, or chflags nouchg on macOS) and run the command again",
        )


def _immutable(path: Path) -> bool:
    """The immutable/append-only flag: st_flags on BSD/macOS, FS_IOC_GETFLAGS on Linux."""
    flags = getattr(os.stat(path), "st_flags", None)
    if flags is not None:
        return bool(flags & (getattr(stat, "UF_IMMUTABLE", 0) | getattr(stat, "SF_IMMUTABLE", 0)))
    if not sys.platform.startswith("linux"):
        return False
    try:
        import fcntl
        import struct

        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            buf = fcntl.ioctl(fd, 0x80086601, struct.pack("l", 0))  # FS_IOC_GETFLAGS (linux/fs.h)
        finally:
            os.close(fd)
    except OSError:
        return False  # the filesystem keeps no such flags
    return bool(struct.unpack("l", buf)[0] & (0x10 | 0x20))  # FS_IMMUTABLE_FL | FS_APPEND_FL


def write_atomic(
    path: str | os.PathLike[str],
    new_bytes: bytes,
    *,
    expected: Snapshot,
    backup_dir: str | os.PathLike[str] | None,
    mode: int | None = None,
    lock_timeout: float = 10.0,
    force: bool = False,
) -> Path | None:
    """Replace `path` with `new_bytes` if it still matches `expected`; return the backup's path.

    `mode` forces the permission bits (0o600 for a file holding a secret); otherwise the file keeps
    its own, and a new file gets the umask default. No backup is made when the file did not exist
    or `backup_dir` is None. A read-only or immutable file is refused unless `force`. Raises
    ConfigChangedError, ConfigLockedError, ConfigReadOnlyError or ConfigWriteError.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    if Path(os.path.realpath(expected.path)) != target:
        raise ValueError(f"the snapshot is of {expected.path}, not of {path}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in (target.parent, *target.parent.parents) if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            raise ConfigWriteError(
                f"{blocker} is a file, not a folder, so {target} cannot be created; nothing was written",
                f"move {blocker} aside (it is not a folder the client made) and run the command again",
            ) from None
        raise _write_error(target, "cannot create its directory", exc) from None
    with locked(path, timeout=lock_timeout):
        current = read_snapshot(target)
        if current.sha256 != expected.sha256:
            raise ConfigChangedError(
                f"{path} changed since it was read (another program wrote it meanwhile)",
                "run the command again; nothing was written",
            )
        if not force:
            check_writable(target, current)
        backup = None
        if current.data is not None and backup_dir is not None:
            backup = _make_backup(target, current.data, Path(backup_dir))
        final_mode = mode if mode is not None else current.mode
        _replace(target, new_bytes, final_mode, _owner(target))
        if read_snapshot(target).data != new_bytes:
            raise ConfigWriteError(
                f"{target} did not read back as written (another program may have written it at once)",
                f"check the file; the previous version is in {backup}" if backup else "check the file",
            )
    return backup


def backup_file(path: str | os.PathLike[str], backup_dir: str | os.PathLike[str]) -> Path | None:
    """Back up `path` as it is now (for a change another program will make, e.g. `claude mcp add-json`)."""
    target = Path(os.path.realpath(path))
    current = read_snapshot(target)
    return _make_backup(target, current.data, Path(backup_dir)) if current.data is not None else None


def delete_file(
    path: str | os.PathLike[str],
    *,
    expected: Snapshot,
    backup_dir: str | os.PathLike[str],
    lock_timeout: float = 10.0,
) -> Path | None:
    """Remove `path` (a file we created and that now holds nothing else) under the same lock and
    unchanged-since-read check as `write_atomic`, after backing it up; return the backup's path."""
    path = Path(path)
    target = Path(os.path.realpath(path))
    with locked(path, timeout=lock_timeout):
        current = read_snapshot(target)
        if current.sha256 != expected.sha256:
            raise ConfigChangedError(
                f"{path} changed since it was read (another program wrote it meanwhile)",
                "run the command again; nothing was written",
            )
        if current.data is None:
            return None
        backup = _make_backup(target, current.data, Path(backup_dir))
        try:
            os.unlink(target)
        except OSError as exc:
            raise _write_error(target, "cannot remove it", exc) from None
        _fsync_directory(target.parent)
    return backup


def restore_backup(
    backup: str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    backup_dir: str | os.PathLike[str] | None,
    expected: Snapshot | None = None,
    lock_timeout: float = 10.0,
) -> Path | None:
    """Put `backup`'s bytes back at `path` through `write_atomic`; the bytes replaced are backed up too.

    With no `expected` snapshot the file is read now, so only the lock guards against a writer.
    """
    try:
        data = Path(backup).read_bytes()
    except OSError as exc:
        raise ConfigFileError(f"cannot read the backup {backup}: {exc.strerror}", "pick another backup") from None
    snapshot = expected if expected is not None else read_snapshot(path)
    return write_atomic(path, data, expected=snapshot, backup_dir=backup_dir, lock_timeout=lock_timeout)


def list_backups(path: str | os.PathLike[str], backup_dir: str | os.PathLike[str]) -> list[Path]:
    """The backups of `path` (through symlinks) in `backup_dir`, newest first."""
    target = Path(os.path.realpath(path))
    prefix = f"{target.name}.{_path_tag(target)}."
    folder = Path(backup_dir)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(BACKUP_SUFFIX)]
    return sorted(found, key=lambda p: p.name, reverse=True)


# -- steps ----------------------------------------------------------------------------------------


def _path_tag(target: Path) -> str:
    """A short tag of the absolute path, so two `settings.json` (Zed, Gemini) never share backups."""
    return hashlib.sha256(str(target).encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _make_backup(target: Path, data: bytes, backup_dir: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    try:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        base = f"{target.name}.{_path_tag(target)}.{stamp}"
        backup = backup_dir / f"{base}{BACKUP_SUFFIX}"
        counter = 1
        while backup.exists():
            backup = backup_dir / f"{base}-{counter}{BACKUP_SUFFIX}"
            counter += 1
        _replace(backup, data, 0o600, None)
    except OSError as exc:
        raise _write_error(target, f"cannot back it up into {backup_dir}", exc) from None
    return backup


def _owner(target: Path) -> tuple[int, int] | None:
    """The file's owner when we run as root and must not hand a user's file to root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    try:
        info = os.stat(target)
    except OSError:
        return None
    return info.st_uid, info.st_gid


def _replace(target: Path, data: bytes, mode: int | None, owner: tuple[int, int] | None) -> None:
    """Temp file in the same directory, fsync, permissions, os.replace, fsync the directory."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            _set_mode(fd, temp, mode if mode is not None else 0o666 & ~_umask())
            if owner is not None:
                os.fchown(fd, *owner)
        finally:
            os.close(fd)
        _replace_with_retries(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise _write_error(target, "cannot write it", exc) from None
        raise
    _fsync_directory(target.parent)


def _set_mode(fd: int, temp: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - Windows: only the read-only bit exists
        os.chmod(temp, mode)


def _replace_with_retries(temp: Path, target: Path) -> None:
    """os.replace; on Windows retry briefly while another program has the file open."""
    for attempt in range(10):
        try:
            os.replace(temp, target)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 9:
                raise
            time.sleep(0.05 * (attempt + 1))  # pragma: no cover - Windows only


def _fsync_directory(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - directories cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    """The process umask, read without changing it where the OS allows."""
    with contextlib.suppress(OSError):
        status = Path("/proc/self/status").read_text()
        match = re.search(r"^Umask:\s*([0-7]+)", status, re.M)
        if match:
            return int(match.group(1), 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def _write_error(target: Path, what: str, exc: OSError) -> ConfigWriteError:
    reason = exc.strerror or str(exc)
    return ConfigWriteError(
        f"{target}: {what}: {reason}; the file was left as it was",
        "check the permissions of the file and its directory, and the free disk space",
    )
