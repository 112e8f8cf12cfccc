"""The audit log: one JSON line per tool call, with secrets and private metadata masked.

Lines are appended with a single `write` on an `O_APPEND` descriptor under an exclusive `flock`, so calls
from many tasks or processes never interleave. A failed write is reported on stderr and in the tool
result, never swallowed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from clerk_mcp_setup.server.results import PRIVATE_KEYS

MASK = "[masked]"
_SECRET_NAME = re.compile(r"(secret|token|password|key|signing)", re.I)
_KEY_SHAPE = re.compile(r"\b(sk|pk|ak)_(test|live)_[A-Za-z0-9]+")


def default_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path("clerk-mcp-setup", appauthor=False) / "audit.jsonl"


MAX_TEXT = 1024
"""Longest string kept whole in an audit line; longer ones keep their start and their length."""
MAX_ITEMS = 50
"""Most list items or object keys kept per level: a huge argument must not make a huge log."""


def mask_args(value: Any, name: str = "") -> Any:
    """Arguments as the log may keep them: secret-like names and private metadata masked at any depth,
    huge values cut down to what tells a reader what was sent."""
    if name in PRIVATE_KEYS or name in ("privateMetadata",) or (name and _SECRET_NAME.search(name)):
        return MASK
    if isinstance(value, dict):
        kept = {k: mask_args(v, k) for k, v in list(value.items())[:MAX_ITEMS]}
        if len(value) > MAX_ITEMS:
            kept["…"] = f"[{len(value) - MAX_ITEMS} more keys]"
        return kept
    if isinstance(value, list):
        items = [mask_args(v) for v in value[:MAX_ITEMS]]
        return items + ([f"[{len(value) - MAX_ITEMS} more items]"] if len(value) > MAX_ITEMS else [])
    if isinstance(value, str):
        text = _KEY_SHAPE.sub(MASK, value[: MAX_TEXT + 64])
        return text if len(value) <= MAX_TEXT else f"{text[:MAX_TEXT]}…[{len(value)} characters]"
    return value


@dataclass
class AuditLog:
    """Where audit lines go: a file, stderr (`-`), or nowhere (`off`)."""

    target: str = "default"
    secrets: tuple[str, ...] = ()
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def path(self) -> Path | None:
        if self.target in ("off", "-"):
            return None
        return default_path() if self.target == "default" else Path(self.target).expanduser()

    def describe(self) -> str:
        return {"off": "off", "-": "stderr"}.get(self.target, str(self.path))

    def write(self, record: dict[str, Any]) -> str | None:
        """Append one line; returns an error message instead of raising."""
        if self.target == "off":
            return None
        line = json.dumps(
            {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), **record},
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        for secret in self.secrets:
            if secret:
                line = line.replace(secret, MASK)
        data = (line + "\n").encode()
        if self.target == "-":
            sys.stderr.write(line + "\n")
            return None
        path = self.path
        assert path is not None
        try:
            with self._lock:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    _flock(fd)
                    os.write(fd, data)
                finally:
                    os.close(fd)
        except OSError as exc:
            message = f"audit log {path} could not be written: {exc.strerror or exc}"
            print(f"clerk-mcp-server: {message}", file=sys.stderr)
            return message
        return None


def _flock(fd: int) -> None:
    with contextlib.suppress(ImportError, OSError):
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
