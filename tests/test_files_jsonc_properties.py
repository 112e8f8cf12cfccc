"""Property tests: on randomly formatted JSON/JSONC files, edits never touch bytes outside our member."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_mcp_setup.files import Dialect, JsoncDocument

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = st.text(alphabet=st.sampled_from('abcXYZ_-/ é"\\\u2028'), min_size=1, max_size=6)
SCALAR_TEXT = st.sampled_from(
    ["1", "-0.0", "1.50e3", "1E5", "true", "false", "null", '"x"', '"caf\\u00e9"', '"a\\/b"', '""', '"é"']
)
COMMENT = st.sampled_from(['// note, with { and "', "/* c */", '/* { "k": 1, } */', "// http://x"])
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**20) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)


@dataclass
class Style:
    dialect: Dialect
    newline: str
    unit: str
    trailing: bool


@dataclass
class Doc:
    text: str
    style: Style
    objects: list[tuple[str, ...]]  # paths of every object, root included
    members: list[tuple[str, ...]]  # paths of every member whose parents are objects


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    dialect = draw(st.sampled_from(list(Dialect)))
    style = Style(
        dialect,
        draw(st.sampled_from(["\n", "\r\n"])),
        draw(st.sampled_from(["  ", "    ", "\t"])),
        dialect is Dialect.JSONC and draw(st.booleans()),
    )
    objects: list[tuple[str, ...]] = []
    members: list[tuple[str, ...]] = []

    def comment() -> str:
        return draw(COMMENT) if style.dialect.comments and draw(st.integers(0, 3)) == 0 else ""

    def value(path: tuple[str, ...], indent: str, depth: int) -> str:
        kind = draw(st.sampled_from(["scalar", "object", "array"] if depth < 3 else ["scalar"]))
        if kind == "scalar":
            return draw(SCALAR_TEXT)
        if kind == "array":
            items = [draw(SCALAR_TEXT) for _ in range(draw(st.integers(0, 3)))]
            return "[" + ", ".join(items) + ("," if items and style.trailing else "") + "]"
        return obj(path, indent, depth)

    def obj(path: tuple[str, ...], indent: str, depth: int) -> str:
        objects.append(path)
        keys = draw(st.lists(KEYS, max_size=4, unique=True))
        if not keys:
            return "{}"
        nl, inner = style.newline, indent + style.unit
        compact = draw(st.integers(0, 4)) == 0
        parts = []
        for n, key in enumerate(keys):
            members.append((*path, key))
            last = n == len(keys) - 1
            head = json.dumps(key, ensure_ascii=draw(st.booleans())) + ": " + value((*path, key), inner, depth + 1)
            comma = "," if not last or style.trailing else ""
            if compact:
                parts.append(head + comma + (" " if not last else ""))
                continue
            above = comment()
            after = comment()
            lines = (inner + above + nl if above else "") + inner + head + comma
            if after:
                lines += " " + after
            parts.append(nl + lines)
        if compact:
            return "{" + "".join(parts) + "}"
        closing = comment()
        tail = (nl + inner + closing if closing else "") + nl + indent + "}"
        return "{" + "".join(parts) + tail

    head = comment()
    body = obj((), "", 0)
    foot = comment()
    text = (head + style.newline if head else "") + body + (style.newline + foot if foot else "") + style.newline
    if draw(st.integers(0, 5)) == 0:
        text = "\ufeff" + text
    return Doc(text, style, objects, members)


def _only_insertions(before: str, after: str) -> bool:
    """True when `after` is `before` with text inserted (whitespace inside `{ }` may go)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("delete", "replace") and before[i1:i2].strip(" \t\r\n"):
            return False
    return True


@SETTINGS
@given(documents())
def test_parse_then_render_is_identity(doc: Doc) -> None:
    parsed = JsoncDocument.parse(doc.text.encode("utf-8"), doc.style.dialect)
    assert parsed.to_bytes() == doc.text.encode("utf-8")
    assert parsed.render() == doc.text


@SETTINGS
@given(documents(), st.data(), VALUES)
def test_set_then_remove_is_identity_when_the_key_was_absent(doc: Doc, data: st.DataObject, value: Any) -> None:
    parent = data.draw(st.sampled_from(doc.objects))
    parsed = JsoncDocument.parse(doc.text, doc.style.dialect)
    existing = set(parsed.get(parent))
    key = data.draw(KEYS.filter(lambda k: k not in existing))
    path = (*parent, key)
    assert parsed.set(path, value)
    assert parsed.get(path) == value
    after = parsed.text
    assert _only_insertions(doc.text, after)
    assert "\n" not in after.replace("\r\n", "") or doc.style.newline == "\n"
    if doc.style.dialect is not Dialect.JSONC:
        json.loads(_strip_comments(after))
    reparsed = JsoncDocument.parse(after, doc.style.dialect)
    assert reparsed.remove(path)
    assert reparsed.text == doc.text


@SETTINGS
@given(documents(), st.data(), VALUES)
def test_replacing_a_member_changes_only_its_value(doc: Doc, data: st.DataObject, value: Any) -> None:
    if not doc.members:
        return
    path = data.draw(st.sampled_from(doc.members))
    parsed = JsoncDocument.parse(doc.text, doc.style.dialect)
    start, end = parsed.span(path) or (0, 0)
    parsed.set(path, value)
    assert parsed.get(path) == value
    after = parsed.text
    assert after.startswith(doc.text[:start])
    assert after.endswith(doc.text[end:])


@SETTINGS
@given(documents(), st.data())
def test_removing_a_member_keeps_everything_else(doc: Doc, data: st.DataObject) -> None:
    if not doc.members:
        return
    path = data.draw(st.sampled_from(doc.members))
    parsed = JsoncDocument.parse(doc.text, doc.style.dialect)
    everything = parsed.get(path[:-1])
    assert parsed.remove(path)
    again = JsoncDocument.parse(parsed.text, doc.style.dialect)
    expected = dict(everything)
    del expected[path[-1]]
    assert again.get(path[:-1]) == expected


def _strip_comments(text: str) -> str:
    """The text without its comments, for checking the result with the standard library."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = len(text) if j < 0 else j
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        else:
            out.append(char)
            i += 1
    return "".join(out).lstrip("\ufeff")
