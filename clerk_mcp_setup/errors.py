"""Typed errors: each carries what went wrong, how to fix it, and the exit code a face should use.

Core code raises these; only the faces (CLI, wizard, server entry point) print them.
"""

from __future__ import annotations

# Exit codes shared by both console scripts (documented in the README).
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_VERIFY = 4


class ClerkMcpError(Exception):
    """Base error with a human message, an optional hint, and an exit code."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """The message and hint as the faces print them."""
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class UsageError(ClerkMcpError):
    """A command-line value that cannot be used (unknown tool, bad flag value)."""

    exit_code = EXIT_USAGE


class ScopeError(UsageError):
    """A `--tools` pattern that names no category or tool."""


class ConfigFileError(ClerkMcpError):
    """Another program's config file that we cannot read, edit or write safely; nothing was written."""

    exit_code = EXIT_CONFIG
