"""The one-line bar on top: the app's name and where the person is in the install flow."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

STEPS = ("Clients", "Key", "Tools", "Review", "Apply")
ACCENT = "#f0a030"


def title_bar(title: str) -> Text:
    """`clerk-mcp-setup  <title>` for screens outside the step flow (Manage)."""
    text = Text(" clerk-mcp-setup ", style=f"bold {ACCENT}")
    text.append(f"  {title}", style="bold")
    return text


class StepBar(Static):
    """`clerk-mcp-setup  ✔ Clients › 2 Key › 3 Tools …` with the current step highlighted."""

    def __init__(self, current: str) -> None:
        super().__init__(self.steps(current), classes="step-bar")

    @staticmethod
    def steps(current: str) -> Text:
        text = Text(" clerk-mcp-setup ", style=f"bold {ACCENT}")
        text.append("  ")
        now = STEPS.index(current)
        for n, step in enumerate(STEPS):
            if n:
                text.append(" › ", style="grey50")
            if n == now:
                text.append(f" {n + 1} {step} ", style=f"bold black on {ACCENT}")
            elif n < now:
                text.append(f"✔ {step}", style="green")
            else:
                text.append(f"{n + 1} {step}", style="grey50")
        return text
