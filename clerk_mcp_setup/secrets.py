"""Rules about the secret key that every face shares: its form, its mask, and where it may be stored."""

from __future__ import annotations

import re
from typing import Literal

from clerk_mcp_setup.errors import UsageError

KeyStorage = Literal["vault", "input", "env", "plain", "none"]
STORAGES: tuple[KeyStorage, ...] = ("vault", "input", "env", "plain", "none")
KEY_RE = re.compile(r"^sk_(test|live)_[A-Za-z0-9]{8,}$")
ANY_KEY_RE = re.compile(r"sk_(?:test|live)_[A-Za-z0-9]{4,}")


def key_kind(key: str) -> str:
    """'development' for sk_test_, 'production' for sk_live_; a UsageError for anything else."""
    key = key.strip()
    match = KEY_RE.match(key)
    short = re.match(r"^sk_(test|live)_([A-Za-z0-9]*)$", key)
    if not match and short:
        raise UsageError(
            f"{mask(key)} is too short to be a Clerk secret key ({len(short.group(2))} characters after "
            f"sk_{short.group(1)}_; real keys have dozens).",
            "Copy the whole key from the Clerk Dashboard → Configure → API keys (it may have been cut off).",
        )
    if not match:
        shown = mask(key) if key.startswith("sk_") else "the value given"
        raise UsageError(
            f"{shown} is not a Clerk secret key.",
            "Secret keys start with sk_test_ (development) or sk_live_ (production); copy one from the Clerk "
            "Dashboard → Configure → API keys. Publishable keys (pk_…) do not work here.",
        )
    return "development" if match.group(1) == "test" else "production"


def mask(key: str) -> str:
    """`sk_live_abcd…wxyz` → `sk_live_****wxyz`: enough to tell keys apart, never enough to use one."""
    prefix = key[:8] if key.startswith(("sk_test_", "sk_live_")) else ""
    tail = key[-4:] if len(key) - len(prefix) > 8 else ""
    return f"{prefix}****{tail}"


def mask_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Every known secret, and anything shaped like a Clerk key, masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, mask(secret))
    return ANY_KEY_RE.sub(lambda m: mask(m.group(0)), text)
