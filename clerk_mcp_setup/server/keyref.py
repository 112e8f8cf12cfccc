"""Tell a real key from a reference the client failed to fill in.

Claude Code passes an unset `${CLERK_SECRET_KEY}` on as its literal text (measured with Claude Code 2.1.197),
Gemini substitutes "", opencode-style clients use `{env:X}`. Sent to Clerk such a value is a confusing 401 at
best; the server treats it as "no key set" and says which variable to set.
"""

from __future__ import annotations

import re

_REFERENCE = re.compile(
    r"\$\{(?:env:|input:)?(?P<a>[A-Za-z_][A-Za-z0-9_-]*)[^}]*\}"  # ${VAR}, ${env:VAR}, ${input:id}, ${VAR:-x}
    r"|\{env:(?P<b>[A-Za-z_][A-Za-z0-9_]*)\}"  # {env:VAR}
    r"|^\$(?P<c>[A-Za-z_][A-Za-z0-9_]*)$"  # $VAR
    r"|\$\{\{\s*secrets\.(?P<d>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}"  # ${{ secrets.X }}
)


def unfilled(value: str | None) -> str | None:
    """The variable an unexpanded reference names ("" for an empty value); None for a usable value."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return ""
    match = _REFERENCE.search(text)
    if not match:
        return None
    return next(g for g in match.groupdict().values() if g)


def unfilled_message(source: str, value: str, name: str) -> str:
    """Why the key from `source` is not used, and how to fix it (names the variable; the value is no secret)."""
    if not name:
        return f"No secret key is set ({source} is empty)."
    return (
        f"No secret key is set: {source} holds the unexpanded reference {value.strip()!r} — the client did not "
        f"fill it because {name} is not set where the client starts. Set {name} in that environment (then "
        "restart the client), or store the key with `clerk-mcp-setup --client … --secret-key-stdin` (vault)."
    )
