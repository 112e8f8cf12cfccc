"""Step 5: write the confirmed plan file by file, verify every entry as its client would, say what is next."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.tui.text import SCOPE_LABEL, fit, tilde
from clerk_mcp_setup.tui.verifying import verify_and_record
from clerk_mcp_setup.tui.widgets.steps import StepBar
from clerk_mcp_setup.verify.core import VerifyResult

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp


def result_text(result: VerifyResult) -> Text:
    """One verification as a short cell: tool count and time, or the failure's status."""
    if result.ok:
        return Text(f"✔ {result.tools} tools", style="green")
    return Text(f"✘ {result.status}", style="bold red")


def failure_text(record: Record, result: VerifyResult) -> Text:
    """A failed verification's evidence and its fix, under the client's name."""
    text = Text(
        f"✘ {get_client(record.client).name} ({SCOPE_LABEL.get(record.scope, record.scope)}): ", style="bold red"
    )
    text.append(result.status + "\n")
    for line in result.evidence[:6]:
        text.append(f"    {line}\n", style="dim")
    if result.hint:
        text.append("    fix: ", style="bold")
        text.append(result.hint + "\n")
    return text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ApplyScreen(Screen[None]):
    """Progress per client, then results; enter leaves (printing the summary), m opens the manager."""

    TITLE = "Apply"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "Done", priority=True),
        Binding("m", "app.manage", "Manage"),
    ]

    def __init__(self, plan: installer.Plan) -> None:
        super().__init__()
        self.plan = plan
        self.records = [(f"{i}.{j}", r) for i, c in enumerate(plan.changes) for j, r in enumerate(c.records)]
        self.finished = False

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield StepBar("Apply")
        yield Static(Text("Writing…", style="bold"), id="status", classes="question")
        yield DataTable(id="progress", cursor_type="none")
        yield VerticalScroll(id="results")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Every column stays visible at 80×24 and 60×20: the file path gives way (cut on the left), results never.
        fixed = {"client": 14, "scope": 7, "write": 10, "verify": 14}
        file_width = max(8, min(40, self.size.width - sum(fixed.values()) - 2 * (len(fixed) + 1) - 4))
        client_width = fixed["client"] if file_width > 8 else 10
        table.add_column("Client", key="client", width=client_width)
        table.add_column("Scope", key="scope", width=fixed["scope"])
        table.add_column("File", key="file", width=file_width)
        table.add_column("Write", key="write", width=fixed["write"])
        table.add_column("Verify", key="verify", width=fixed["verify"])
        for key, record in self.records:
            table.add_row(
                _cut(get_client(record.client).name, client_width),
                SCOPE_LABEL.get(record.scope, record.scope),
                fit(record.path, file_width),
                Text("waiting", style="dim"),
                Text("", style="dim"),
                key=key,
            )
        self.run_all()

    def _set(self, key: str, column: str, value: Text) -> None:
        self.query_one(DataTable).update_cell(key, column, value)

    @work(exclusive=True, exit_on_error=False)
    async def run_all(self) -> None:
        """Write, then verify; any error is shown with its hint and stops before the next file."""
        try:
            wrote = await self._write()
            if wrote:
                await self._verify()
        except Exception as exc:  # shown to the person, never a traceback
            self.query_one("#status", Static).update(Text("Stopped; see the message.", style="bold red"))
            self.wizard.show_error(exc)
        self.finished = True

    async def _write(self) -> bool:
        if not self.plan.changed:
            for key, _ in self.records:
                self._set(key, "write", Text("unchanged", style="dim"))
            return True
        vault_writes = list(self.plan.vault_writes)
        for i, change in enumerate(self.plan.changes):
            keys = [k for k, _ in self.records if k.startswith(f"{i}.")]
            for key in keys:
                self._set(key, "write", Text("writing…", style="yellow"))
            one = installer.Plan([change], vault_writes=vault_writes if i == 0 else [], secrets=self.plan.secrets)
            try:
                applied = await asyncio.to_thread(installer.apply, one)
            except Exception:
                for key in keys:
                    self._set(key, "write", Text("✘ failed", style="bold red"))
                raise
            for item in applied:
                verb = {"create": "created", "update": "updated"}.get(item.change.action, item.change.action)
                for key in keys:
                    self._set(key, "write", Text(f"✔ {verb}" if item.written else "unchanged", style="green"))
                if item.written:
                    backup = f" (backup: {tilde(item.backup)})" if item.backup else ""
                    self.wizard.note(f"{verb:<9} {tilde(item.change.path)}{backup}")
        for name, _ in vault_writes:
            self.wizard.note(f"stored    the key in the vault as '{name}'")
        return True

    async def _verify(self) -> None:
        self.query_one("#status", Static).update(Text("Verifying: starting each entry as its client would…"))
        check_key = self.wizard.choices.check_key and not self.wizard.choices.demo
        keys = [k for k, _ in self.records]

        def event(i: int, result: VerifyResult | None) -> None:
            self._set(keys[i], "verify", result_text(result) if result else Text("starting…", style="yellow"))

        results = await verify_and_record(
            [r for _, r in self.records], event, timeout=self.wizard.verify_timeout, check_key=check_key
        )
        self._show_results(results)

    def _show_results(self, results: list[VerifyResult]) -> None:
        box = self.query_one("#results", VerticalScroll)
        ok = sum(r.ok for r in results)
        self.wizard.failed_verify = ok < len(results)
        status = Text(f"{ok}/{len(results)} entries work. ", style="bold green" if ok == len(results) else "bold red")
        status.append("enter: done · m: manage", style="dim")
        self.query_one("#status", Static).update(status)
        for (_, record), result in zip(self.records, results, strict=True):
            head = f"{record.client} ({record.scope}) '{record.name}'"
            self.wizard.note(f"✔ {head}: {result.tools} tools" if result.ok else f"✘ {head}: {result.status}")
            if not result.ok:
                box.mount(Static(failure_text(record, result), classes="failure"))
                if result.hint:
                    self.wizard.note(f"    fix: {result.hint}")
        steps = Text("Next:\n", style="bold")
        seen: set[str] = set()
        for _, record in self.records:
            client = get_client(record.client)
            for step in client.steps_after(record.scope):  # type: ignore[arg-type]
                if step not in seen:
                    seen.add(step)
                    steps.append(f"• {client.name}: ", style="bold cyan")
                    steps.append(step + "\n")
                    self.wizard.note(f"next ({client.name}): {step}")
        if seen:
            box.mount(Static(steps, classes="next-steps"))

    def action_done(self) -> None:
        if self.finished:
            self.app.exit(self.wizard.exit_code())
        else:
            self.notify("Still working; ctrl+q leaves now (files already written stay written).")
