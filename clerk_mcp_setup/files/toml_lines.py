"""Classify the lines of a valid TOML text: table headers (with their key paths), blanks, comments, content.

A `[` or `#` only starts a header or a comment at the start of a statement, so the scan follows
strings (including multi-line ones) and brackets to know which lines begin inside a value. The text
has already been validated by `tomllib`, so the scan can trust its input.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

_HEADER = re.compile(
    r"""\[(\[)?[ \t]*
    ((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)
    [ \t]*\]""",
    re.VERBOSE,
)
_KEY_PART = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line (with its terminator) and what it is: header, blank, comment or content."""

    text: str
    kind: str
    path: tuple[str, ...] = ()  # for headers: the table's key path

    @property
    def terminated(self) -> bool:
        return self.text.endswith("\n")


def split_lines(text: str) -> list[str]:
    """Physical lines with their terminators; only LF and CRLF end a line in TOML."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _key_path(raw: str) -> tuple[str, ...]:
    parts = []
    for match in _KEY_PART.finditer(raw):
        part = match.group()
        parts.append(tomllib.loads(f"k = {part}")["k"] if part[0] in "\"'" else part)
    return tuple(parts)


def _skip_string(text: str, pos: int) -> int:
    """Offset just past the string that starts at `pos`."""
    quote = text[pos]
    if text.startswith(quote * 3, pos):
        i = pos + 3
        while True:
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text.startswith(quote * 3, i):
                end = i + 3
                extra = 0
                while extra < 2 and end < len(text) and text[end] == quote:
                    end += 1
                    extra += 1
                return end
            i += 1
    i = pos + 1
    while text[i] != quote:
        i += 2 if quote == '"' and text[i] == "\\" else 1
    return i + 1


def classify(text: str) -> list[Line]:
    """Every line of `text`, classified; header lines carry their decoded key path."""
    lines = split_lines(text)
    starts_inside: list[bool] = []
    depth = 0
    pos = 0
    inside_until = -1  # offset up to which we are inside a multi-line string
    for line in lines:
        starts_inside.append(depth > 0 or pos < inside_until)
        end = pos + len(line)
        i = max(pos, inside_until)
        while i < end:
            char = text[i]
            if char in "\"'":
                stop = _skip_string(text, i)
                if stop > end:
                    inside_until = stop
                i = stop
            elif char == "#":
                break
            elif char in "[{":
                if not (depth == 0 and not text[pos:i].strip(" \t") and not starts_inside[-1]):
                    depth += 1
                else:
                    match = _HEADER.match(text, i)
                    i = match.end() if match else i + 1
                    continue
                i += 1
            elif char in "]}":
                depth -= 1
                i += 1
            else:
                i += 1
        pos = end
    result = []
    for line, inside in zip(lines, starts_inside, strict=True):
        stripped = line.strip(" \t\r\n")
        if inside:
            result.append(Line(line, "content"))
        elif not stripped:
            result.append(Line(line, "blank"))
        elif stripped.startswith("#"):
            result.append(Line(line, "comment"))
        elif stripped.startswith("["):
            match = _HEADER.match(stripped)
            assert match is not None, "tomllib accepted a header this scan cannot read"
            result.append(Line(line, "header", _key_path(match.group(2))))
        else:
            result.append(Line(line, "content"))
    return result
