"""Step 4: the plan, file by file, with masked diffs and backups. The only way on is to confirm it here."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.install import installer, travel
from clerk_mcp_setup.install.ownership import ForeignEntryError
from clerk_mcp_setup.secrets import key_kind, mask
from clerk_mcp_setup.tui.widgets.plan_view import PlanView
from clerk_mcp_setup.tui.widgets.steps import StepBar

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp


class ReviewScreen(Screen[None]):
    """Plans with the installer (reads files, writes nothing); w or the button applies, esc goes back."""

    TITLE = "Review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", "Write"),
        Binding("r", "replace", "Replace existing entries", show=False),
        Binding("escape", "back", "Back"),
    ]

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield StepBar("Review")
        self.foreign: ForeignEntryError | None = None
        self.plan = self._plan()
        if self.plan is None and self.foreign is not None:
            yield Static(Text("Nothing has been written yet.", style="bold"), classes="question")
            yield Static(self.foreign.message, markup=False, classes="detail")
            yield Static(
                "Replace it? It is backed up first, and uninstalling later puts it back exactly. Or go back and "
                "choose another entry name.",
                classes="hint",
            )
            with Horizontal(classes="buttons"):
                yield Button("Replace existing entries (r)", id="replace", variant="warning")
                yield Button("Back (esc)", id="back")
            yield Footer()
            return
        if self.plan is None:
            yield Static("The plan could not be made; nothing was written.", classes="question")
            yield Footer()
            return
        head = Text("Nothing has been written yet. ", style="bold")
        if self.plan.changed:
            head.append("These changes are made when you press Write:", style="")
        else:
            head.append("Everything is already in place; Verify starts the entries to check them.", style="")
        yield Static(head, classes="question")
        yield PlanView(self.plan, id="plan")
        with Horizontal(classes="buttons"):
            label = "Write changes (w)" if self.plan.changed else "Verify (w)"
            yield Button(label, id="write", variant="warning" if self.plan.changed else "primary")
            yield Button("Back (esc)", id="back")
        yield Footer()

    def _plan(self) -> installer.Plan | None:
        wizard = self.wizard
        try:
            request = wizard.choices.request()
            plan = installer.plan_install(request, wizard.env, wizard.launcher)
        except ForeignEntryError as exc:
            self.foreign = exc
            return None
        except ClerkMcpError as exc:
            self.call_after_refresh(wizard.show_error, exc)
            return None
        travel.add_notes(plan)  # project files are read on teammates' machines: say what they need
        if request.secret_key:  # the CLI says this too: which key, which instance
            plan.notes.insert(0, f"key {mask(request.secret_key)} ({key_kind(request.secret_key)} instance)")
        return plan

    def on_mount(self) -> None:
        if self.plan is not None:
            self.query_one("#write", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.action_write()
        elif event.button.id == "replace":
            self.action_replace()
        else:
            self.action_back()

    def action_replace(self) -> None:
        """The person chose to replace the entries under our name that are theirs: plan again with that."""
        if self.foreign is None:
            return
        self.wizard.choices.replace = True
        self.refresh(recompose=True)
        self.call_after_refresh(self.on_mount)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_write(self) -> None:
        if self.plan is None:
            return
        from clerk_mcp_setup.tui.screens.apply import ApplyScreen

        self.app.push_screen(ApplyScreen(self.plan))
