"""Step 2: the secret key (masked, its kind shown as it is typed), where it is kept, or the demo instead."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, RadioButton, RadioSet, Static

from clerk_mcp_setup.errors import ClerkMcpError, UsageError
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.secrets import key_kind, mask
from clerk_mcp_setup.tui.state import STORAGE_LABELS
from clerk_mcp_setup.tui.widgets.steps import StepBar

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp

PLAIN_WARNING = (
    "⚠ Plain text: the key sits in the config file, readable by anything that reads the file "
    "(backups, sync, a commit). Prefer the vault."
)


def describe_key(value: str) -> Text:
    """What the typed value is, without ever showing it: a kind, a masked form, or what is wrong."""
    value = value.strip()
    if not value:
        return Text("Paste the secret key from the Clerk Dashboard → Configure → API keys.", style="dim")
    if value.startswith("pk_"):
        return Text("✘ That is a publishable key (pk_…); the server needs the secret key (sk_…).", style="red")
    try:
        kind = key_kind(value)
    except UsageError:
        if "sk_test_".startswith(value) or "sk_live_".startswith(value):
            return Text("…", style="dim")
        partial = value.startswith(("sk_test_", "sk_live_"))
        if partial:
            kind = "development" if value.startswith("sk_test_") else "production"
            return Text(f"{kind} key, still incomplete ({len(value)} characters)", style="yellow")
        return Text("✘ Not a Clerk secret key: it starts with sk_test_ or sk_live_.", style="red")
    if kind == "production":
        return Text(f"✔ {mask(value)} · production instance: tools act on real users", style="bold yellow")
    return Text(f"✔ {mask(value)} · development instance", style="green")


HOSTED_NOTE = (
    "Installs https://mcp.clerk.com/mcp as 'clerk-docs', beside the bundled server; each client signs in on "
    "first use (or run clerk-mcp-setup login clerk-docs)."
)


class KeyScreen(Screen[None]):
    """Demo or key; the key goes through `key_kind` and `check_request`, the CLI's own checks."""

    TITLE = "Key"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        from clerk_mcp_setup.install.keys import stored_keys
        from clerk_mcp_setup.install.manifest import Manifest

        try:
            self.stored = stored_keys(Manifest.load().records)
        except ClerkMcpError:
            self.stored = []

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        choices = self.wizard.choices
        storages = choices.storages()
        yield StepBar("Key")
        with VerticalScroll(classes="form"):
            yield Static("How should the server reach Clerk?", classes="question")
            with RadioSet(id="mode"):
                yield RadioButton("Use my secret key", value=not choices.demo, id="use-key")
                yield RadioButton("Demo: sandbox data, no account or key needed", value=choices.demo, id="demo")
                yield RadioButton(
                    "Clerk's hosted server (docs, SDK snippets): sign in with your Clerk account, no key",
                    value=choices.hosted,
                    id="hosted",
                )
            yield Input(
                value=choices.key,
                password=True,
                placeholder="sk_test_… or sk_live_…  (paste works)",
                id="key",
            )
            yield Static(describe_key(choices.key), id="kind")
            if self.stored:
                yield Static("Or use a key already stored (nothing is reused unless you pick it):", classes="label")
                with RadioSet(id="stored"):
                    yield RadioButton("Type a new key above", value=choices.stored_slot is None, id="stored-new")
                    for n, key in enumerate(self.stored):
                        yield RadioButton(key.label(), value=choices.stored_slot == key.slot, id=f"stored-{n}")
            yield Static("Keep the key in:", classes="label")
            with RadioSet(id="storage"):
                for storage, label in STORAGE_LABELS.items():
                    why = storages[storage]
                    yield RadioButton(
                        label + (f" ({why})" if why else ""),
                        value=storage == choices.storage,
                        id=f"storage-{storage}",
                        disabled=why is not None,
                    )
            yield Static(id="storage-note", classes="warning")
            yield Checkbox("Check the key with one read-only API call when verifying", choices.check_key, id="check")
            yield Static("The entry:", classes="label")
            yield Input(value=choices.name, placeholder="entry name (clerk; e.g. clerk-dev, clerk-prod)", id="name")
            yield Input(
                value=choices.api_url, placeholder="Clerk API URL (default https://api.clerk.com)", id="api-url"
            )
            yield Input(
                value=choices.remote_url, placeholder="or a team's remote server URL (https://…/mcp)", id="remote-url"
            )
            yield Input(
                value=choices.remote_header,
                password=True,
                placeholder="remote header, e.g. Authorization: Bearer …  (secrets go to the vault)",
                id="remote-header",
            )
        yield Footer()

    def on_mount(self) -> None:
        self._sync()
        self.query_one("#mode", RadioSet).focus()

    def _sync(self) -> None:
        """Enable what applies to the chosen mode and storage; warn about plain text."""
        choices = self.wizard.choices
        keyless = choices.demo or choices.hosted
        needs_key = not keyless and choices.storage in ("vault", "plain")
        self.query_one("#key", Input).disabled = keyless
        self.query_one("#storage", RadioSet).disabled = keyless
        self.query_one("#check", Checkbox).disabled = keyless
        note = self.query_one("#storage-note", Static)
        if choices.hosted:
            note.update(Text(HOSTED_NOTE, style="dim"))
        elif choices.demo:
            note.update(Text("The demo server answers from built-in sample data; no key is stored.", style="dim"))
        elif choices.storage == "plain":
            note.update(Text(PLAIN_WARNING, style="bold yellow"))
        elif not needs_key:
            note.update(Text("The key is optional here: it is not written anywhere.", style="dim"))
        else:
            note.update("")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        choices = self.wizard.choices
        button_id = event.pressed.id or ""
        if event.radio_set.id == "stored":
            index = button_id.removeprefix("stored-")
            choices.stored_slot = None if index == "new" else self.stored[int(index)].slot
        elif event.radio_set.id == "mode":
            choices.demo = button_id == "demo"
            choices.hosted = button_id == "hosted"
            if not (choices.demo or choices.hosted):
                self.query_one("#key", Input).focus()
        else:
            choices.storage = button_id.removeprefix("storage-")  # type: ignore[assignment]
        self._sync()

    def on_input_changed(self, event: Input.Changed) -> None:
        choices = self.wizard.choices
        if event.input.id == "key":
            choices.key = event.value.strip()
            self.query_one("#kind", Static).update(describe_key(event.value))
        elif event.input.id == "name":
            choices.name = event.value.strip()
        elif event.input.id == "api-url":
            choices.api_url = event.value.strip()
        elif event.input.id == "remote-url":
            choices.remote_url = event.value.strip()
        elif event.input.id == "remote-header":
            choices.remote_header = event.value

    def on_input_submitted(self) -> None:
        self.action_next()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.wizard.choices.check_key = event.value

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_next(self) -> None:
        try:
            installer.check_request(self.wizard.choices.request())
        except ClerkMcpError as exc:
            self.wizard.show_error(exc)
            return
        from clerk_mcp_setup.tui.screens.tools import ToolsScreen

        self.app.push_screen(ToolsScreen())
