"""Surgical edits to JSON and JSONC config files: one member changes, every other byte stays.

Why not a library: json-five (the one Python library that round-trips comments) does reproduce a
commented, CRLF file exactly, but it takes ~5.6 s to load a 2.4 MB `~/.claude.json` (the file Claude
Code rewrites under our feet, so the read-edit-write window must be short), it accepts all of JSON5
(single quotes, bare keys, hex) so it cannot tell us a strict client would reject the file, and
inserting a member means hand-building its whitespace and comma nodes anyway. Here a regex scan
(`jsonc_parse`) finds byte spans and edits are splices of freshly rendered text at those spans.

Rules the editor follows (tests pin each one):
- A new member goes after the last member of its object, on its own line at the indent of its
  siblings, rendered multi-line with the file's indent unit and line ending. If the last member
  had a trailing comma (JSONC), the new one gets one too; strict files never get one. No comment
  is ever added.
- Replacing a member rewrites only its value's span; an equal value leaves the file untouched.
- Removing a member removes its key, value, comma and any comment on the rest of its last line
  (`"x": {…}, // note`). Comments on the lines above it stay: they may describe what follows, or be
  a commented-out entry, and we cannot tell. Removing what `set` inserted gives back the original
  bytes; an object left with only whitespace inside collapses to `{}`.
- Array items (VS Code's `inputs`) are appended and removed one at a time by the same rules as
  members, so the other items keep their text, comments and trailing commas.
- A file holding only whitespace and comments (or nothing) counts as an empty object: `set` keeps
  that text and appends a new object after it; `get` finds nothing; `remove` does nothing.
- A file whose top level is not an object is an error, and so is a non-object where the key path
  needs an object (`"mcpServers": null`): we do not replace what we did not write.
- Duplicate keys are tolerated elsewhere (the clients keep the last one), but a duplicate on the
  path being read or edited is an error, since editing either copy could silently do nothing.
- Every edit is checked before it is kept: the new text is scanned again and must mean exactly the
  old document with that one change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from os import PathLike
from typing import Any

from clerk_mcp_setup.errors import ConfigFileError

from .errors import ConfigParseError, ConfigShapeError
from .jsonc_parse import Dialect, Member, Node, ParsedJson, scan, to_python
from .text import (
    BOM,
    assign_path,
    decode,
    detect_newline,
    detect_unit,
    discard_path,
    line_indent,
    line_start,
    position,
    skipper,
    source_name,
)

KeyPath = Sequence[str]
Edit = tuple[int, int, str]

_COMMENT = re.compile(r"//[^\r\n]*|/\*.*?\*/", re.DOTALL)
_skip_spaces = skipper(re.compile(r"[ \t]*"))

__all__ = ["Dialect", "JsoncDocument", "KeyPath"]


class JsoncDocument:
    """A parsed JSON/JSONC file that can read, set and remove members by key path."""

    def __init__(self, text: str, dialect: Dialect, source: str, parsed: ParsedJson) -> None:
        self._text = text
        self.dialect = dialect
        self.source = source
        self._parsed = parsed

    @classmethod
    def parse(
        cls,
        data: str | bytes,
        dialect: Dialect | str = Dialect.STRICT,
        *,
        source: str | PathLike[str] | None = None,
    ) -> JsoncDocument:
        """Parse `data`; raise ConfigParseError (with line and column) rather than guess."""
        name = source_name(source)
        text = decode(data, name)
        dialect = Dialect(dialect)
        return cls(text, dialect, name, scan(text, dialect, name))

    # -- reading --------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The document's current text (the original text until an edit)."""
        return self._text

    def render(self) -> str:
        """The document as text, byte-identical outside the members that were edited."""
        return self._text

    def to_bytes(self) -> bytes:
        """The document as UTF-8 bytes, ready for `safe_write.write_atomic`."""
        return self._text.encode("utf-8")

    @property
    def is_empty(self) -> bool:
        """True when the file has no top-level object yet (only whitespace and comments, or nothing)."""
        return self._parsed.root is None

    def has(self, path: KeyPath) -> bool:
        """Whether a member exists at `path`."""
        return self._member(path) is not None

    def get(self, path: KeyPath, default: Any = None) -> Any:
        """The Python value at `path`, or `default` when there is no such member; `()` is the whole file."""
        if not isinstance(path, str) and len(path) == 0:
            return self._python()
        member = self._member(path)
        return default if member is None else to_python(self._text, member.value)

    def raw(self, path: KeyPath) -> str | None:
        """The value at `path` exactly as written in the file (comments inside included)."""
        member = self._member(path)
        return None if member is None else self._text[member.value.start : member.value.end]

    def set_raw(self, path: KeyPath, raw: str) -> bool:
        """Put `raw` (a value's exact text, e.g. an entry as it was before we replaced it) at the existing
        member `path`, byte for byte; False when there is no such member."""
        path = _check_path(path)
        member = self._member(path)
        if member is None:
            return False
        value = to_python(raw, scan(raw, self.dialect, self.source).root)
        expected = self._python()
        assign_path(expected, path, value)
        edits = [(member.value.start, member.value.end, raw)]
        self._apply(edits, path, expected, lambda doc: doc.raw(path) == raw)
        return True

    def span(self, path: KeyPath) -> tuple[int, int] | None:
        """Start and end offsets in `text` of the value at `path` (for diffs and tests)."""
        member = self._member(path)
        return None if member is None else (member.value.start, member.value.end)

    def location(self, path: KeyPath) -> tuple[int, int] | None:
        """1-based line and column of the key at `path`, for messages."""
        member = self._member(path)
        return None if member is None else position(self._text, member.key_start)

    # -- editing --------------------------------------------------------------------------------

    def set(self, path: KeyPath, value: Any) -> bool:
        """Set the member at `path` to `value` (JSON-able), creating missing parent objects.

        Returns False when the member already held an equal value (nothing changed).
        """
        path = _check_path(path)
        wanted = _canonical(value)
        root = self._parsed.root
        if root is None:
            edits = [self._create_root(path, value)]
        else:
            obj, member, depth = self._walk(root, path)
            if member is not None:
                if _canonical(to_python(self._text, member.value)) == wanted:
                    return False
                base = line_indent(self._text, member.key_start)
                edits = [(member.value.start, member.value.end, self._render(value, base))]
            else:
                key, wrapped = path[depth], _wrap(path[depth + 1 :], value)
                edits = self._insert(obj, obj.members, lambda indent: self._member_text(key, wrapped, indent))
        expected = self._python()
        assign_path(expected, path, json.loads(wanted))
        self._apply(edits, path, expected, lambda doc: _canonical(doc.get(path)) == wanted)
        return True

    def append(self, path: KeyPath, item: Any) -> None:
        """Add `item` after the last item of the array at `path` (which must exist); other items keep their text."""
        path = _check_path(path)
        array = self._array(path)
        items = [*to_python(self._text, array), json.loads(_canonical(item))]
        expected = self._python()
        assign_path(expected, path, items)
        wanted = _canonical(items)
        edits = self._insert(array, _items(array), lambda indent: self._render(item, indent))
        self._apply(edits, path, expected, lambda doc: _canonical(doc.get(path)) == wanted)

    def remove_item(self, path: KeyPath, index: int) -> bool:
        """Remove item `index` of the array at `path` with its comma; False when there is no such item."""
        path = _check_path(path)
        array = self._array(path)
        if not 0 <= index < len(array.items):
            return False
        expected = self._python()
        kept = to_python(self._text, array)
        del kept[index]
        assign_path(expected, path, kept)
        wanted = _canonical(kept)
        edits = self._removal(array, _items(array), index)
        self._apply(edits, path, expected, lambda doc: _canonical(doc.get(path)) == wanted)
        return True

    def remove(self, path: KeyPath) -> bool:
        """Remove the member at `path`; returns False when there was none."""
        path = _check_path(path)
        root = self._parsed.root
        if root is None:
            return False
        obj, member, _ = self._walk(root, path)
        if member is None:
            return False
        expected = self._python()
        discard_path(expected, path)
        edits = self._removal(obj, obj.members, obj.members.index(member))
        self._apply(edits, path, expected, lambda doc: not doc.has(path))
        return True

    # -- navigation -----------------------------------------------------------------------------

    def _member(self, path: KeyPath) -> Member | None:
        path = _check_path(path)
        root = self._parsed.root
        if root is None:
            return None
        return self._walk(root, path)[1]

    def _array(self, path: tuple[str, ...]) -> Node:
        """The array at `path`; a missing member or a non-array is an error (callers create arrays with `set`)."""
        member = self._member(path)
        if member is None:
            raise KeyError(f"no member at {_describe(path)}")
        if member.value.kind != "array":
            line, column = position(self._text, member.value.start)
            raise ConfigShapeError(
                self.source,
                line,
                column,
                f"{_describe(path)} is {_a(member.value.kind)}, not an array",
                "make it an array ([ … ]) or remove it, then run the command again",
            )
        return member.value

    def _walk(self, root: Node, path: Sequence[str]) -> tuple[Node, Member | None, int]:
        """Follow `path`: the deepest object reached, the member at `path` (None when absent), and the
        depth of the first missing key (a duplicate or a non-object on the way is an error)."""
        obj = root
        for depth, key in enumerate(path):
            found = [m for m in obj.members if m.key == key]
            if len(found) > 1:
                line, column = position(self._text, found[1].key_start)
                raise ConfigShapeError(
                    self.source,
                    line,
                    column,
                    f"the key {_describe(path[: depth + 1])} appears more than once",
                    "delete one of the copies (the client uses the last one) and run the command again",
                )
            if not found:
                return obj, None, depth
            if depth == len(path) - 1:
                return obj, found[0], depth
            value = found[0].value
            if value.kind != "object":
                line, column = position(self._text, value.start)
                raise ConfigShapeError(
                    self.source,
                    line,
                    column,
                    f"{_describe(path[: depth + 1])} is {_a(value.kind)}, not an object",
                    "make it an object ({ … }) or remove it, then run the command again",
                )
            obj = value
        raise AssertionError("unreachable: paths are never empty")

    # -- rendering ------------------------------------------------------------------------------

    def _style(self) -> tuple[str, str]:
        return detect_unit(self._text), detect_newline(self._text)

    def _render(self, value: Any, base: str) -> str:
        """`value` as pretty JSON in the file's indent unit, continuation lines starting with `base`."""
        unit, newline = self._style()
        rendered = json.dumps(value, indent=unit, ensure_ascii=False, allow_nan=False)
        return rendered.replace("\n", newline + base)

    def _member_text(self, key: str, value: Any, indent: str) -> str:
        return f"{json.dumps(key, ensure_ascii=False)}: {self._render(value, indent)}"

    def _create_root(self, path: Sequence[str], value: Any) -> Edit:
        text = self._text
        newline = detect_newline(text)
        body = self._render(_wrap(path, value), "")
        content = text[1:] if text.startswith(BOM) else text
        separator = newline if content and not content.endswith("\n") else ""
        return (len(text), len(text), separator + body + newline)

    def _insert(self, obj: Node, members: list[Member], piece: Callable[[str], str]) -> list[Edit]:
        """Add `piece(indent)` (a member, or an array item) after the last of `members` of object/array `obj`."""
        text = self._text
        unit, newline = self._style()
        outer = line_indent(text, obj.start)
        if not members:
            return [self._insert_into_empty(obj, piece, outer + unit, outer, newline)]
        last = members[-1]
        trailing = "," if last.comma >= 0 else ""
        if _starts_line(text, last.key_start):
            indent = line_indent(text, last.key_start)
            new = newline + indent + piece(indent) + trailing
            tail = self._tail_end(last)
            if last.comma >= 0:
                return [(tail, tail, new)]
            if tail == last.value.end:
                return [(tail, tail, "," + new)]
            return [(tail, tail, new), (last.value.end, last.value.end, ",")]
        new = piece(outer)
        if last.comma >= 0:
            return [(last.comma + 1, last.comma + 1, " " + new + ",")]
        return [(last.value.end, last.value.end, ", " + new)]

    def _insert_into_empty(self, obj: Node, piece: Callable[[str], str], indent: str, outer: str, newline: str) -> Edit:
        text = self._text
        inside_start, inside_end = obj.start + 1, obj.end - 1
        inside = text[inside_start:inside_end]
        if not inside.strip(" \t\r\n"):
            return (inside_start, inside_end, newline + indent + piece(indent) + newline + outer)
        # Only comments inside: the new member goes after the last of them.
        anchor = inside_start + len(inside.rstrip(" \t\r\n"))
        comment_indent = line_indent(text, anchor - 1)
        if comment_indent != outer and comment_indent.startswith(outer):
            indent = comment_indent
        new = newline + indent + piece(indent)
        if "\n" not in text[anchor:inside_end]:
            new += newline + outer
        return (anchor, anchor, new)

    # -- removal --------------------------------------------------------------------------------

    def _tail_end(self, member: Member) -> int:
        """End of the member's comma and of comments on the rest of its last line."""
        text = self._text
        end = member.comma + 1 if member.comma >= 0 else member.value.end
        while True:
            probe = _skip_spaces(text, end)
            if text.startswith("//", probe):
                stop = text.find("\n", probe)
                stop = len(text) if stop < 0 else stop
                return stop - 1 if text[stop - 1] == "\r" else stop
            if text.startswith("/*", probe):
                close = text.find("*/", probe + 2)
                if close >= 0 and "\n" not in text[probe:close]:
                    end = close + 2
                    continue
            return end

    def _removal(self, obj: Node, members: list[Member], index: int) -> list[Edit]:
        text = self._text
        member = members[index]
        prev = members[index - 1] if index else None
        is_last = index == len(members) - 1
        tail = self._tail_end(member)
        edits: list[Edit] = []
        if _starts_line(text, member.key_start):
            start = line_start(text, member.key_start)
            newline_start = start - 2 if text[start - 2 : start] == "\r\n" else start - 1
            gap_start = prev.value.end if prev else obj.start + 1
            rest_of_line = text[tail : _line_end(text, tail)].strip(" \t\r")
            if rest_of_line and _ends_in_line_comment(text, gap_start, newline_start):
                edits.append((start, _skip_spaces(text, tail), ""))
            else:
                edits.append((newline_start, tail, ""))
            if is_last and member.comma < 0 and prev is not None:
                edits.append((prev.comma, prev.comma + 1, ""))
        elif not is_last:
            edits.append((member.key_start, _skip_spaces(text, tail), ""))
        elif prev is not None:
            if member.comma >= 0:
                edits.append((prev.comma + 1, member.comma + 1, ""))
            else:
                edits.append((prev.comma, member.value.end, ""))
        else:
            edits.append((member.key_start, tail, ""))
        if len(members) == 1:
            start, end, _ = edits[0]
            left = text[obj.start + 1 : start] + text[end : obj.end - 1]
            if not left.strip(" \t\r\n"):
                edits = [(obj.start + 1, obj.end - 1, "")]
        return edits

    # -- applying -------------------------------------------------------------------------------

    def _python(self) -> dict[str, Any]:
        root = self._parsed.root
        return {} if root is None else to_python(self._text, root)

    def _apply(
        self, edits: list[Edit], path: Sequence[str], expected: dict[str, Any], check: Callable[[JsoncDocument], bool]
    ) -> None:
        """Splice `edits` in and keep the result only if it means `expected` and passes `check`."""
        text = self._text
        for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
            text = text[:start] + replacement + text[end:]
        try:
            edited = JsoncDocument(text, self.dialect, self.source, scan(text, self.dialect, self.source))
            ok = check(edited) and edited._python() == expected
        except ConfigParseError as exc:
            ok, detail = False, exc.message
        else:
            detail = "the edited file did not read back as intended"
        if not ok:
            raise ConfigFileError(
                f"{self.source}: could not edit {_describe(path)} safely ({detail})",
                "nothing was written; edit the file by hand, and please report this file's layout",
            )
        self._text, self._parsed = edited._text, edited._parsed


def _check_path(path: KeyPath) -> tuple[str, ...]:
    if isinstance(path, str) or not path or not all(isinstance(k, str) for k in path):
        raise ValueError(f"a key path is a non-empty sequence of strings, not {path!r}")
    return tuple(path)


def _items(array: Node) -> list[Member]:
    """An array's items in the shape of members (no key), so inserting and removing share one code path."""
    return [Member("", item.start, item, comma) for item, comma in zip(array.items, array.commas, strict=True)]


def _wrap(path: Sequence[str], value: Any) -> Any:
    for key in reversed(path):
        value = {key: value}
    return value


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _describe(path: Sequence[str]) -> str:
    return "".join(f"[{json.dumps(key, ensure_ascii=False)}]" for key in path)


def _a(kind: str) -> str:
    return {"array": "an array", "object": "an object"}.get(kind, f"a {kind}")


def _starts_line(text: str, offset: int) -> bool:
    start = line_start(text, offset)
    return start > 0 and not text[start:offset].strip(" \t")


def _line_end(text: str, offset: int) -> int:
    stop = text.find("\n", offset)
    return len(text) if stop < 0 else stop


def _ends_in_line_comment(text: str, start: int, stop: int) -> bool:
    """Whether the comments-and-whitespace gap text[start:stop] ends inside a `//` comment."""
    last = None
    for last in _COMMENT.finditer(text, start, stop):  # noqa: B007 - only the last one matters
        pass
    return last is not None and last.group().startswith("//") and last.end() == stop
