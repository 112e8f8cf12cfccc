"""Manage: what the manifest says is installed, with refresh, verify, uninstall and restore-backup actions.

Each action plans with the installer and shows the plan (PlanScreen) before anything is written, as the
install flow does; verification uses the verifier and records the outcome in the manifest like the CLI.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.files import list_backups
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Manifest, Record, backup_dir
from clerk_mcp_setup.tui.screens.apply import failure_text, result_text
from clerk_mcp_setup.tui.text import SCOPE_LABEL, fit, tilde
from clerk_mcp_setup.tui.verifying import verify_and_record
from clerk_mcp_setup.tui.widgets.steps import title_bar
from clerk_mcp_setup.verify.core import VerifyResult

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp

STATE_STYLE = {"ok": "green", "edited": "yellow", "missing": "red", "file-missing": "red", "unreadable": "red"}
STATE_SHORT = {"file-missing": "no file", "unreadable": "broken"}


def tools_label(record: Record) -> str:
    tools = "default" if record.tools_default else " ".join(record.tools) or "none"
    return tools + (" (ro)" if record.read_only else "")


def verified_label(record: Record) -> Text:
    if not record.verified_at:
        return Text("never", style="dim")
    when = record.verified_at.replace("T", " ")[5:16]
    return Text(f"{'✔' if record.verified_ok else '✘'} {when}", style="green" if record.verified_ok else "red")


def _key(record: Record) -> tuple[str, str, str]:
    return (record.client, record.path, record.name)


# The CLI's fixes in the manager's own words (its keys), so a hint never sends the person to a flag.
_MANAGER_WORDS = (
    ("`clerk-mcp-setup refresh --force` writes ours again", "press f to write ours again"),
    ("`clerk-mcp-setup verify --name NAME --allow-edited` starts it as it is", "v asks before starting it as it is"),
    ("Run `clerk-mcp-setup refresh` to rewrite it", "Press r (refresh) to rewrite it"),
    ("run `clerk-mcp-setup refresh`", "press r (refresh)"),
    ("`refresh --force` would write", "f (refresh, replacing edits) would write"),
    ("left alone (use --force)", "left alone (f replaces it, x uninstalls it anyway)"),
    ("install it again (clerk-mcp-setup --client … --name …)", "install it again (n)"),
)


def manager_words(text: str) -> str:
    for cli, ours in _MANAGER_WORDS:
        text = text.replace(cli, ours)
    return text


def manager_failure_text(record: Record, result: VerifyResult) -> Text:
    """The failure's evidence and its fix, with the fix in the manager's keys."""
    return Text(manager_words(failure_text(record, result).plain), style="")


class ManageScreen(Screen[None]):
    """The installed entries; every action works on the highlighted one (a: verify them all)."""

    TITLE = "Manage"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "verify", "Verify"),
        Binding("a", "verify_all", "Verify all"),
        Binding("r", "refresh", "Refresh"),
        Binding("f", "refresh(True)", "Refresh, replacing edits"),
        Binding("u", "uninstall", "Uninstall"),
        Binding("x", "uninstall(False, True)", "Uninstall even if edited", show=False),
        Binding("U", "uninstall(True)", "Uninstall + forget key", show=False),
        Binding("b", "restore", "Backups"),
        Binding("n", "app.new_install", "Install"),
        Binding("escape", "back", "Back"),
    ]

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(title_bar("Manage installed entries"), classes="step-bar")
        yield Static(id="heading", classes="question")
        yield DataTable(id="entries", cursor_type="row")
        yield Static(id="detail", classes="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.failures: dict[tuple[str, str, str], Text] = {}
        self.reload()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.reload()

    def _columns(self, table: DataTable[object]) -> int:
        """Fixed columns, and the file column gets what the terminal width leaves (paths are cut on the left)."""
        fixed = {"Client": 14, "Scope": 7, "Tools": 8, "State": 7, "Verified": 13}
        file_width = max(14, self.size.width - sum(fixed.values()) - 2 * (len(fixed) + 1) - 3)
        table.clear(columns=True)
        for label, width in [*list(fixed.items())[:2], ("File", file_width), *list(fixed.items())[2:]]:
            table.add_column(label, key=label.lower(), width=width)
        return file_width

    def reload(self) -> None:
        """Read the manifest again and redraw the table, keeping the cursor where it was."""
        try:
            self.records = Manifest.load().records
        except ClerkMcpError as exc:
            self.records = []
            self.wizard.show_error(exc)
        table: DataTable[object] = self.query_one(DataTable)
        row = table.cursor_row
        file_width = self._columns(table)
        for n, record in enumerate(self.records):
            state = installer.entry_state(record)
            name = get_client(record.client).name + ("" if record.name == "clerk" else f" ·{record.name}")
            table.add_row(
                name,
                SCOPE_LABEL.get(record.scope, record.scope),
                fit(record.path, file_width),
                tools_label(record),
                Text(STATE_SHORT.get(state, state), style=STATE_STYLE.get(state, "")),
                verified_label(record),
                key=str(n),
            )
        heading = self.query_one("#heading", Static)
        if self.records:
            count = f"{len(self.records)} entr{'y' if len(self.records) == 1 else 'ies'}"
            heading.update(Text(f"{count} installed by clerk-mcp-setup", style="bold"))
            table.move_cursor(row=min(row, len(self.records) - 1))
            self._show_detail(self._current())
        else:
            heading.update(Text("Nothing installed by clerk-mcp-setup yet. Press n to install.", style="bold"))
            self.query_one("#detail", Static).update("")

    def _current(self) -> Record | None:
        row = self.query_one(DataTable).cursor_row
        return self.records[row] if self.records and 0 <= row < len(self.records) else None

    def _show_detail(self, record: Record | None, extra: Text | None = None) -> None:
        if record is None:
            return
        text = Text()
        text.append(tilde(record.path), style="bold")
        text.append(f"  entry '{record.name}' at {'.'.join(record.key_path)}\n", style="dim")
        text.append(f"key: {record.key_storage}", style="")
        if record.project:
            text.append(f" · project {tilde(record.project)}")
        text.append(f" · installed {record.installed_at.replace('T', ' ')[:16]}\n", style="dim")
        extra = extra or getattr(self, "failures", {}).get(_key(record))
        if extra:
            text.append_text(extra)
        self.query_one("#detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self._current())

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit(self.wizard.exit_code())

    # ---------------------------------------------------------------------------------------- verify

    def action_verify(self) -> None:
        record = self._current()
        if record is None:
            return
        if installer.entry_state(record) != "edited":
            self.verify([record])
            return
        from clerk_mcp_setup.install import ownership, wal
        from clerk_mcp_setup.tui.screens.dialogs import ConfirmScreen

        command = ownership.describe(wal.current_entry(record))
        body = (
            f"'{record.name}' in {tilde(record.path)} was changed since it was installed (by hand, another tool "
            f"or a git pull). Starting it runs what it names now:\n\n  {command}\n\nStart it anyway?"
        )
        self.app.push_screen(
            ConfirmScreen("Start an edited entry?", body, "Start it (y)"),
            lambda yes: self.verify([record], allow_edited=True) if yes else None,
        )

    def action_verify_all(self) -> None:
        if self.records:
            self.verify(list(self.records))

    @work(exclusive=True, exit_on_error=False)
    async def verify(self, records: list[Record], allow_edited: bool = False) -> None:
        """Start the entries as their clients would, show each result in the table, record them."""
        table = self.query_one(DataTable)
        index = {id(r): n for n, r in enumerate(self.records)}
        rows = [str(index[id(r)]) for r in records]

        def event(i: int, result: VerifyResult | None) -> None:
            table.update_cell(rows[i], "verified", result_text(result) if result else Text("starting…", style="yellow"))

        try:
            results = await verify_and_record(
                records, event, timeout=self.wizard.verify_timeout, allow_edited=allow_edited
            )
        except Exception as exc:
            self.wizard.show_error(exc)
            return
        for record, result in zip(records, results, strict=True):
            self.wizard.note(
                f"verified  {record.client} ({record.scope}): {result.tools} tools"
                if result.ok
                else f"verified  {record.client} ({record.scope}): {result.status}"
            )
        failed = [(r, v) for r, v in zip(records, results, strict=True) if not v.ok]
        for record, result in zip(records, results, strict=True):
            if result.ok:
                self.failures.pop(_key(record), None)
            else:
                self.failures[_key(record)] = manager_failure_text(record, result)
        self.reload()
        if failed:
            self._show_detail(failed[0][0], manager_failure_text(*failed[0]))
        else:
            self.notify(f"{len(results)} of {len(results)} entries work.")

    # ------------------------------------------------------------------------ refresh and uninstall

    def action_refresh(self, force: bool = False) -> None:
        from clerk_mcp_setup.install import repair

        record = self._current()
        if record:
            title = "Refresh, replacing your edits" if force else "Refresh"
            self._plan_then_apply(lambda: repair.plan_refresh([record], force=force), title, record, force)

    def action_uninstall(self, purge_key: bool = False, force: bool = False) -> None:
        record = self._current()
        if record:
            title = "Uninstall" + (" (even though it was edited)" if force else "")

            def plan(purge: bool) -> installer.Plan:
                return installer.plan_uninstall([record], purge_key=purge, force=force)

            purge = plan if record.slots() else None
            self._plan_then_apply(lambda: plan(purge_key), title, record, force, purge)

    def _plan_then_apply(
        self, make: object, title: str, record: Record, force: bool = False, purge: object = None
    ) -> None:
        from clerk_mcp_setup.tui.screens.dialogs import PlanScreen

        try:
            plan = cast("installer.Plan", make())  # type: ignore[operator]
        except ClerkMcpError as exc:
            self.wizard.show_error(exc)
            return
        plan.notes = [manager_words(n) for n in plan.notes]
        if not plan.changed and not plan.removals:
            note = "; ".join(n.split("\n")[0] for n in plan.notes) or "already up to date"
            self.notify(f"{title}: nothing to change ({note}).", timeout=10)
            return

        name = get_client(record.client).name
        screen = PlanScreen(
            plan,
            f"{title}: {name} ({SCOPE_LABEL.get(record.scope)}) — nothing written yet",
            purge,  # type: ignore[arg-type]
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.apply(screen.plan, title, record, force)  # the plan as last shown (with or without the key)

        self.app.push_screen(screen, confirmed)

    @work(exclusive=True, exit_on_error=False)
    async def apply(self, plan: installer.Plan, title: str, record: Record, force: bool = False) -> None:
        try:
            applied = await asyncio.to_thread(lambda: installer.apply(plan, force_write=force))
        except Exception as exc:
            self.wizard.show_error(exc)
            return
        for item in applied:
            if item.written:
                backup = f" (backup: {tilde(item.backup)})" if item.backup else ""
                self.wizard.note(f"{title.lower().split()[0]:<9} {tilde(item.change.path)}{backup}")
        self.notify(f"{title}: done for {get_client(record.client).name}.")
        self.reload()

    # -------------------------------------------------------------------------------------- backups

    def action_restore(self) -> None:
        record = self._current()
        if record is None:
            return
        backups = list_backups(record.path, backup_dir())
        if not backups:
            self.notify(f"No backup of {tilde(record.path)} yet (the first write of a new file has none).")
            return
        from clerk_mcp_setup.tui.screens.backups import BackupScreen

        self.app.push_screen(BackupScreen(record.path, backups), lambda _: self.reload())
