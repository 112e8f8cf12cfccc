"""`--header-vault NAME=SLOT`: a bridge header whose value the installer stored in the vault.

Keeps secret header values (a team server's bearer token) out of config files and out of the bridge's command
line, where any local user could read them in the process list.
"""

from __future__ import annotations

from collections.abc import Sequence

from clerk_mcp_setup.errors import UsageError


def vault_headers(items: Sequence[str]) -> dict[str, str]:
    """Each `Name=SLOT` as `{Name: value stored under SLOT}`; a clear error for a missing slot."""
    headers: dict[str, str] = {}
    if not items:
        return headers
    from clerk_mcp_setup.vault import Vault

    vault = Vault.open()
    for item in items:
        name, sep, slot = item.partition("=")
        if not sep or not name.strip() or not slot.strip():
            raise UsageError(f"--header-vault {item!r} is not 'Name=SLOT'.")
        value = vault.get(slot.strip())
        if not value:
            raise UsageError(
                f"--header-vault {name.strip()}: nothing is stored under '{slot.strip()}' in {vault.describe()}.",
                "Install the entry again with clerk-mcp-setup --remote URL --header 'Name: value'.",
            )
        headers[name.strip()] = value
    return headers
