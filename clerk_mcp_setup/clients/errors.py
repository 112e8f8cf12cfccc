"""What asking a client for a location or an entry can refuse, as typed errors the faces can explain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clerk_mcp_setup.errors import UsageError

if TYPE_CHECKING:
    from clerk_mcp_setup.clients.base import Location


class AmbiguousLocationError(UsageError):
    """Several files could be the client's config (several Claude Desktop MSIX packages): ask which.

    `candidates` are complete locations, so the caller can use the one the person picks as is.
    """

    def __init__(self, message: str, candidates: Sequence[Location], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.candidates = tuple(candidates)


class RemoteNotSupportedError(UsageError):
    """The client does not read remote (URL) entries from its file: it needs a local stdio bridge entry."""


class SecretReferenceError(UsageError):
    """The client has no way (or not this way) to point at a secret: store it another way."""
