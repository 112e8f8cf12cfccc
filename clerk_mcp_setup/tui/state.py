"""What a person has chosen so far, as one value the screens share and turn into an `installer.Request`.

Kept free of Textual so the mapping from choices to the request the CLI would build is testable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clerk_mcp_setup.clients import CLIENTS, Client, Scope, get_client
from clerk_mcp_setup.errors import UsageError
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.caps import CapWarning, over_cap
from clerk_mcp_setup.scope import DISCOVER, PRESETS, resolve, served_names
from clerk_mcp_setup.secrets import KeyStorage
from clerk_mcp_setup.server.catalog import CATALOG, CATEGORIES

# The presets as the server's own grammar resolves them, so the wizard can never disagree with `--tools`.
DEFAULT_TOOLS = frozenset(t.name for t in resolve(None))
PRESET_TOOLS: dict[str, frozenset[str]] = {
    p: frozenset(t.name for t in resolve([p]))
    for p in PRESETS
    if p != DISCOVER  # @discover is a mode, below
}
STORAGE_LABELS: dict[str, str] = {
    "vault": "Vault: OS keyring or a private file (recommended)",
    "input": "VS Code input: VS Code asks once and keeps it",
    "env": "Env reference: the client reads $CLERK_SECRET_KEY",
    "plain": "Plain text in the config file (not recommended)",
}


@dataclass
class Choices:
    """Everything the wizard asks for; `request()` is the same value the CLI builds from flags."""

    project: Path
    selected: dict[str, Scope] = field(default_factory=dict)  # client id → scope, in the order of CLIENTS
    key: str = ""
    storage: KeyStorage = "vault"
    demo: bool = False
    hosted: bool = False  # Clerk's hosted MCP server instead of the bundled one (install/remote.py)
    check_key: bool = False
    tools: frozenset[str] = DEFAULT_TOOLS
    read_only: bool = False
    discover: bool = False  # serve the selection through the three @discover tools
    name: str = "clerk"
    stored_slot: str | None = None  # a stored key chosen instead of typing one (never picked silently)
    api_url: str = ""
    remote_url: str = ""
    remote_header: str = ""  # one "Name: value" header for the remote server (a secret one goes to the vault)
    replace: bool = False  # replace entries under our name that clerk-mcp-setup did not write (review screen)

    def clients(self) -> list[Client]:
        return [c for c in CLIENTS if c.id in self.selected]

    def toggle(self, client: Client, scope: Scope = "user") -> None:
        if client.id in self.selected:
            del self.selected[client.id]
        else:
            self.selected[client.id] = scope
        self.selected = {c.id: self.selected[c.id] for c in CLIENTS if c.id in self.selected}

    def storages(self) -> dict[str, str | None]:
        """Each key storage and why it is unavailable for the chosen clients (None: available)."""
        clients = self.clients()
        no_input = [c.name for c in clients if not c.secrets.client_input]
        no_env = [c.name for c in clients if not c.secrets.env_reference]
        return {
            "vault": None,
            "input": f"not for {', '.join(no_input)}" if no_input else None,
            "env": f"not for {', '.join(no_env)}" if no_env else None,
            "plain": None,
        }

    def tool_patterns(self) -> tuple[str, ...] | None:
        """The shortest `--tools` value for the selection: None for the default, a preset, categories, names;
        with `@discover` first when the selection is served through it (alone: every tool)."""
        if self.discover:
            if self.tools == PRESET_TOOLS["@all"]:
                return (DISCOVER,)
            return (DISCOVER, *(self._patterns() or ("@default",)))
        return self._patterns()

    def _patterns(self) -> tuple[str, ...] | None:
        if self.tools == DEFAULT_TOOLS:
            return None
        for preset, names in PRESET_TOOLS.items():
            if self.tools == names:
                return (preset,)
        patterns: list[str] = []
        for category in CATEGORIES:
            in_category = [t.name for t in CATALOG if t.category == category]
            chosen = [n for n in in_category if n in self.tools]
            patterns += [category] if chosen == in_category else chosen
        return tuple(patterns)

    def listed_count(self) -> int:
        """How many tools the client will list: the selection, or 2–3 with @discover."""
        return len(served_names(self.tool_patterns(), read_only=self.read_only))

    def cap_warnings(self) -> list[CapWarning]:
        """The chosen clients whose tool cap the selection exceeds (each with the @discover command)."""
        return over_cap(self.clients(), self.tool_patterns(), read_only=self.read_only)

    def effective_tools(self) -> list[str]:
        """The tools the server will offer: the selection, less anything that writes when read-only."""
        return [t.name for t in CATALOG if t.name in self.tools and (t.read_only or not self.read_only)]

    def request(self) -> installer.Request:
        """The installer request for these choices (the planner checks it, exactly as for the CLI)."""
        targets = tuple(
            installer.Target(get_client(cid), scope, self.project if scope != "user" else None)
            for cid, scope in self.selected.items()
        )
        if self.hosted:
            from clerk_mcp_setup.install.remote import CLERK_HOSTED_NAME, CLERK_HOSTED_URL

            name = self.name.strip()
            return installer.Request(
                targets=targets,
                name=CLERK_HOSTED_NAME if name in ("", "clerk") else name,
                key_storage="none",
                remote_url=CLERK_HOSTED_URL,
                remote_auth="oauth",
                replace=self.replace,
            )
        key = None if self.demo else (self.key.strip() or None)
        header: tuple[tuple[str, str], ...] = ()
        if self.remote_url.strip() and self.remote_header.strip():
            name, sep, value = self.remote_header.partition(":")
            if not sep or not name.strip():
                raise UsageError(f"The header {name.strip()!r} is not 'Name: value'.", "e.g. Authorization: Bearer …")
            header = ((name.strip(), value.strip()),)
        return installer.Request(
            targets=targets,
            name=self.name.strip() or "clerk",
            tools=self.tool_patterns(),
            read_only=self.read_only,
            secret_key=key,
            key_storage=self.storage,
            demo=self.demo,
            use_stored_key=self.stored_slot if not key and not self.demo else None,
            api_url=self.api_url.strip() or None,
            remote_url=self.remote_url.strip() or None,
            headers=header,
            replace=self.replace,
        )
