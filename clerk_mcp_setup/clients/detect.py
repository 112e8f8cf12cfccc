"""Is a client installed here? Look for its config file or folder, its app, and its binary on PATH.

Only existence checks: `exists` and `which` are injectable so tests are pure, and every reason is a
sentence the wizard can show as is (what was found where, or everywhere we looked).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from clerk_mcp_setup.clients.base import Client
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.errors import AmbiguousLocationError

Exists = Callable[[PurePath], bool]
Which = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Detection:
    """Whether a client looks installed, and why we think so."""

    client_id: str
    present: bool
    reasons: tuple[str, ...]


def _real_exists(path: PurePath) -> bool:
    return Path(path).exists()


def detect(client: Client, env: Env, *, exists: Exists | None = None, which: Which | None = None) -> Detection:
    """Check `client`'s user config file and folder, its app or install folder, and its binaries on PATH."""
    exists = exists or _real_exists
    which = which or (lambda name: shutil.which(name, path=env.var("PATH")))
    found: list[str] = []
    looked: list[str] = []

    try:
        config_files = [client.location("user", env).path]
    except AmbiguousLocationError as error:
        config_files = [candidate.path for candidate in error.candidates]
        found.append(f"{len(config_files)} Microsoft Store packages found: " + "; ".join(map(str, config_files)))
    config_dir = client.config_dir(env) if client.config_dir else config_files[0].parent
    files_found = [path for path in config_files if exists(path)]
    found.extend(f"config file found at {path}" for path in files_found)
    looked.extend(map(str, config_files))
    if not files_found:
        if exists(config_dir):
            found.append(f"config folder found at {config_dir}")
        looked.append(str(config_dir))

    for path in client.installs(env):
        if exists(path):
            found.append(f"app installed at {path}")
        looked.append(str(path))

    for binary in client.binaries:
        at = which(binary)
        if at:
            found.append(f"`{binary}` on PATH at {at}")
        looked.append(f"`{binary}` on PATH")

    if found:
        return Detection(client.id, True, tuple(found))
    return Detection(client.id, False, ("not found: looked at " + ", ".join(looked),))
