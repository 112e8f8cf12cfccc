"""Migrate: old Clerk servers' entries found on this machine, what each becomes, and the diff per file.

Offered on the first screen when anything is found (g). Nothing is written before Write; duplicates are
removed only when the checkbox says so. The logic is `install/migrate.py`, the same as `clerk-mcp-setup migrate`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Static

from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.install import installer, migrate
from clerk_mcp_setup.tui.text import SCOPE_LABEL, tilde
from clerk_mcp_setup.tui.widgets.plan_view import PlanView
from clerk_mcp_setup.tui.widgets.steps import title_bar

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp

_ACTION = {
    "replace": "→ this server, same tools",
    "remove-duplicate": "→ removed (duplicate)",
    "keep-duplicate": "→ kept (a duplicate; tick the box to remove it)",
    "skip": "→ left as it is",
}


def items_text(items: list[migrate.Item]) -> Text:
    text = Text()
    for item in items:
        f = item.found
        text.append(f"{f.target.client.name} ({SCOPE_LABEL.get(f.target.scope, f.target.scope)}) ", style="bold")
        text.append(f"'{f.name}' in {tilde(f.path)}: {item.old.describe()} {_ACTION[item.action]}\n")
        if item.old.tools is not None and item.action == "replace":
            text.append(f"    tools kept: {' '.join(item.old.tools)}\n", style="dim")
        if item.reason:
            text.append(f"    {item.reason}\n", style="dim")
        if item.result:
            text.append(f"    {item.result}\n", style="green")
    return text


class MigrateScreen(Screen[None]):
    """The old entries and the plan that replaces them; w writes, d toggles removing duplicates, esc goes back."""

    TITLE = "Migrate"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", "Write"),
        Binding("d", "duplicates", "Remove duplicates"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.remove_duplicates = False
        self.migration: migrate.Migration | None = None

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(title_bar("Migrate older Clerk servers"), classes="step-bar")
        yield Static(
            Text(
                "Nothing has been written yet. Each old entry becomes this server under its own name, with the "
                "same tools and its key moved to the vault.",
                style="bold",
            ),
            classes="question",
        )
        with VerticalScroll():
            yield Static(id="items")
            yield Checkbox("Also remove duplicate Clerk entries in the same file", id="duplicates")
            yield Static(id="plan-holder")
        with Horizontal(classes="buttons"):
            yield Button("Write changes (w)", id="write", variant="warning")
            yield Button("Back (esc)", id="back")
        yield Footer()

    def on_mount(self) -> None:
        self.replan()

    def replan(self) -> None:
        wizard = self.wizard
        try:
            self.migration = migrate.plan(
                wizard.env,
                wizard.choices.project,
                secret_key=wizard.choices.key.strip() or None,
                remove_duplicates=self.remove_duplicates,
                launcher=wizard.launcher,
            )
        except ClerkMcpError as exc:
            wizard.show_error(exc)
            return
        self.query_one("#items", Static).update(items_text(self.migration.items))
        holder = self.query_one("#plan-holder", Static)
        for old in self.query(PlanView):
            old.remove()
        self.mount(PlanView(self.migration.plan, id="plan"), after=holder)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.remove_duplicates = event.value
        self.replan()

    def action_duplicates(self) -> None:
        box = self.query_one("#duplicates", Checkbox)
        box.value = not box.value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.action_write()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_write(self) -> None:
        if self.migration is not None and self.migration.plan.changed:
            self.write()

    @work(exclusive=True, exit_on_error=False)
    async def write(self) -> None:
        assert self.migration is not None
        migration = self.migration
        try:
            applied = await asyncio.to_thread(installer.apply, migration.plan)
        except Exception as exc:
            self.wizard.show_error(exc)
            return
        written = {str(a.change.path) for a in applied if a.written}
        for item in migration.items:
            if item.action in ("replace", "remove-duplicate") and str(item.found.path) in written:
                item.result = "replaced (uninstall puts the old entry back)" if item.action == "replace" else "removed"
                self.wizard.note(f"migrated  {item.found.target.client.id} '{item.found.name}' in {item.found.path}")
        self.query_one("#items", Static).update(items_text(migration.items))
        self.notify("Migrated: the old entries now start this server.")
