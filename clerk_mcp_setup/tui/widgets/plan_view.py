"""A plan as the person reviews it: per file, what happens, which entries, the backup, and the masked diff.

Used by the install Review screen and by the manager's refresh and uninstall confirmations, so every write
the app makes is shown the same way first.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import backup_dir
from clerk_mcp_setup.secrets import mask_text
from clerk_mcp_setup.tui.text import SCOPE_LABEL, diff_text, tilde, tilde_all

ACTION_STYLE = {"create": "bold green", "update": "bold yellow", "delete": "bold red", "unchanged": "dim"}


def change_header(change: installer.Change, plan: installer.Plan) -> Text:
    """`update ~/.cursor/mcp.json  cursor (global)`, then what happens to the current file."""
    records = change.records or [r for r in plan.removals if r.path == str(change.path)]
    text = Text()
    text.append(f"{change.action:<9}", style=ACTION_STYLE.get(change.action, ""))
    text.append(tilde(change.path), style="bold")
    who = ", ".join(
        dict.fromkeys(f"{get_client(r.client).name} ({SCOPE_LABEL.get(r.scope, r.scope)})" for r in records)
    )
    if who:
        text.append(f"  {who}", style="cyan")
    if change.action in ("update", "delete"):
        text.append("\n         the current file is backed up first", style="dim")
    elif change.action == "create":
        text.append("\n         new file: nothing to back up", style="dim")
    for note in dict.fromkeys(change.notes):  # next to its file, as the CLI prints them
        text.append("\n  note   ", style="bold")
        text.append(tilde_all(mask_text(note, plan.secrets)))
    return text


def plan_summary(plan: installer.Plan) -> Text:
    """Vault writes, notes and the backup folder: everything the plan does besides the diffs."""
    text = Text()
    for name, secret in plan.vault_writes:
        text.append("vault    ", style="bold magenta")
        text.append(f"store {mask_text(secret, plan.secrets)} as '{name}'\n")
    for name in plan.vault_deletes:
        text.append("vault    ", style="bold magenta")
        text.append(f"delete the key '{name}'\n")
    for note in dict.fromkeys(plan.notes):
        text.append("note     ", style="bold")
        text.append(mask_text(note, plan.secrets) + "\n")
    if any(c.action in ("update", "delete") for c in plan.changes):
        text.append("backups  ", style="bold")
        text.append(tilde(backup_dir()) + "\n", style="dim")
    return text


class PlanView(VerticalScroll):
    """Scrollable, focusable review of one plan."""

    can_focus = True

    def __init__(self, plan: installer.Plan, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.plan = plan

    def compose(self) -> ComposeResult:
        for change in self.plan.changes:
            yield Static(change_header(change, self.plan), classes="change-header")
            if change.diff:
                yield Static(diff_text(change.diff, self.plan.secrets), classes="diff")
        summary = plan_summary(self.plan)
        if summary.plain:
            yield Static(summary, classes="plan-summary")
