"""Lossless editing of other programs' config files, and writing them back safely.

Nothing here knows about particular clients or prints anything: the installer parses a file into a
`JsoncDocument` or `TomlDocument`, sets or removes its one entry, and hands the bytes to
`write_atomic` together with the `Snapshot` it planned from.
"""

from __future__ import annotations

from .errors import (
    ConfigChangedError,
    ConfigLockedError,
    ConfigParseError,
    ConfigReadOnlyError,
    ConfigShapeError,
    ConfigWriteError,
)
from .jsonc import Dialect, JsoncDocument, KeyPath
from .safe_write import (
    Snapshot,
    backup_file,
    check_writable,
    delete_file,
    list_backups,
    read_snapshot,
    restore_backup,
    write_atomic,
)
from .toml import TomlDocument
from .yaml import YamlDocument

__all__ = [
    "ConfigChangedError",
    "ConfigLockedError",
    "ConfigParseError",
    "ConfigReadOnlyError",
    "ConfigShapeError",
    "ConfigWriteError",
    "Dialect",
    "JsoncDocument",
    "KeyPath",
    "Snapshot",
    "TomlDocument",
    "YamlDocument",
    "backup_file",
    "check_writable",
    "delete_file",
    "list_backups",
    "read_snapshot",
    "restore_backup",
    "write_atomic",
]
