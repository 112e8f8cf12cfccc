"""Restore a backup: pick one of a file's backups, see the diff from the current file, confirm, restore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.files import read_snapshot, restore_backup
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import backup_dir
from clerk_mcp_setup.tui.text import diff_text, tilde

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp


def backup_label(backup: Path) -> str:
    """`2026-05-12 10:31:07 · 412 bytes` from the backup's name (which carries a UTC timestamp)."""
    stamp = next((part for part in backup.name.split(".") if part.endswith("Z") and "T" in part), "")
    when = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]} UTC" if stamp else ""
    return f"{when or backup.name} · {backup.stat().st_size} bytes"


class BackupScreen(ModalScreen[bool]):
    """The backups of one file, newest first; the diff shows what restoring the highlighted one changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("w", "restore", "Restore"),
    ]

    def __init__(self, path: str, backups: list[Path]) -> None:
        super().__init__()
        self.path, self.backups = Path(path), backups

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog plan-dialog"):
            yield Static(Text(f"Restore {tilde(self.path)} from a backup", style="bold"), classes="dialog-title")
            yield OptionList(*(Option(backup_label(b), id=str(n)) for n, b in enumerate(self.backups)), id="backups")
            with VerticalScroll(id="preview"):
                yield Static(id="diff", classes="diff")
            with Horizontal(classes="buttons"):
                yield Button("Restore (w)", id="restore", variant="warning")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._preview(0)

    def _chosen(self) -> Path:
        return self.backups[self.query_one(OptionList).highlighted or 0]

    def _preview(self, index: int) -> None:
        current = read_snapshot(self.path).data
        diff = installer.unified_diff(self.path, current, self.backups[index].read_bytes(), ())
        body = diff_text(diff) if diff else Text("Identical to the current file.", style="dim")
        self.query_one("#diff", Static).update(body)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option_index)

    def on_option_list_option_selected(self) -> None:
        self.action_restore()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "restore":
            self.action_restore()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_restore(self) -> None:
        chosen = self._chosen()
        try:
            saved = restore_backup(chosen, self.path, backup_dir=backup_dir(), expected=read_snapshot(self.path))
        except ClerkMcpError as exc:
            self.wizard.show_error(exc)
            return
        extra = f" (previous content saved as {tilde(saved)})" if saved else ""
        self.wizard.note(f"restored  {tilde(self.path)} from {tilde(chosen)}{extra}")
        self.app.notify(f"Restored {tilde(self.path)}.")
        self.dismiss(True)
