"""Surgical edits to a TOML config (Codex's `config.toml`): set, replace or remove one table.

tomlkit writes the new table's text (quoting, escaping — a Windows path's backslashes come out as
valid TOML) and `tomllib` validates before and after. tomlkit's document API is not used to place
the table: adding a table after a comment that heads the next table put the new table between
them and glued the next header onto it, and deleting a table left an extra blank line. So placement
is a splice of whole lines, with these rules (tests pin each one):

- A table is its header line(s) — `[mcp_servers.NAME]` and every `[mcp_servers.NAME.…]` — and the
  lines under them, down to the last line of content. Comments directly above the next header
  belong to that header; blank lines after the content are not part of the table.
- A new table goes after the last table that shares its parent (the other `[mcp_servers.*]`), or
  at the end of the file, with one blank line before it; on removal that blank line goes too, so
  set-then-remove gives back the original bytes. A file that did not end with a newline still
  does not.
- A server written as an inline table or with dotted keys is an error: we only edit `[…]` tables.
- After every edit the whole text is re-parsed and compared, value for value, with what was meant.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

import tomlkit

from clerk_mcp_setup.errors import ConfigFileError

from .errors import ConfigParseError, ConfigShapeError
from .text import BOM, assign_path, decode, detect_newline, discard_path, position, source_name
from .toml_lines import Line, classify, split_lines

KeyPath = Sequence[str]

_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")

__all__ = ["TomlDocument"]


class TomlDocument:
    """A parsed TOML file whose tables can be read, set and removed by key path."""

    def __init__(self, text: str, source: str, data: dict[str, Any]) -> None:
        self._text = text
        self.source = source
        self._data = data

    @classmethod
    def parse(cls, data: str | bytes, *, source: str | PathLike[str] | None = None) -> TomlDocument:
        """Parse `data`; raise ConfigParseError (with line and column) rather than guess."""
        name = source_name(source)
        text = decode(data, name)
        return cls(text, name, _load(text, name))

    @property
    def text(self) -> str:
        """The document's current text."""
        return self._text

    def render(self) -> str:
        """The document as text, byte-identical outside the tables that were edited."""
        return self._text

    def to_bytes(self) -> bytes:
        """The document as UTF-8 bytes, ready for `safe_write.write_atomic`."""
        return self._text.encode("utf-8")

    def has(self, path: KeyPath) -> bool:
        """Whether a value exists at `path`."""
        return _lookup(self._data, _check_path(path)) is not _MISSING

    def get(self, path: KeyPath, default: Any = None) -> Any:
        """The value at `path` (plain Python types), or `default`."""
        found = _lookup(self._data, _check_path(path))
        return default if found is _MISSING else copy.deepcopy(found)

    def set(self, path: KeyPath, value: Mapping[str, Any]) -> bool:
        """Make the table at `path` hold exactly `value`; False when it already did."""
        path = _check_path(path)
        if not isinstance(value, Mapping):
            raise TypeError("a TOML table value must be a mapping")
        if _lookup(self._data, path) == value:
            return False
        self._check_parents(path)
        lines = self._lines()
        block = self._table_lines(path, value)
        runs = self._runs(lines, path)
        if runs:  # replace the first run in place; drop stray sub-tables elsewhere
            (start, end), *strays = runs
            edits = [(start, end, block)] + [self._widen(lines, *stray) for stray in strays]
        else:
            at = self._insertion_line(lines, path)
            gap = [self._newline()] if any(line.kind != "blank" for line in lines[:at]) else []
            edits = [(at, at, gap + block)]
        expected = copy.deepcopy(self._data)
        assign_path(expected, path, _lookup(tomllib.loads("".join(block)), path))
        self._apply(lines, edits, path, expected)
        return True

    def remove(self, path: KeyPath) -> bool:
        """Remove the table at `path` with its sub-tables; False when there was none."""
        path = _check_path(path)
        if _lookup(self._data, path) is _MISSING:
            return False
        lines = self._lines()
        runs = self._runs(lines, path)
        edits = [self._widen(lines, start, end) for start, end in runs]
        expected = copy.deepcopy(self._data)
        discard_path(expected, path)
        pruned = copy.deepcopy(expected)
        _prune(pruned, path[:-1])  # parents that only existed through our headers vanish with them
        self._apply(lines, edits, path, expected, pruned)
        return True

    def raw(self, path: KeyPath) -> str | None:
        """The table at `path` exactly as written (its header lines and sub-tables), or None."""
        path = _check_path(path)
        if _lookup(self._data, path) is _MISSING:
            return None
        lines = self._lines()
        return "".join("".join(line.text for line in lines[start:end]) for start, end in self._runs(lines, path))

    def set_raw(self, path: KeyPath, raw: str) -> bool:
        """Put `raw` (a table's exact text from `raw()`) in place of the table at `path`, byte for byte."""
        path = _check_path(path)
        if _lookup(self._data, path) is _MISSING:
            return False
        lines = self._lines()
        (start, end), *strays = self._runs(lines, path)
        block = split_lines(raw)
        edits = [(start, end, block)] + [self._widen(lines, *stray) for stray in strays]
        expected = copy.deepcopy(self._data)
        assign_path(expected, path, _lookup(_load(raw, self.source), path))
        self._apply(lines, edits, path, expected)
        return True

    # -- layout ---------------------------------------------------------------------------------

    def _lines(self) -> list[Line]:
        body = self._text[1:] if self._text.startswith(BOM) else self._text
        return classify(body)

    def _newline(self) -> str:
        return detect_newline(self._text)

    def _table_lines(self, path: tuple[str, ...], value: Mapping[str, Any]) -> list[str]:
        nested: Any = dict(value)
        for key in reversed(path):
            nested = {key: nested}
        try:
            rendered = tomlkit.dumps(nested)
        except (TypeError, ValueError, tomlkit.exceptions.TOMLKitError) as exc:
            raise TypeError(f"cannot write {value!r} as TOML: {exc}") from exc
        return split_lines(rendered.replace("\n", self._newline()))

    def _check_parents(self, path: tuple[str, ...]) -> None:
        node: Any = self._data
        for depth, key in enumerate(path[:-1]):
            node = node.get(key, {}) if isinstance(node, dict) else node
            if not isinstance(node, dict):
                raise self._shape_error(path[: depth + 1], "is not a table")

    def _runs(self, lines: list[Line], path: tuple[str, ...]) -> list[tuple[int, int]]:
        """Line ranges [start, end) of the table at `path`: runs of consecutive headers under `path`."""
        headers = _headers(lines)
        runs: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        for n, start in enumerate(headers):
            if lines[start].path[: len(path)] == path:
                end = _content_end(lines, start, _next(headers, n, lines))
                current = (current[0] if current else start, end)
            elif current:
                runs.append(current)
                current = None
        if current:
            runs.append(current)
        if not runs and _lookup(self._data, path) is not _MISSING:
            raise self._shape_error(path, "is written inline or with dotted keys; only [table] headers are edited")
        return runs

    def _insertion_line(self, lines: list[Line], path: tuple[str, ...]) -> int:
        """After the last table sharing the new table's parent, else after the file's last content."""
        headers = _headers(lines)
        parent = path[:-1]
        for n in range(len(headers) - 1, -1, -1):
            if parent and lines[headers[n]].path[: len(parent)] == parent:
                return _content_end(lines, headers[n], _next(headers, n, lines))
        if headers:
            return _content_end(lines, headers[-1], len(lines))
        return _content_end(lines, -1, len(lines))

    def _widen(self, lines: list[Line], start: int, end: int) -> tuple[int, int, list[str]]:
        """A removal of lines [start, end) with one blank line before them (after, at the top of the file)."""
        if start > 0 and lines[start - 1].kind == "blank":
            start -= 1
        elif start == 0 and end < len(lines) and lines[end].kind == "blank" and _has_content(lines[end:]):
            end += 1
        return (start, end, [])

    def _apply(
        self,
        lines: list[Line],
        edits: list[tuple[int, int, list[str]]],
        path: tuple[str, ...],
        *expected: dict[str, Any],
    ) -> None:
        texts = [line.text for line in lines]
        total = len(texts)
        unterminated = bool(texts) and not texts[-1].endswith("\n")
        for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
            new = list(replacement)
            if end == total and unterminated:  # keep "no newline at the end of the file"
                if new:
                    if start == end:
                        texts[start - 1] += self._newline()
                    new[-1] = new[-1].rstrip("\r\n")
                elif start > 0:
                    texts[start - 1] = texts[start - 1].rstrip("\r\n")
            texts[start:end] = new
        bom = BOM if self._text.startswith(BOM) else ""
        text = bom + "".join(texts)
        try:
            data = _load(text, self.source)
        except ConfigParseError as exc:
            data, detail = None, exc.message
        else:
            detail = "the edited file did not read back as intended"
        if data is None or data not in expected:
            raise ConfigFileError(
                f"{self.source}: could not edit {'.'.join(path)} safely ({detail})",
                "nothing was written; edit the file by hand, and please report this file's layout",
            )
        self._text, self._data = text, data

    def _shape_error(self, path: Sequence[str], problem: str) -> ConfigShapeError:
        name = ".".join(path)
        pattern = re.compile(r"^[ \t]*\[\[?[ \t]*" + r"[ \t]*\.[ \t]*".join(map(re.escape, path)), re.M)
        found = pattern.search(self._text) or re.search(re.escape(path[-1]), self._text)
        line, column = position(self._text, found.start()) if found else (1, 1)
        return ConfigShapeError(
            self.source,
            line,
            column,
            f"{name} {problem}",
            f"rewrite {name} as a [{name}] table or remove it, then run the command again",
        )


def _content_end(lines: list[Line], first: int, stop: int) -> int:
    """End of the lines owned by the header at `first` (-1: the top of the file) before line `stop`.

    That is its content plus comment lines right after it; comments that run straight into the
    next header belong to that header instead. At the end of the file, every comment is owned.
    """
    end = stop
    skipped = ("blank",) if stop == len(lines) else ("blank", "comment")
    while end > first + 1 and lines[end - 1].kind in skipped:
        end -= 1
    follow = end
    while follow < stop and lines[follow].kind == "comment":
        follow += 1
    return end if follow == stop else follow


def _has_content(lines: list[Line]) -> bool:
    return any(line.kind != "blank" for line in lines)


def _headers(lines: list[Line]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.kind == "header"]


def _next(headers: list[int], n: int, lines: list[Line]) -> int:
    return headers[n + 1] if n + 1 < len(headers) else len(lines)


_MISSING: Any = object()


def _load(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text[1:] if text.startswith(BOM) else text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _WHERE.search(message)
        if where:
            line, column = int(where.group(1)), int(where.group(2))
        else:
            line, column = position(text, len(text))
        problem = _WHERE.sub("", message).replace("(at end of document)", "at the end of the file").strip()
        raise ConfigParseError(
            source,
            line,
            column,
            f"not valid TOML: {problem[:1].lower()}{problem[1:]}",
            "fix the file by hand and run the command again (nothing was written)",
        ) from None


def _check_path(path: KeyPath) -> tuple[str, ...]:
    if isinstance(path, str) or not path or not all(isinstance(k, str) for k in path):
        raise ValueError(f"a key path is a non-empty sequence of strings, not {path!r}")
    return tuple(path)


def _lookup(data: Any, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return _MISSING
        data = data[key]
    return data


def _prune(data: dict[str, Any], path: Sequence[str]) -> None:
    """Drop the tables along `path` that are empty, deepest first."""
    for depth in range(len(path), 0, -1):
        parent = _lookup(data, path[: depth - 1])
        if parent.get(path[depth - 1]) == {}:
            del parent[path[depth - 1]]
