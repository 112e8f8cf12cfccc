"""The ways editing or writing another program's file can fail.

Each error names the file (and, for content problems, the line and column) so the person can open it
and fix it; every one of them means nothing was written.
"""

from __future__ import annotations

from clerk_mcp_setup.errors import ConfigFileError


class ConfigParseError(ConfigFileError):
    """The file's text is not valid in its format (JSON, JSONC, TOML)."""

    def __init__(self, source: str, line: int, column: int, problem: str, hint: str) -> None:
        super().__init__(f"{source}, line {line}, column {column}: {problem}", hint)
        self.source = source
        self.line = line
        self.column = column
        self.problem = problem


class ConfigShapeError(ConfigParseError):
    """The file parses, but not into a shape we can edit (top level not an object, a duplicate key, …)."""


class ConfigChangedError(ConfigFileError):
    """The file changed between our reading it and our writing it; the caller must re-plan."""


class ConfigLockedError(ConfigFileError):
    """Another program held the file's lock for longer than we were willing to wait."""


class ConfigWriteError(ConfigFileError):
    """The operating system refused a step of the safe write, or the written bytes did not read back."""


class ConfigReadOnlyError(ConfigFileError):
    """The file is read-only or immutable: its owner meant it not to change; nothing was written."""
