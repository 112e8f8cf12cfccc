"""What leaves the server: private metadata removed at every depth, the secret key never echoed,
and list endpoints of either API shape answered with one envelope.
"""

from __future__ import annotations

import re
from typing import Any

PRIVATE_KEYS = frozenset({"private_metadata", "privateMetadata"})
REDACTED = "[redacted secret key]"
WITHHELD = "[body withheld: it mentions private metadata]"
_KEY_SHAPED = re.compile(
    r"(?i)(?P<head>x-clerk-secret-key[\"']?\s*[:=,]\s*b?[\"']?)[^\s\"',;]+"
    r"|(?P<scheme>bearer\s+)[^\s\"',;]{8,}"
    r"|\b(?:sk|ak)_(?:live|test)_[A-Za-z0-9_]+"
)
"""Key-shaped text wherever it sits: Clerk secret keys, an X-Clerk-Secret-Key header value, bearer tokens."""
_MENTIONS_PRIVATE = re.compile(r"private_?metadata", re.I)


def redact_key_shapes(text: str) -> str:
    """Replace anything shaped like a secret (not only the server's own key: in public mode each request
    brings its own, and a model may paste one into an argument) by a marker."""
    return _KEY_SHAPED.sub(lambda m: (m.group("head") or m.group("scheme") or "") + REDACTED, text)


def scrub_text(text: str) -> str:
    """A body we could not parse: withheld whole if it mentions private metadata, which cannot be cut out
    of text we do not understand."""
    return WITHHELD if _MENTIONS_PRIVATE.search(text) else text


def strip_private(value: Any) -> Any:
    """Drop private metadata wherever it sits: the old server only stripped the top level, so a
    membership's nested `organization.private_metadata` still reached the model."""
    if isinstance(value, dict):
        return {k: strip_private(v) for k, v in value.items() if k not in PRIVATE_KEYS}
    if isinstance(value, list):
        return [strip_private(v) for v in value]
    return value


def redact(value: Any, secrets: tuple[str, ...]) -> Any:
    """Replace any secret that appears inside a string (an API echo, an error message) by a marker."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret and secret in value:
                value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {redact(k, secrets): redact(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, secrets) for v in value]
    return value


def envelope(items: list[Any], *, offset: int, total_count: int | None, has_more: bool) -> dict[str, Any]:
    """One page in the shape every list tool returns, whatever the API's list shape was."""
    return {
        "items": items,
        "total_count": total_count,
        "has_more": has_more,
        "next_offset": offset + len(items) if has_more else None,
    }
