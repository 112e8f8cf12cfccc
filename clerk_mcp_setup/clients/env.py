"""The machine a path is resolved for: platform, environment variables, home directory.

Resolution is a pure function of this value so every OS's paths are computed (and tested) on any OS:
Windows paths are `PureWindowsPath`, macOS and Linux ones `PurePosixPath`. The one directory listing
any client needs (Claude Desktop's MSIX packages) is a field, so tests hand in a fake.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

Platform = Literal["linux", "darwin", "win32"]
PLATFORMS: tuple[Platform, ...] = ("linux", "darwin", "win32")

Glob = Callable[[PurePath, str], Sequence[PurePath]]
"""`glob(directory, pattern)` → the existing paths under `directory` that match `pattern`."""
Read = Callable[[PurePath], bytes | None]
"""`read(path)` → the file's bytes, or None when it cannot be read (VS Code's profile list)."""


def real_read(path: PurePath) -> bytes | None:
    """The file's bytes, or None if it is missing or unreadable."""
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def real_glob(directory: PurePath, pattern: str) -> list[PurePath]:
    """The real listing, sorted so several matches come out in a stable order."""
    base = Path(directory)
    if not base.is_dir():
        return []
    return sorted(base.glob(pattern))


def running_platform(name: str = sys.platform) -> Platform:
    """Map `sys.platform` onto the three families we resolve for (other Unixes behave like Linux)."""
    if name.startswith("win") or name == "cygwin":
        return "win32"
    return "darwin" if name == "darwin" else "linux"


@dataclass(frozen=True, init=False)
class Env:
    """Everything path resolution may look at. Build one with `Env.current()` or by hand in tests.

    `home` may be given as a string or any pure path; it is stored in the platform's flavour.
    """

    platform: Platform
    environ: Mapping[str, str]
    home: PurePath
    glob: Glob = field(compare=False, repr=False)
    read: Read = field(compare=False, repr=False)

    def __init__(
        self,
        platform: Platform,
        environ: Mapping[str, str],
        home: PurePath | str,
        glob: Glob = real_glob,
        read: Read = real_read,
    ) -> None:
        if platform not in PLATFORMS:
            raise ValueError(f"platform must be one of {', '.join(PLATFORMS)}, not {platform!r}")
        object.__setattr__(self, "platform", platform)
        object.__setattr__(self, "environ", environ)
        object.__setattr__(self, "home", self.path(home))
        object.__setattr__(self, "glob", glob)
        object.__setattr__(self, "read", read)

    @classmethod
    def current(cls) -> Env:
        """The machine we are running on."""
        return cls(running_platform(), dict(os.environ), Path.home())

    def path(self, *parts: str | PurePath) -> PurePath:
        """Join `parts` as a path of this platform's flavour."""
        flavour = PureWindowsPath if self.platform == "win32" else PurePosixPath
        return flavour(*(str(part) for part in parts))

    def var(self, name: str) -> str | None:
        """An environment variable's value; empty counts as unset, and Windows names ignore case."""
        value = self.environ.get(name)
        if value is None and self.platform == "win32":
            upper = name.upper()
            value = next((v for k, v in self.environ.items() if k.upper() == upper), None)
        return value or None

    def xdg_config_home(self) -> PurePath:
        """`$XDG_CONFIG_HOME` if set to an absolute path (the XDG spec ignores relative ones), else `~/.config`."""
        value = self.var("XDG_CONFIG_HOME")
        if value and self.path(value).is_absolute():
            return self.path(value)
        return self.home / ".config"

    def appdata(self) -> PurePath:
        """Windows `%APPDATA%` (roaming), defaulting to the profile's `AppData\\Roaming`."""
        value = self.var("APPDATA")
        return self.path(value) if value else self.home / "AppData" / "Roaming"

    def local_appdata(self) -> PurePath:
        """Windows `%LOCALAPPDATA%`, defaulting to the profile's `AppData\\Local`."""
        value = self.var("LOCALAPPDATA")
        return self.path(value) if value else self.home / "AppData" / "Local"

    def program_files(self) -> PurePath:
        """Windows `%ProgramFiles%`, where machine-wide installs go."""
        value = self.var("ProgramFiles")
        return self.path(value) if value else self.path("C:\\Program Files")
