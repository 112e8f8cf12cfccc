"""Step 3: which tools the assistant gets: categories and tools as a tree, with risks, counts and presets."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label, Static, Switch, Tree

from clerk_mcp_setup.server.catalog import CATALOG, CATEGORIES, Tool
from clerk_mcp_setup.server.listing import tools_list_bytes
from clerk_mcp_setup.tui.state import DEFAULT_TOOLS, PRESET_TOOLS
from clerk_mcp_setup.tui.text import RISK_STYLE
from clerk_mcp_setup.tui.widgets.steps import StepBar

if TYPE_CHECKING:
    from clerk_mcp_setup.tui.app import WizardApp

Node = str | Tool  # a category name or a tool
NAME_WIDTH = max(len(t.name) for t in CATALOG) + 1


@lru_cache(maxsize=2)
def _preset_costs(read_only: bool) -> tuple[int, int, int, int]:
    """`tools/list` bytes of @default, @agent-toolkit, * and @discover (the catalog never changes at run time)."""
    presets: tuple[list[str] | None, ...] = (None, ["@agent-toolkit"], ["*"], ["@discover"])
    a, b, c, d = (tools_list_bytes(values, read_only=read_only) for values in presets)
    return a, b, c, d


class ToolTree(Tree[Node]):
    """A tree whose space key picks (the screen decides what) instead of folding."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.pick", "Pick", show=False),
        Binding("right", "unfold", "Unfold", show=False),
        Binding("left", "fold", "Fold", show=False),
    ]

    def action_unfold(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_fold(self) -> None:
        node = self.cursor_node
        if node is not None and not node.allow_expand and node.parent is not None and node.parent is not self.root:
            node = node.parent
            self.move_cursor(node)
        if node is not None:
            node.collapse()


class ToolsScreen(Screen[None]):
    """Space picks a tool or a whole category; 0–3 apply presets; 4 serves the selection through @discover;
    r switches read-only. Each preset's `tools/list` cost is shown, and a chosen client's tool cap."""

    TITLE = "Tools"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pick", "Pick"),
        Binding("0", "preset('@default')", "Default"),
        Binding("1", "preset('@agent-toolkit')", "Toolkit"),
        Binding("2", "preset('@all')", "All"),
        Binding("3", "read_only_preset", "Read-only"),
        Binding("4", "discover", "Discover"),
        Binding("r", "read_only", "Read-only", show=False),
        Binding("ctrl+n", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    def compose(self) -> ComposeResult:
        yield StepBar("Tools")
        yield Static(id="count", classes="question")
        yield Static(id="costs", classes="detail")
        yield Static(id="caps", classes="detail")
        tree: ToolTree = ToolTree("Tools", id="tools")
        tree.show_root = False
        yield tree
        yield Static(id="tool-detail", classes="detail")
        with Horizontal(classes="switch-row"):
            yield Switch(self.wizard.choices.read_only, id="read-only")
            yield Label("Read-only: only tools that change nothing (r)", classes="switch-label")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one(ToolTree)
        for category in CATEGORIES:
            node = tree.root.add(category, data=category, expand=False)
            for tool in (t for t in CATALOG if t.category == category):
                node.add_leaf(tool.name, data=tool)
        self._relabel()
        tree.focus()
        tree.move_cursor(tree.root.children[0])

    def _relabel(self) -> None:
        """Redraw every label and the count line from the current choices."""
        choices = self.wizard.choices
        tree = self.query_one(ToolTree)
        for node in tree.root.children:
            category = cast(str, node.data)
            tools = [t for t in CATALOG if t.category == category]
            on = [t for t in tools if self._active(t)]
            label = Text()
            label.append("[x] " if len(on) == len(tools) else "[-] " if on else "[ ] ", style="bold #f0a030")
            label.append(category, style="bold")
            label.append(f" · {len(on)}/{len(tools)}", style="cyan")
            risky = sum(t.risk == "destructive" for t in on)
            if risky:
                label.append(f" · {risky} destructive", style=RISK_STYLE["destructive"])
            node.set_label(label)
            for leaf in node.children:
                node_tool = cast(Tool, leaf.data)
                leaf.set_label(self._tool_label(node_tool))
        active = choices.effective_tools()
        patterns = choices.tool_patterns()
        preset = "default" if patterns is None else patterns[0] if len(patterns) == 1 else "custom"
        line = Text.assemble(
            ("Which tools may the assistant use?  ", "bold"),
            (f"{len(active)} of {len(CATALOG)}", "bold cyan"),
            (f"  · {preset}" + ("  · read-only" if choices.read_only else ""), "dim"),
        )
        if choices.discover:
            line.append(f"  · @discover: {choices.listed_count()} tools listed", style="bold green")
        self.query_one("#count", Static).update(line)
        self._show_costs()
        warnings = choices.cap_warnings()
        caps = Text()
        for w in warnings:
            caps.append(f"⚠ {w.client.name} shows at most {w.cap} tools; this lists {w.served}. ", style="bold yellow")
        if warnings:
            caps.append("Press 4 for @discover (the same tools through 3).", style="yellow")
        self.query_one("#caps", Static).update(caps)

    def _show_costs(self) -> None:
        """`tools/list` bytes of each preset and of the current selection, computed from the catalog."""
        choices = self.wizard.choices
        read_only = choices.read_only
        text = Text("tools/list: ", style="dim")
        default, toolkit, everything, discover = _preset_costs(read_only)
        for label, size in (("0 default", default), ("1 toolkit", toolkit), ("2 all", everything)):
            text.append(f"{label} {size:,} B · ", style="dim")
        text.append(f"4 discover {discover:,} B", style="green")
        if choices.effective_tools():
            size = tools_list_bytes(choices.tool_patterns(), read_only=read_only)
            text.append(f" · this selection {size:,} B", style="bold")
        self.query_one("#costs", Static).update(text)

    def _active(self, tool: Tool) -> bool:
        choices = self.wizard.choices
        return tool.name in choices.tools and (tool.read_only or not choices.read_only)

    def _tool_label(self, tool: Tool) -> Text:
        choices = self.wizard.choices
        picked = tool.name in choices.tools
        blocked = picked and choices.read_only and not tool.read_only
        label = Text()
        label.append("[x] " if picked else "[ ] ", style="#f0a030" if picked and not blocked else "dim")
        label.append(tool.name.ljust(NAME_WIDTH), style="dim strike" if blocked else "" if picked else "dim")
        label.append("off (read-only)" if blocked else tool.risk, style="dim" if blocked else RISK_STYLE[tool.risk])
        return label

    def action_pick(self) -> None:
        tree = self.query_one(ToolTree)
        node = tree.cursor_node
        if node is None or node.data is None:
            return
        choices = self.wizard.choices
        if isinstance(node.data, str):
            names = {t.name for t in CATALOG if t.category == node.data}
            choices.tools = choices.tools - names if names <= choices.tools else choices.tools | names
        else:
            choices.tools = choices.tools ^ {node.data.name}
        self._relabel()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Node]) -> None:
        data = event.node.data
        text = Text()
        if isinstance(data, Tool):
            text.append(f"{data.title}", style="bold")
            text.append(f" ({data.risk}): ", style=RISK_STYLE[data.risk])
            text.append(data.description.split(". ")[0].rstrip(".") + ".", style="dim")
        elif isinstance(data, str):
            text.append(f"{data}: ", style="bold")
            text.append("space picks or drops the whole category; → or enter unfolds it, ← folds.", style="dim")
        self.query_one("#tool-detail", Static).update(text)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Node]) -> None:
        if isinstance(event.node.data, Tool):
            self.action_pick()

    def action_preset(self, preset: str) -> None:
        self.wizard.choices.tools = PRESET_TOOLS.get(preset, DEFAULT_TOOLS)
        self.wizard.choices.discover = False
        self._relabel()

    def action_discover(self) -> None:
        """Serve the selection through @discover (from the default selection: every tool), or stop."""
        choices = self.wizard.choices
        if not choices.discover and choices.tools == DEFAULT_TOOLS:
            choices.tools = PRESET_TOOLS["@all"]
        choices.discover = not choices.discover
        self._relabel()

    def action_read_only_preset(self) -> None:
        self.wizard.choices.tools = PRESET_TOOLS["@all"]
        self.wizard.choices.discover = False
        self.query_one(Switch).value = True
        self._relabel()

    def action_read_only(self) -> None:
        switch = self.query_one(Switch)
        switch.value = not switch.value

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.wizard.choices.read_only = event.value
        self._relabel()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_next(self) -> None:
        if not self.wizard.choices.effective_tools():
            self.notify("Pick at least one tool (or a preset: 0–3).", severity="warning")
            return
        from clerk_mcp_setup.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())
