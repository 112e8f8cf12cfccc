"""The wizard's App: shared state, navigation, error display, and the summary printed on exit.

Screens call the installer, verifier and manifest directly; the App only holds what they share (the
person's choices, the machine's `Env`, how clients are detected) and what to tell the terminal at the end.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from clerk_mcp_setup.clients import CLIENTS, Client, Detection, Env, detect
from clerk_mcp_setup.errors import EXIT_FAILURE, EXIT_OK, EXIT_VERIFY, ClerkMcpError
from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.secrets import mask_text
from clerk_mcp_setup.tui.state import Choices
from clerk_mcp_setup.tui.text import tilde_all, wizard_words

Detector = Callable[[Client], Detection]


class WizardApp(App[int]):
    """clerk-mcp-setup's interactive face: the install flow and the manager."""

    CSS_PATH = "app.tcss"
    TITLE = "clerk-mcp-setup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        start: str = "clients",
        *,
        env: Env | None = None,
        detector: Detector | None = None,
        launcher: Launcher | None = None,
        project: Path | None = None,
        verify_timeout: float = 20.0,
    ) -> None:
        super().__init__()
        self.start = start
        self.env = env or Env.current()
        self.detector: Detector = detector or (lambda client: detect(client, self.env))
        self.launcher = launcher
        self.verify_timeout = verify_timeout
        self.choices = Choices(project=(project or Path.cwd()).resolve())
        self.report: list[str] = []
        self.failed_verify = False
        self.errored = False

    def on_mount(self) -> None:
        from clerk_mcp_setup.tui.screens.clients import ClientsScreen
        from clerk_mcp_setup.tui.screens.manage import ManageScreen

        self.push_screen(ManageScreen() if self.start == "manage" else ClientsScreen())

    def detections(self) -> dict[str, Detection]:
        """Each client's detection, computed once (it touches the disk and PATH)."""
        if not hasattr(self, "_detections"):
            self._detections = {c.id: self.detector(c) for c in CLIENTS}
        return self._detections

    # ------------------------------------------------------------------------------------------ errors

    def show_error(self, exc: BaseException) -> None:
        """A typed error as message and hint; anything else as one readable line (a bug, so say so)."""
        from clerk_mcp_setup.tui.screens.dialogs import ErrorScreen

        if isinstance(exc, ClerkMcpError):
            hint = tilde_all(mask_text(wizard_words(exc.hint))) if exc.hint else None
            self.push_screen(ErrorScreen(tilde_all(mask_text(wizard_words(exc.message))), hint))
            return
        self.errored = True
        detail = tilde_all(mask_text(str(exc))) or type(exc).__name__
        self.push_screen(
            ErrorScreen(
                f"Unexpected {type(exc).__name__}: {detail}",
                "This is a bug in clerk-mcp-setup. Nothing more will be written by this step; "
                "`clerk-mcp-setup status` shows what is installed.",
            )
        )

    def note(self, line: str) -> None:
        """A line for the summary printed when the app exits."""
        self.report.append(mask_text(line))

    # ------------------------------------------------------------------------------------ navigation

    def action_help(self) -> None:
        from clerk_mcp_setup.tui.screens.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        keys = [
            (b.binding.key_display or self.get_key_display(b.binding), b.binding.description)
            for b in self.screen.active_bindings.values()
            if b.binding.description and b.node in (self.screen, self)
        ]
        keys.append(("ctrl+p", "Command palette"))
        unique = {description: key for key, description in reversed(keys)}  # one line per action, first key wins
        shown = [(key, description) for description, key in reversed(unique.items())]
        self.push_screen(HelpScreen(shown, getattr(self.screen, "TITLE", None) or "wizard"))

    def action_manage(self) -> None:
        from clerk_mcp_setup.tui.screens.manage import ManageScreen

        if not isinstance(self.screen, ManageScreen):
            self.push_screen(ManageScreen())

    def action_new_install(self) -> None:
        from clerk_mcp_setup.tui.screens.clients import ClientsScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, ClientsScreen):
            self.switch_screen(ClientsScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Help", "The keys of this screen and how the wizard works", self.action_help)
        yield SystemCommand(
            "Manage installed entries", "Refresh, verify, uninstall, restore backups", self.action_manage
        )
        yield SystemCommand("New install", "Start the install flow from the clients", self.action_new_install)
        yield SystemCommand("Quit", "Leave now; nothing not yet confirmed is written", self.action_quit)
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)

    def exit_code(self) -> int:
        if self.errored:
            return EXIT_FAILURE
        return EXIT_VERIFY if self.failed_verify else EXIT_OK

    def summary(self) -> str:
        return "\n".join(self.report) if self.report else "Nothing was written."


def run_wizard(start: str = "clients") -> int:
    """Run the wizard in this terminal, then print what it did (results on stdout, as the CLI does)."""
    app = WizardApp(start)
    app.run()
    print(app.summary())
    return app.exit_code()


if __name__ == "__main__":  # pragma: no cover - `python -m clerk_mcp_setup.tui.app` for development
    sys.exit(run_wizard())
