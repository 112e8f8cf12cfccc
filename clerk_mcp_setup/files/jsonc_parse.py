"""A lossless scan of JSON / JSONC text into a tree of byte spans (code-point offsets into the text).

The tree records where every object, member, key, value and comma is, and nothing else: the text
itself stays the single source of truth, and edits are splices at these offsets. Comments and
whitespace are not stored; they are whatever lies between the spans. The scan is regex-driven so a
2 MB `~/.claude.json` takes a fraction of a second.
"""

from __future__ import annotations

import gc
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import ConfigParseError, ConfigShapeError
from .text import BOM, position, skipper

MAX_DEPTH = 256


class Dialect(StrEnum):
    """How much a client forgives beyond strict JSON."""

    STRICT = "strict"  # Claude Desktop, Claude Code, Cursor, Windsurf
    JSONC = "jsonc"  # VS Code mcp.json, Zed settings.json: comments and trailing commas
    JSONC_NO_TRAILING_COMMAS = "jsonc_no_trailing_commas"  # Gemini CLI: comments only
    # OpenClaw's openclaw.json is read with JSON5.parse (docs.openclaw.ai/gateway/configuration): on top of
    # JSONC, identifier keys, 'single-quoted' strings, hex, +, Infinity and NaN. New text is plain JSON.
    JSON5 = "json5"

    @property
    def comments(self) -> bool:
        return self is not Dialect.STRICT

    @property
    def trailing_commas(self) -> bool:
        return self in (Dialect.JSONC, Dialect.JSON5)


@dataclass(slots=True)
class Node:
    """A value: `start`/`end` enclose its text; `kind` is object, array, string, number, true, false, null."""

    kind: str
    start: int
    end: int
    members: list[Member] = field(default_factory=list)  # objects
    items: list[Node] = field(default_factory=list)  # arrays
    commas: list[int] = field(default_factory=list)  # arrays: offset of the comma after each item, or -1


@dataclass(slots=True)
class Member:
    """One `"key": value` of an object; `comma` is the offset of the comma after it, or -1."""

    key: str
    key_start: int
    value: Node
    comma: int = -1


_WS = re.compile(r"[ \t\r\n]*")
_WS_COMMENTS = re.compile(r"[ \t\r\n]*(?:(?://[^\r\n]*|/\*.*?\*/)[ \t\r\n]*)*", re.DOTALL)
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]+|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_STRING_LOOSE = re.compile(r'"(?:[^"\\\r\n]+|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')  # JSONC: raw tabs etc.
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")
_NUMBER_HEAD = re.compile(r"-?[0-9]")
# JSON5 additions (spec.json5.org): ECMAScript identifier keys (ASCII here), single quotes, more numbers.
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_STRING_SINGLE = re.compile(r"'(?:[^'\\\r\n]+|\\[^\r\n])*'")
_SCALAR5 = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F]+|Infinity|NaN|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)|true|false|null"
)


class _Parser:
    def __init__(self, text: str, dialect: Dialect, source: str) -> None:
        self.text = text
        self.dialect = dialect
        self.source = source
        self.skip = skipper(_WS_COMMENTS if dialect.comments else _WS)
        self.string = (_STRING_LOOSE if dialect.comments else _STRING).match
        self.saw_trailing_comma = False

    # -- errors ---------------------------------------------------------------------------------

    def fail(self, offset: int, problem: str, hint: str | None = None) -> ConfigParseError:
        line, column = position(self.text, offset)
        return ConfigParseError(self.source, line, column, problem, hint or self.default_hint())

    def default_hint(self) -> str:
        kind = {Dialect.STRICT: "strict JSON (no comments, no trailing commas)"}.get(self.dialect, "JSON with comments")
        return f"this file must be {kind}; fix it by hand and run the command again (nothing was written)"

    def unexpected(self, pos: int, wanted: str) -> ConfigParseError:
        text = self.text
        if pos >= len(text):
            return self.fail(pos, f"the file ends early: expected {wanted}", "the file looks truncated")
        char = text[pos]
        if char == "/" and text.startswith(("//", "/*"), pos):
            if not self.dialect.comments:
                return self.fail(pos, "a comment, which strict JSON does not allow", "remove the comment")
            return self.fail(pos, "a /* comment that is never closed with */", "close or remove it")
        if char == '"':
            if self.string(text, pos) is None:
                return self.bad_string(pos)
            return self.fail(pos, f"unexpected string: expected {wanted}")
        shown = char if char.isprintable() else repr(char)
        return self.fail(pos, f"unexpected {shown!r}: expected {wanted}")

    def bad_string(self, pos: int) -> ConfigParseError:
        text = self.text
        i = pos + 1
        while i < len(text):
            char = text[i]
            if char == '"':
                break
            if char == "\\":
                if not re.match(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})', text[i : i + 6]):
                    return self.fail(i, "an invalid escape in a string", 'use \\\\ for a backslash, \\" for a quote')
                i += 2
                continue
            if char in "\r\n":
                break
            if ord(char) < 0x20:
                return self.fail(i, "a control character inside a string", "write it as an escape such as \\t")
            i += 1
        return self.fail(pos, "a string that is never closed", 'add the missing " or check for a truncated file')

    # -- grammar --------------------------------------------------------------------------------

    def document(self) -> Node | None:
        """The top-level object, or None when the file holds only whitespace and comments."""
        start = 1 if self.text.startswith(BOM) else 0
        pos = self.skip(self.text, start)
        if pos >= len(self.text):
            return None
        if self.text[pos] != "{":
            value = self.value(pos, 0)
            kind = "an array" if value.kind == "array" else f"a {value.kind}"
            line, column = position(self.text, pos)
            raise ConfigShapeError(
                self.source,
                line,
                column,
                f"the top level is {kind}, not an object",
                "this file must hold one JSON object ({ … }); fix or move it and run the command again",
            )
        root = self.value(pos, 0)
        end = self.skip(self.text, root.end)
        if end < len(self.text):
            raise self.fail(end, "unexpected text after the end of the top-level object")
        return root

    def value(self, pos: int, depth: int) -> Node:
        text = self.text
        char = text[pos] if pos < len(text) else ""
        if char == "{":
            return self.obj(pos, depth + 1)
        if char == "[":
            return self.array(pos, depth + 1)
        if char == '"':
            match = self.string(text, pos)
            if match is None:
                raise self.bad_string(pos)
            return Node("string", pos, match.end())
        if self.dialect is Dialect.JSON5 and char == "'":
            match = _STRING_SINGLE.match(text, pos)
            if match is None:
                raise self.fail(pos, "a string that is never closed", "add the missing ' or check for a truncated file")
            return Node("string", pos, match.end())
        match = (_SCALAR5 if self.dialect is Dialect.JSON5 else _SCALAR).match(text, pos)
        if match is None:
            raise self.unexpected(pos, "a value")
        word = match.group()
        end = match.end()
        if end < len(text) and (text[end].isalnum() or text[end] in "._+-"):
            raise self.fail(pos, f"{word + text[end]!r}… is not a JSON value", "check numbers and true/false/null")
        return Node(word if word in ("true", "false", "null") else "number", pos, end)

    def check_depth(self, pos: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.fail(pos, f"values nested more than {MAX_DEPTH} deep", "this is not a config file")

    def obj(self, start: int, depth: int) -> Node:
        self.check_depth(start, depth)
        text, skip, string = self.text, self.skip, self.string
        node = Node("object", start, start)
        members = node.members
        pos = skip(text, start + 1)
        comma = -1
        while True:
            char = text[pos] if pos < len(text) else ""
            if char == "}":
                if comma >= 0 and not self.dialect.trailing_commas:
                    raise self.fail(comma, "a trailing comma before }", "remove the comma")
                self.saw_trailing_comma |= comma >= 0
                node.end = pos + 1
                return node
            if members and comma < 0:
                raise self.unexpected(pos, "',' or '}' after an object member")
            if self.dialect is Dialect.JSON5 and char != '"':
                match = (_STRING_SINGLE if char == "'" else _IDENT).match(text, pos)
                if match is None:
                    raise self.unexpected(pos, "a key or '}'")
                key = _string5(match.group()) if char == "'" else match.group()
            else:
                if char != '"':
                    raise self.unexpected(pos, "a quoted key or '}'")
                match = string(text, pos)
                if match is None:
                    raise self.bad_string(pos)
                raw = match.group()
                key = raw[1:-1] if "\\" not in raw else json.loads(raw, strict=False)
            pos = skip(text, match.end())
            if not text.startswith(":", pos):
                raise self.unexpected(pos, "':' after the key")
            pos = skip(text, pos + 1)
            value = self.value(pos, depth)
            member = Member(key, match.start(), value)
            members.append(member)
            pos = skip(text, value.end)
            if text.startswith(",", pos):
                member.comma = comma = pos
                pos = skip(text, pos + 1)
            else:
                comma = -1

    def array(self, start: int, depth: int) -> Node:
        self.check_depth(start, depth)
        text, skip = self.text, self.skip
        node = Node("array", start, start)
        items = node.items
        pos = skip(text, start + 1)
        comma = -1
        while True:
            if text.startswith("]", pos):
                if comma >= 0 and not self.dialect.trailing_commas:
                    raise self.fail(comma, "a trailing comma before ]", "remove the comma")
                self.saw_trailing_comma |= comma >= 0
                node.end = pos + 1
                return node
            if items and comma < 0:
                raise self.unexpected(pos, "',' or ']' after an array item")
            item = self.value(pos, depth)
            items.append(item)
            pos = skip(text, item.end)
            if text.startswith(",", pos):
                comma = pos
                pos = skip(text, pos + 1)
            else:
                comma = -1
            node.commas.append(comma)


@dataclass(slots=True)
class ParsedJson:
    """A scanned document: the root object (None for an empty file) and what the scan noticed."""

    root: Node | None
    saw_trailing_comma: bool


def scan(text: str, dialect: Dialect, source: str) -> ParsedJson:
    """Scan `text` or raise ConfigParseError / ConfigShapeError with the line and column of the problem."""
    parser = _Parser(text, dialect, source)
    # The tree is acyclic; pausing the cycle collector while it is built halves the time on big files.
    collecting = gc.isenabled()
    gc.disable()
    try:
        root = parser.document()
    finally:
        if collecting:
            gc.enable()
    return ParsedJson(root, parser.saw_trailing_comma)


def to_python(text: str, node: Node) -> Any:
    """The Python value of a scanned node (for a duplicated key the last one wins, as in JSON.parse)."""
    kind = node.kind
    if kind == "object":
        return {m.key: to_python(text, m.value) for m in node.members}
    if kind == "array":
        return [to_python(text, item) for item in node.items]
    raw = text[node.start : node.end]
    if kind == "string":
        if raw.startswith("'"):
            return _string5(raw)
        return raw[1:-1] if "\\" not in raw else json.loads(raw, strict=False)
    if kind == "number" and not _SCALAR.fullmatch(raw):
        return _number5(raw)
    return json.loads(raw)


def _string5(raw: str) -> str:
    """A JSON5 single-quoted string's value: re-quote it as JSON and let `json` decode the escapes."""
    inner = re.sub(r"\\\\|\\'|\"", lambda m: {"\\'": "'", '"': '\\"'}.get(m.group(), m.group()), raw[1:-1])
    return json.loads(f'"{inner}"', strict=False)


def _number5(raw: str) -> int | float:
    sign = -1 if raw.startswith("-") else 1
    body = raw.lstrip("+-")
    if body[:2] in ("0x", "0X"):
        return sign * int(body, 16)
    if body in ("Infinity", "NaN"):
        return sign * float(body.lower().replace("infinity", "inf"))
    value = float(body)
    return sign * (int(value) if re.fullmatch(r"[0-9]+", body) else value)
