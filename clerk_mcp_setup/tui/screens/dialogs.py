"""Modal dialogs: a readable error with its hint, the key help, and a plan to confirm before writing."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from clerk_mcp_setup.install import installer
from clerk_mcp_setup.tui.widgets.plan_view import PlanView


class ErrorScreen(ModalScreen[None]):
    """What went wrong and how to fix it, as the CLI would print it; never a traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, message: str, hint: str | None = None, title: str = "Something needs attention") -> None:
        super().__init__()
        self.message, self.hint, self.heading = message, hint, title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Static(Text(self.heading, style="bold red"), classes="dialog-title")
            yield Static(self.message, markup=False)
            if self.hint:
                yield Static(Text.assemble(("hint: ", "bold"), self.hint), classes="hint")
            yield Button("OK", id="ok", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()


HELP_INTRO = (
    "The install flow: Clients → Key → Tools → Review → Apply. Nothing is written before you press Write on "
    "the Review screen; quitting earlier (ctrl+q) leaves every file as it was.\n"
    "Manage (m on the first screen, or `clerk-mcp-setup manage`) refreshes, verifies, uninstalls and restores "
    "backups of what was installed. ctrl+p opens the command palette."
)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from, and how the flow works."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,question_mark,q", "dismiss", "Close")]

    def __init__(self, keys: list[tuple[str, str]], screen_title: str) -> None:
        super().__init__()
        self.keys, self.screen_title = keys, screen_title

    def compose(self) -> ComposeResult:
        table = Text()
        for key, description in self.keys:
            table.append(f"  {key:<14}", style="bold #f0a030")
            table.append(description + "\n")
        with Vertical(classes="dialog help-dialog"):
            yield Static(Text(f"Help: {self.screen_title}", style="bold"), classes="dialog-title")
            yield Static(HELP_INTRO, markup=False, classes="help-intro")
            yield Static(table)
            yield Button("Close", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss()


class PlanScreen(ModalScreen[bool]):
    """A plan from the manager (refresh, uninstall) with its diffs; True only when the person confirms."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("w", "confirm", "Write"),
    ]

    def __init__(self, plan: installer.Plan, title: str, purge: Callable[[bool], installer.Plan] | None = None) -> None:
        super().__init__()
        self.plan, self.heading, self.purge = plan, title, purge

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog plan-dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            if self.purge is not None:  # uninstall: keeping or deleting the key is a visible choice
                yield Checkbox(
                    "Also delete its key from the vault (kept, with a note, while another entry uses it)",
                    bool(self.plan.vault_deletes or self.plan.kept_keys),
                    id="purge",
                )
            yield PlanView(self.plan, id="plan")
            with Horizontal(classes="buttons"):
                yield Button("Write changes (w)", id="write", variant="warning")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#write", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "write")

    async def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """Re-plan with or without the key, and show the new plan (what the vault will lose, or keep and why)."""
        if self.purge is None or event.checkbox.id != "purge":
            return
        self.plan = self.purge(event.value)
        old = self.query_one("#plan", PlanView)
        await old.remove()
        await self.query_one(".dialog", Vertical).mount(
            PlanView(self.plan, id="plan"), before=self.query_one(".buttons")
        )

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question with the facts it is about (the command an edited entry would run)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, title: str, body: str, yes: str = "Yes (y)") -> None:
        super().__init__()
        self.heading, self.body, self.yes = title, body, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.heading, style="bold"), classes="dialog-title")
            yield Static(self.body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="warning")
                yield Button("No (esc)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
