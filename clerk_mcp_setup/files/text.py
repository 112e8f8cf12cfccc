"""Text helpers shared by the JSON and TOML editors: decoding, positions, line endings, indentation.

Config files are edited as `str` so that offsets are code points; a UTF-8 BOM is kept as the
character U+FEFF at offset 0, so encoding the edited text gives back every untouched byte.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from os import PathLike
from typing import Any

from .errors import ConfigParseError

BOM = "\ufeff"
DEFAULT_UNIT = "  "

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_INDENT = re.compile(r"[ \t]*")


def source_name(source: str | PathLike[str] | None) -> str:
    """The name errors use for a document: its path, or a placeholder for text with no file."""
    return "<text>" if source is None else str(source)


def decode(data: str | bytes, source: str) -> str:
    """UTF-8 bytes (BOM kept) as text; anything else is a parse error pointing at the bad byte."""
    if isinstance(data, str):
        return data
    if data.startswith(_UTF16_BOMS):
        raise ConfigParseError(
            source, 1, 1, "the file is encoded as UTF-16", "save it as UTF-8 (every client expects UTF-8)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8")
        line, column = position(good, len(good))
        raise ConfigParseError(
            source, line, column, "the file is not valid UTF-8", "save it as UTF-8 and run the command again"
        ) from None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`, counting code points and ignoring a leading BOM."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    column = offset - line_start + 1
    if line_start == 0 and text.startswith(BOM) and offset > 0:
        column -= 1
    return line, column


def detect_newline(text: str) -> str:
    """The file's line ending: CRLF when most line breaks are CRLF, else LF (also for one-line files)."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding `offset`."""
    return text.rfind("\n", 0, offset) + 1


def line_indent(text: str, offset: int) -> str:
    """The spaces and tabs that start the line holding `offset`."""
    start = line_start(text, offset)
    match = _INDENT.match(text, start)
    return match.group() if match else ""


def detect_unit(text: str, max_lines: int = 4000) -> str:
    """The file's indent unit: the most common step between a line's indent and the next, deeper one.

    Files with no indented lines (`{}`, one-line JSON) get two spaces, the common default.
    """
    steps: Counter[str] = Counter()
    previous: str | None = None
    for count, line in enumerate(text.splitlines()):
        if count >= max_lines:
            break
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        indent = line[: len(line) - len(stripped)].lstrip(BOM)
        if previous is not None and len(indent) > len(previous) and indent.startswith(previous):
            step = indent[len(previous) :]
            if step == "\t" * len(step) or step == " " * len(step):
                steps[step] += 1
        previous = indent
    if not steps:
        return DEFAULT_UNIT
    return steps.most_common(1)[0][0]


def skipper(pattern: re.Pattern[str]) -> Callable[[str, int], int]:
    """A function giving the offset after `pattern`'s match at a position (the position if none)."""
    match = pattern.match

    def skip(text: str, pos: int) -> int:
        found = match(text, pos)
        return found.end() if found else pos

    return skip


def assign_path(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Set `data[path…] = value` in a plain dict, creating parents: the model an edit must produce."""
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def discard_path(data: dict[str, Any], path: Sequence[str]) -> None:
    """Delete `data[path…]` in a plain dict: the model a removal must produce."""
    for key in path[:-1]:
        data = data[key]
    del data[path[-1]]
