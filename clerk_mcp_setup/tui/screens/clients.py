"""Step 1: which clients get the server, and in which scope; what was detected here, and why we think so."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from clerk_mcp_setup.clients import CLIENTS, Client, Detection, Scope
from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.tui.text import SCOPE_LABEL, tilde, tilde_all
from clerk_mcp_setup.tui.widgets.steps import StepBar

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp


def found_label(detection: Detection) -> Text:
    """`installed`, `config found`, `folder found` or `not found`, from the detector's reasons."""
    if not detection.present:
        return Text("not found", style="dim")
    kinds = []
    for reason in detection.reasons:
        if reason.startswith(("app installed", "`")):
            kinds.append("installed")
        elif reason.startswith("config file"):
            kinds.append("config found")
        elif reason.startswith("config folder"):
            kinds.append("folder found")
        else:
            kinds.append("found")
    return Text(" + ".join(dict.fromkeys(kinds)), style="green")


class ClientsScreen(Screen[None]):
    """A table of every client: space picks it, s changes its scope, the panel below says why and where."""

    TITLE = "Clients"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pick", "Pick"),
        Binding("s", "scope", "Scope"),
        Binding("a", "show_all", "Show all"),
        Binding("ctrl+n", "next", "Next"),
        Binding("m", "app.manage", "Manage"),
        Binding("g", "migrate", "Migrate old entries", show=False),
        Binding("escape", "app.quit", "Quit", show=False),
    ]

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield StepBar("Clients")
        yield Static("Which AI clients should get the Clerk MCP server?", classes="question")
        yield DataTable(id="clients", cursor_type="row", zebra_stripes=False)
        yield Static(id="detail", classes="detail")
        yield Static(id="note", classes="note")
        yield Footer()

    def on_mount(self) -> None:
        detections = self.wizard.detections()
        choices = self.wizard.choices
        nothing = not any(d.present for d in detections.values())
        self.scopes: dict[str, Scope] = {
            c.id: choices.selected.get(c.id, "project" if nothing and "project" in c.scopes else "user")
            for c in CLIENTS
        }
        if not choices.selected and not nothing:
            for client in CLIENTS:
                if detections[client.id].present:
                    choices.selected[client.id] = self.scopes[client.id]
        table = self.query_one(DataTable)
        table.add_column("", key="pick", width=3)
        table.add_column("Client", key="client", width=20)
        table.add_column("Found here", key="found", width=24)
        table.add_column("Scope", key="scope", width=9)
        # 28 clients: the ones found here first, the rest behind "a" (all of them when none was found)
        self.show_all = nothing
        self._fill()
        note = self.query_one("#note", Static)
        project = tilde(choices.project)
        if nothing:
            note.update(
                Text.assemble(
                    ("No AI client was found on this machine. ", "bold"),
                    f"You can still write project files in {project} (the current directory): pick a client; "
                    "it reads them when you open this folder in it.",
                )
            )
        else:
            note.update(Text(f"Project scope writes into {project} (the current directory).", style="dim"))
        table.focus()
        self._show_detail(self.shown[0])
        self.old_entries = 0
        self.look_for_old_entries()

    @work(exclusive=True, exit_on_error=False)
    async def look_for_old_entries(self) -> None:
        """Offer `migrate` when another Clerk server's entries are on this machine (read-only look)."""
        from clerk_mcp_setup.install import migrate

        try:
            items = await asyncio.to_thread(migrate.find, self.wizard.env, self.wizard.choices.project)
        except ClerkMcpError:
            return
        self.old_entries = len(items)
        if items:
            kinds = ", ".join(dict.fromkeys(i.old.kind for i in items))
            self.query_one("#note", Static).update(
                Text.assemble(
                    (f"Found {len(items)} entr{'y' if len(items) == 1 else 'ies'} of older Clerk servers ", "bold"),
                    f"({kinds}). Press g to review replacing them with this server (same tools, key to the vault).",
                )
            )

    def action_migrate(self) -> None:
        if not getattr(self, "old_entries", 0):
            self.notify("No entries of older Clerk servers were found here.")
            return
        from clerk_mcp_setup.tui.screens.migrate import MigrateScreen

        self.app.push_screen(MigrateScreen())

    def _fill(self) -> None:
        """(Re)list the rows: detected clients first, then the others when `show_all`; picks are kept."""
        detections = self.wizard.detections()
        found = [c for c in CLIENTS if detections[c.id].present]
        rest = [c for c in CLIENTS if not detections[c.id].present]
        picked_hidden = [c for c in rest if c.id in self.wizard.choices.selected]
        self.shown: list[Client] = found + (rest if self.show_all else picked_hidden)
        table = self.query_one(DataTable)
        table.clear()
        for client in self.shown:
            table.add_row(*self._cells(client), key=client.id)
        hidden = len(CLIENTS) - len(self.shown)
        if hidden:
            table.add_row(Text(""), Text(f"+ {hidden} more", style="dim"), Text("a: show all", style="dim"), Text(""))

    def action_show_all(self) -> None:
        """Show every client we know, or only the ones found here (and those already picked)."""
        if not any(d.present for d in self.wizard.detections().values()):
            return  # nothing was found: every client is listed already
        self.show_all = not self.show_all
        self._fill()

    def _cells(self, client: Client) -> tuple[Text, Text, Text, Text]:
        picked = client.id in self.wizard.choices.selected
        return (
            Text("[x]" if picked else "[ ]", style="bold #f0a030" if picked else "dim"),
            Text(client.name, style="bold" if picked else ""),
            found_label(self.wizard.detections()[client.id]),
            Text(SCOPE_LABEL[self.scopes[client.id]]),
        )

    def _current(self) -> Client | None:
        row = self.query_one(DataTable).cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None

    def _refresh_row(self, client: Client) -> None:
        table = self.query_one(DataTable)
        for column, cell in zip(("pick", "client", "found", "scope"), self._cells(client), strict=True):
            table.update_cell(client.id, column, cell)
        self._show_detail(client)

    def _show_detail(self, client: Client) -> None:
        scope = self.scopes[client.id]
        text = Text()
        text.append(f"{client.name}: ", style="bold")
        text.append(tilde_all("; ".join(self.wizard.detections()[client.id].reasons)) + "\n", style="dim")
        try:
            location = client.location(scope, self.wizard.env, self.wizard.choices.project)
            text.append(f"{SCOPE_LABEL[scope]} → ", style="bold")
            text.append(tilde(str(location.path)))
            if len(location.key_path) > 1:
                text.append(f" ({'.'.join(location.key_path[:-1])})", style="dim")
        except ClerkMcpError as exc:
            text.append(exc.message, style="red")
        others = [SCOPE_LABEL[s] for s in client.scopes if s != scope]
        if others:
            text.append(f"   s: {' / '.join(others)}", style="dim")
        self.query_one("#detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self._show_detail(self.shown[event.cursor_row])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self._current() is None:  # the "+ N more" row
            self.action_show_all()
            return
        self.action_pick()

    def action_pick(self) -> None:
        client = self._current()
        if client is None:
            self.action_show_all()
            return
        self.wizard.choices.toggle(client, self.scopes[client.id])
        self._refresh_row(client)

    def action_scope(self) -> None:
        client = self._current()
        if client is None:
            return
        scopes = client.scopes
        scope = scopes[(scopes.index(self.scopes[client.id]) + 1) % len(scopes)]
        self.scopes[client.id] = scope
        if client.id in self.wizard.choices.selected:
            self.wizard.choices.selected[client.id] = scope
        self._refresh_row(client)

    def action_next(self) -> None:
        if not self.wizard.choices.selected:
            self.notify("Pick at least one client with space.", severity="warning")
            return
        from clerk_mcp_setup.tui.screens.key import KeyScreen

        self.app.push_screen(KeyScreen())
