"""Surgical edits to a YAML config (Goose, Continue, Hermes): set, replace or remove one entry.

ruamel.yaml parses (with line and column on every error, and every node's position) and renders the
new entry's text, but it does not write the file: a ruamel round trip re-indents sequences, re-wraps
long scalars and moves comments, so the file would change outside our entry. Placement is a splice of
whole lines, like the TOML editor, with these rules (tests pin each one):

- A member is its key line and every following line indented deeper (an indentless `- item` under a
  key counts as deeper), down to its last line of content: blank lines and comments after it belong
  to what follows. A new member goes after the last member of its mapping, at the siblings' column.
- A sequence of mappings each with a `name` (Continue's `mcpServers:` list) reads as a mapping keyed by
  that name: `("mcpServers", "clerk")` is the item whose `name` is `clerk`, without its `name` key.
  A new item is appended after the last one at the same dash column, `name` first.
- Removing what `set` inserted gives back the original bytes. A mapping written in flow style
  (`{a: 1}`) on the path is an error, except an empty `{}` that we replace.
- A file holding only comments and blank lines (or nothing) is an empty mapping; more than one
  document, a top level that is not a mapping, or a duplicate key is an error.
- Strings a YAML 1.1 reader (PyYAML: Hermes) would take for a boolean, null or number are quoted.
- After every edit the text is parsed again and must mean the old document with exactly that change.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from os import PathLike
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .errors import ConfigParseError, ConfigShapeError
from .text import BOM, decode, detect_newline, source_name

KeyPath = Sequence[str]
NAME = "name"
_HINT = "fix the YAML by hand and run the command again (nothing was written)"
# What YAML 1.1 resolves to something other than a string (PyYAML's implicit resolvers), plus YAML 1.2's.
_NOT_A_STRING = re.compile(
    r"(?i:y|yes|n|no|true|false|on|off|null|~|)\Z"
    r"|[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)\Z"
    r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?\Z|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
)

__all__ = ["YamlDocument"]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 16  # never wrap a long path or header
    return yaml


class YamlDocument:
    """A parsed YAML file whose entries can be read, set and removed by key path."""

    def __init__(self, text: str, source: str, root: CommentedMap | None, named_lists: Sequence[KeyPath] = ()) -> None:
        self._text = text
        self.source = source
        self._root = root
        self.named_lists = tuple(tuple(p) for p in named_lists)

    @classmethod
    def parse(
        cls, data: str | bytes, *, source: str | PathLike[str] | None = None, named_lists: Sequence[KeyPath] = ()
    ) -> YamlDocument:
        """Parse `data`; raise ConfigParseError (with line and column) rather than guess.

        `named_lists` are the paths that, when we create them, become lists of named items (Continue's
        `mcpServers`) instead of mappings."""
        name = source_name(source)
        text = decode(data, name)
        return cls(text, name, _load(text, name), named_lists)

    # -- reading --------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    def render(self) -> str:
        """The document as text, byte-identical outside the entries that were edited."""
        return self._text

    def to_bytes(self) -> bytes:
        return self._text.encode("utf-8")

    def has(self, path: KeyPath) -> bool:
        return self._find(_check(path)) is not None

    def get(self, path: KeyPath, default: Any = None) -> Any:
        """The plain value at `path` (named lists read as mappings), or `default`; `()` is the whole file."""
        if len(path) == 0:
            return _plain(self._root) if self._root is not None else {}
        found = self._find(_check(path))
        return default if found is None else _plain(found[-1][2])

    def raw(self, path: KeyPath) -> str | None:
        """The entry at `path` exactly as written: its lines (key or `- name:` line included), or None."""
        found = self._find(_check(path))
        if found is None:
            return None
        lines = self._text.splitlines(keepends=True)
        start, end = self._span(lines, found[-1][0], found[-1][1], path)
        return "".join(lines[start:end])

    def set_raw(self, path: KeyPath, raw: str) -> bool:
        """Put `raw` (an entry's exact lines from `raw()`) back in place of the entry at `path`, byte for byte."""
        path = _check(path)
        found = self._find(path)
        if found is None:
            return False
        parent, key, _ = found[-1]
        parsed = _load(raw.lstrip("\r\n"), self.source) if isinstance(parent, CommentedMap) else None
        if isinstance(parent, CommentedMap):
            value = _plain(parsed[key]) if parsed is not None and key in parsed else None
        else:
            items = _yaml().load(raw)
            value = _plain(_without_name(items[0])) if isinstance(items, list) and items else None
        if value is None:
            raise self._shape_error(path, "cannot take back text that is not that entry")
        lines = self._text.splitlines(keepends=True)
        start, end = self._span(lines, parent, key, path)
        self._splice(lines, start, end, raw, path, value)
        return True

    # -- editing --------------------------------------------------------------------------------

    def set(self, path: KeyPath, value: Any) -> bool:
        """Set the entry at `path`, creating missing parent mappings; False when it already holds `value`."""
        path = _check(path)
        if self.get(path) == value and self.has(path):
            return False
        lines = self._text.splitlines(keepends=True)
        newline = detect_newline(self._text)
        if self._root is None:
            block = _render_member(path[0], self._shape(path[:1], _wrap(path[1:], value)), 0, newline)
            self._splice(lines, len(lines), len(lines), block, path, value)
            return True
        node: Any = self._root
        for depth, key in enumerate(path):
            rest = path[depth + 1 :]
            if isinstance(node, CommentedSeq):
                index = _named_index(node, key, self.source, path[:depth])
                if index is None:
                    start = _seq_end(lines, node)
                    dash = _dash_col(lines, node, 0) if len(node) else None
                    if dash is None:
                        raise self._shape_error(path[:depth], "is an empty list we cannot place an item in")
                    block = _render_item(key, _wrap(rest, value), dash, newline)
                    self._splice(lines, start, start, block, path, value)
                    return True
                if not rest:
                    start, end = _item_span(lines, node, index)
                    block = _render_item(key, value, _dash_col(lines, node, index), newline)
                    self._splice(lines, start, end, block, path, value)
                    return True
                node = node[index]
                continue
            if not isinstance(node, CommentedMap):
                raise self._shape_error(path[:depth], "is not a mapping")
            if _is_flow(node) and len(node):
                raise self._shape_error(path[:depth], "is written in flow style ({…}); we only edit block style")
            if key not in node:
                if not len(node):
                    raise self._shape_error(path[:depth], "is an empty flow mapping we cannot place an entry in")
                col = node.lc.key(next(iter(node)))[1]
                start = max(_member_span(lines, node, k)[1] for k in node)
                block = _render_member(key, self._shape(path[: depth + 1], _wrap(rest, value)), col, newline)
                self._splice(lines, start, start, block, path, value)
                return True
            child = node[key]
            col = node.lc.key(key)[1]
            if rest and isinstance(child, CommentedMap | CommentedSeq) and not len(child):  # `key: {}` / `key: []`
                line = node.lc.key(key)[0]
                lines[line] = _drop_empty_flow(lines[line], node.lc.value(key), line, self)
                block = self._block_below(path[: depth + 1], rest, value, col + 2, newline)
                self._splice(lines, line + 1, line + 1, block, path, value)
                return True
            if not rest:
                start, end = _member_span(lines, node, key)
                block = _render_member(key, self._shape(path[: depth + 1], _wrap(rest, value)), col, newline)
                self._splice(lines, start, end, block, path, value)
                return True
            if child is None:  # `extensions:` with nothing under it: the new member goes below the key
                end = _member_span(lines, node, key)[1]
                block = self._block_below(path[: depth + 1], rest, value, col + 2, newline)
                self._splice(lines, end, end, block, path, value)
                return True
            node = child
        raise AssertionError("unreachable")

    def remove(self, path: KeyPath) -> bool:
        """Remove the entry at `path` (its lines and nothing else); False when it is not there."""
        path = _check(path)
        found = self._find(path)
        if found is None:
            return False
        parent, key, _ = found[-1]
        lines = self._text.splitlines(keepends=True)
        if len(parent) == 1 and len(found) > 1 and isinstance(found[-2][0], CommentedMap):
            # the container becomes empty: it goes back to the `{}` / `[]` it was before we wrote into it
            grand, grand_key, _ = found[-2]
            line = grand.lc.key(grand_key)[0]
            lines[line] = _add_empty_flow(lines[line], grand.lc.key(grand_key)[1], isinstance(parent, CommentedSeq))
        start, end = self._span(lines, parent, key, path)
        self._splice(lines, start, end, "", path, None)
        return True

    # -- internals ------------------------------------------------------------------------------

    def _span(self, lines: list[str], parent: Any, key: Any, path: Sequence[str]) -> tuple[int, int]:
        """The lines [start, end) of the member or named item `key` of `parent`."""
        if isinstance(parent, CommentedSeq):
            return _item_span(lines, parent, key)
        if _is_flow(parent):
            raise self._shape_error(path[:-1], "is written in flow style ({…}); we only edit block style")
        return _member_span(lines, parent, key)

    def _block_below(self, at: tuple[str, ...], rest: tuple[str, ...], value: Any, col: int, newline: str) -> str:
        """The lines that go under the (empty) key at `at`: list items for a named list, else members."""
        if at in self.named_lists:
            return _render_item(rest[0], _wrap(rest[1:], value), col, newline)
        return _render_member(rest[0], self._shape((*at, rest[0]), _wrap(rest[1:], value)), col, newline)

    def _shape(self, at: tuple[str, ...], value: Any) -> Any:
        """`value` (to be written at `at`) with every named-list path in it turned into a list of named items."""
        if not isinstance(value, dict):
            return value
        if at in self.named_lists:
            return [{NAME: name, **(item if isinstance(item, dict) else {})} for name, item in value.items()]
        return {key: self._shape((*at, key), item) for key, item in value.items()}

    def _find(self, path: tuple[str, ...]) -> list[tuple[Any, Any, Any]] | None:
        """Each step of `path` as (container, key or index, value), or None when a step is missing."""
        node: Any = self._root
        steps: list[tuple[Any, Any, Any]] = []
        for depth, key in enumerate(path):
            if isinstance(node, CommentedMap) and key in node:
                steps.append((node, key, node[key]))
                node = node[key]
            elif isinstance(node, CommentedSeq):
                index = _named_index(node, key, self.source, path[:depth])
                if index is None:
                    return None
                steps.append((node, index, _without_name(node[index])))
                node = node[index]
            else:
                return None
        return steps

    def _splice(self, lines: list[str], start: int, end: int, block: str, path: tuple[str, ...], value: Any) -> None:
        """Replace lines [start, end) with `block`; a file without a final newline keeps lacking one."""
        unterminated = bool(lines) and not lines[-1].endswith(("\n", "\r"))
        head, tail = "".join(lines[:start]), "".join(lines[end:])
        if end == len(lines) and unterminated:
            if block:
                block = block.removesuffix(detect_newline(self._text))
                if start == len(lines):
                    head += detect_newline(self._text)
            elif start > 0:
                head = "".join(lines[: start - 1]) + lines[start - 1].rstrip("\r\n")
        text = head + block + tail
        self._commit(text, path, value)

    def _commit(self, text: str, path: tuple[str, ...], value: Any) -> None:
        """Keep `text` only if it means the old document with exactly this one change."""
        root = _load(text, self.source)
        new = YamlDocument(text, self.source, root, self.named_lists)
        old_rest, new_rest = _drop(self.get(()), path), _drop(new.get(()), path)
        meant = new.get(path) == value and new.has(path) if value is not None else not new.has(path)
        if old_rest != new_rest or not meant:
            raise self._shape_error(path, "could not be edited without changing something else in the file")
        self._text, self._root = text, root

    def _shape_error(self, path: Sequence[str], problem: str) -> ConfigShapeError:
        where = ".".join(path) or "the top level"
        return ConfigShapeError(
            self.source, 1, 1, f"'{where}' {problem}", "edit that part by hand or move it aside, then run again"
        )


# -- parsing ------------------------------------------------------------------------------------------


def _load(text: str, source: str) -> CommentedMap | None:
    body = text[1:] if text.startswith(BOM) else text
    try:
        root = _yaml().load(body)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(error.problem or error.context or "invalid YAML").split())
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        raise ConfigParseError(source, line, column, problem, _HINT) from None
    except YAMLError as error:
        raise ConfigParseError(source, 1, 1, " ".join(str(error).split()), _HINT) from None
    if root is not None and not isinstance(root, CommentedMap):
        kind = "a list" if isinstance(root, list) else "a single value"
        raise ConfigShapeError(source, 1, 1, f"the top level is {kind}, not a mapping", _HINT)
    return root


def _plain(node: Any) -> Any:
    """JSON-like Python values; a list of uniquely named mappings reads as a mapping keyed by name."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        names = [i.get(NAME) for i in node if isinstance(i, dict)]
        if (
            node
            and len(names) == len(node)
            and all(isinstance(n, str) for n in names)
            and len(set(names)) == len(names)
        ):
            return {i[NAME]: _plain(_without_name(i)) for i in node}
        return [_plain(i) for i in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _without_name(item: Any) -> Any:
    if isinstance(item, dict):
        return {k: v for k, v in item.items() if k != NAME}
    return item


def _named_index(seq: CommentedSeq, name: str, source: str, where: Sequence[str]) -> int | None:
    found = [n for n, i in enumerate(seq) if isinstance(i, dict) and i.get(NAME) == name]
    if len(found) > 1:
        line = seq.lc.item(found[1])[0] + 1
        raise ConfigShapeError(
            source, line, 1, f"'{'.'.join(where)}' has two items named {name!r}", "remove one of them by hand"
        )
    return found[0] if found else None


def _is_flow(node: Any) -> bool:
    return bool(node.fa.flow_style())


# -- spans --------------------------------------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _block_end(lines: list[str], start: int, col: int, dash_continues: bool) -> int:
    """The line after the last content line of the block that starts at `start` and column `col`."""
    end = start + 1
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if not _is_content(line):
            continue
        indent = _indent(line)
        body = line[indent:]
        if body.startswith(("---", "...")) and indent == 0:
            break
        if indent < col or (indent == col and not (dash_continues and (body.startswith("- ") or body.rstrip() == "-"))):
            break
        end = n + 1
    return end


def _member_span(lines: list[str], node: CommentedMap, key: Any) -> tuple[int, int]:
    line, col = node.lc.key(key)
    return line, _block_end(lines, line, col, dash_continues=True)


def _dash_col(lines: list[str], seq: CommentedSeq, index: int) -> int:
    line, col = seq.lc.item(index)
    dash = lines[line].rfind("-", 0, col)
    if dash < 0 or lines[line][:dash].strip():
        raise ConfigShapeError("", line + 1, col + 1, "a list item laid out in a way we cannot edit", _HINT)
    return dash


def _item_span(lines: list[str], seq: CommentedSeq, index: int) -> tuple[int, int]:
    line = seq.lc.item(index)[0]
    return line, _block_end(lines, line, _dash_col(lines, seq, index), dash_continues=False)


def _seq_end(lines: list[str], seq: CommentedSeq) -> int:
    return max(_item_span(lines, seq, n)[1] for n in range(len(seq))) if len(seq) else 0


_EMPTY_FLOW = re.compile(r"[ \t]*(?:\{[ \t]*\}|\[[ \t]*\])")
_KEY_COLON = re.compile(r"(?:\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^:#\r\n]+?)[ \t]*:")


def _drop_empty_flow(line: str, value_at: tuple[int, int], number: int, doc: YamlDocument) -> str:
    """`key: {}  # c` → `key:  # c`, so members can go below the key."""
    value_line, value_col = value_at
    colon = line.rfind(":", 0, value_col) if value_line == number else -1
    match = _EMPTY_FLOW.match(line, colon + 1) if colon >= 0 else None
    if match is None:
        raise doc._shape_error((), f"has an empty {{}} or [] laid out in a way we cannot edit (line {number + 1})")
    return line[: colon + 1] + line[match.end() :]


def _add_empty_flow(line: str, col: int, is_list: bool) -> str:
    """`key:  # c` → `key: {}  # c` (or `[]`): the inverse of `_drop_empty_flow`."""
    match = _KEY_COLON.match(line, col)
    if match is None:
        return line
    return line[: match.end()] + (" []" if is_list else " {}") + line[match.end() :]


# -- rendering ----------------------------------------------------------------------------------------


def _quoted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _quoted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    if isinstance(value, str) and (_NOT_A_STRING.match(value) or value != value.strip()):
        return DoubleQuotedScalarString(value)
    return value


def _dump(value: dict[str, Any]) -> str:
    out = io.StringIO()
    _yaml().dump(_quoted(value), out)
    return out.getvalue()


def _render_member(key: str, value: Any, col: int, newline: str) -> str:
    text = _dump({key: value})
    return "".join(" " * col + line + newline for line in text.splitlines())


def _render_item(name: str, value: Any, dash: int, newline: str) -> str:
    item = {NAME: name, **(value if isinstance(value, dict) else {})}
    lines = _dump(item).splitlines()
    out = [" " * dash + "- " + lines[0]] + [" " * (dash + 2) + line for line in lines[1:]]
    return "".join(line + newline for line in out)


def _wrap(path: Sequence[str], value: Any) -> Any:
    for key in reversed(path):
        value = {key: value}
    return value


def _drop(data: Any, path: Sequence[str]) -> Any:
    """`data` without the member at `path` (for comparing everything else)."""
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        if not isinstance(node, dict) or key not in node:
            return _prune(data)
        node = node[key]
    if isinstance(node, dict):
        node.pop(path[-1], None)
        # an emptied or new container compares as absent
    return _prune(data)


def _prune(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _prune(v) for k, v in data.items() if not (isinstance(v, dict | list) and not v) and v is not None}
    return data


def _check(path: KeyPath) -> tuple[str, ...]:
    if isinstance(path, str) or not path or not all(isinstance(k, str) for k in path):
        raise TypeError(f"a key path is a non-empty sequence of strings, not {path!r}")
    return tuple(path)
