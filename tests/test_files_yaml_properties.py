"""Property tests: on randomly laid-out YAML files, edits never touch bytes outside our entry.

Files vary in: indentation unit (2 or 4), sequences indented or not, flow lists, comments above, beside and
after members, blank lines, CRLF, a final newline or not, a BOM, quoted keys, other entries around ours,
and named lists (Continue's `mcpServers:`) next to plain mappings (Goose's `extensions:`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml as pyyaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_mcp_setup.files import YamlDocument

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(["dark", "on", "1.0", "x y", "/usr/bin/x-mcp", "C:\\Tools\\mcp.exe", "ünï", "a: b", "#no"])
ENTRY = st.fixed_dictionaries(
    {"command": WORDS},
    optional={
        "args": st.lists(WORDS, max_size=3),
        "env": st.dictionaries(st.sampled_from(["TOKEN", "HOME", "NODE_ENV"]), WORDS, max_size=2),
        "enabled": st.booleans(),
        "timeout": st.integers(0, 600),
    },
)
OTHER = ["github", "fs", "sentry", "db-readonly"]


@dataclass
class Layout:
    unit: int
    indent_lists: bool
    newline: str
    comments: bool


def scalar(value: Any) -> str:
    text = pyyaml.safe_dump(value, default_flow_style=True, width=1000, allow_unicode=True).strip()
    return text.removesuffix("\n...").strip()


def block(value: Any, layout: Layout, level: int, draw: st.DrawFn) -> list[str]:
    """`value` (a mapping) as block lines at `level`, with the layout's quirks and the odd flow list."""
    pad = " " * (layout.unit * level)
    lines: list[str] = []
    for key, item in value.items():
        if layout.comments and draw(st.integers(0, 3)) == 0:
            lines.append(pad + "# about " + key)
        beside = "  # note" if layout.comments and draw(st.integers(0, 4)) == 0 else ""
        if isinstance(item, dict) and item:
            lines.append(f"{pad}{key}:{beside}")
            lines += block(item, layout, level + 1, draw)
        elif isinstance(item, list) and item and draw(st.booleans()):
            lines.append(f"{pad}{key}:{beside}")
            dash = pad + (" " * layout.unit if layout.indent_lists else "")
            lines += [f"{dash}- {scalar(i)}" for i in item]
        else:
            lines.append(f"{pad}{key}: {scalar(item)}{beside}")
        if layout.comments and draw(st.integers(0, 5)) == 0:
            lines.append("")
    return lines


def named_list(items: dict[str, Any], layout: Layout, level: int, draw: st.DrawFn) -> list[str]:
    pad = " " * (layout.unit * level) + (" " * layout.unit if layout.indent_lists else "")
    lines: list[str] = []
    for name, item in items.items():
        body = block(item, Layout(2, layout.indent_lists, layout.newline, layout.comments), 0, draw)
        lines.append(f"{pad}- name: {name}")
        lines += [f"{pad}  {line}" if line else "" for line in body]
    return lines


@st.composite
def files(draw: st.DrawFn) -> tuple[str, tuple[str, ...], bool]:
    """(text, the servers key path, whether it is a named list)."""
    layout = Layout(
        draw(st.sampled_from([2, 4])), draw(st.booleans()), draw(st.sampled_from(["\n", "\r\n"])), draw(st.booleans())
    )
    named = draw(st.booleans())
    key = "mcpServers" if named else draw(st.sampled_from(["extensions", "mcp_servers"]))
    lines: list[str] = ["# settings"] if layout.comments else []
    settings_ = draw(
        st.dictionaries(st.sampled_from(["theme", "model", "fontSize"]), WORDS | st.integers(), max_size=2)
    )
    lines += block(settings_, layout, 0, draw)
    if draw(st.booleans()):
        others = draw(st.dictionaries(st.sampled_from(OTHER), ENTRY, min_size=1, max_size=3))
        lines.append(key + ":")
        lines += named_list(others, layout, 0, draw) if named else block(others, layout, 1, draw)
        if layout.comments and draw(st.booleans()):
            lines += ["", "# a commented-out server:", "#  old: {command: x}"]
    lines += block(draw(st.dictionaries(st.sampled_from(["models", "tail"]), WORDS, max_size=1)), layout, 0, draw)
    text = layout.newline.join(lines) + (layout.newline if draw(st.booleans()) else "")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, (key,), named


def _parse(text: str, key: tuple[str, ...], named: bool) -> YamlDocument:
    return YamlDocument.parse(text.encode(), named_lists=(key,) if named else ())


def _only_added(before: str, after: str) -> None:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        assert tag in ("equal", "insert"), f"changed {before[i1:i2]!r}"


@SETTINGS
@given(files(), st.sampled_from(["clerk", "clerk-dev"]), ENTRY)
def test_set_then_remove_gives_back_the_bytes(case: tuple[str, tuple[str, ...], bool], name: str, entry: Any) -> None:
    text, key, named = case
    doc = _parse(text, key, named)
    before = doc.get(())
    assert doc.set((*key, name), entry)
    after = doc.text
    _only_added(text, after)
    again = _parse(after, key, named)
    assert again.get((*key, name)) == entry
    whole = again.get(())
    whole[key[0]].pop(name)
    if not whole[key[0]]:
        whole.pop(key[0])
    assert whole == {k: v for k, v in before.items() if not (k == key[0] and not v)}
    assert not again.set((*key, name), entry)  # a second identical set changes nothing
    assert again.remove((*key, name))
    if not before.get(key[0]):  # we created the container: the installer removes it too
        assert again.remove(key)
    assert again.text == text


@SETTINGS
@given(files(), ENTRY, ENTRY)
def test_replacing_our_entry_touches_only_its_lines(
    case: tuple[str, tuple[str, ...], bool], first: Any, second: Any
) -> None:
    text, key, named = case
    doc = _parse(text, key, named)
    doc.set((*key, "clerk"), first)
    with_first = doc.text
    doc.set((*key, "clerk"), second)
    assert _parse(doc.text, key, named).get((*key, "clerk")) == second
    doc.set((*key, "clerk"), first)
    assert doc.text == with_first


@SETTINGS
@given(files())
def test_what_we_read_is_what_a_yaml_reader_reads(case: tuple[str, tuple[str, ...], bool]) -> None:
    text, key, named = case
    ours = _parse(text, key, named).get(())
    theirs = pyyaml.safe_load(text.lstrip("\ufeff")) or {}
    if named and isinstance(theirs.get(key[0]), list):
        theirs[key[0]] = {i["name"]: {k: v for k, v in i.items() if k != "name"} for i in theirs[key[0]]}
    assert ours == theirs
