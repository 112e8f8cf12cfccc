"""Every bad JSON/JSONC input is an error naming the file, line and column, with a hint; never a guess."""

from __future__ import annotations

import pytest

from clerk_mcp_setup.errors import EXIT_CONFIG, ClerkMcpError
from clerk_mcp_setup.files import ConfigParseError, ConfigShapeError, JsoncDocument

SOURCE = "/home/me/.config/Claude/claude_desktop_config.json"

BAD = [
    # (name, text, dialect, line, column, words in the message)
    ("truncated", '{\n  "mcpServers": {\n    "a": 1', "strict", 3, 11, "ends early"),
    ("truncated after key", '{\n  "mcpServers"', "strict", 2, 15, "ends early"),
    ("junk", "hello", "strict", 1, 1, "unexpected 'h'"),
    ("html", "<html></html>", "jsonc", 1, 1, "unexpected '<'"),
    ("trailing comma in strict", '{"a": 1,}', "strict", 1, 8, "trailing comma"),
    ("trailing comma in array", '{"a": [1,]}', "strict", 1, 9, "trailing comma"),
    ("trailing comma for Gemini", '{\n  // ok\n  "a": 1,\n}', "jsonc_no_trailing_commas", 3, 9, "trailing comma"),
    ("comment in strict", '{\n  // hi\n  "a": 1\n}', "strict", 2, 3, "comment"),
    ("unclosed block comment", '{\n  /* hi\n  "a": 1\n}', "jsonc", 2, 3, "never closed"),
    ("unterminated string", '{"a": "abc', "strict", 1, 7, "never closed"),
    ("newline in string", '{"a": "ab\ncd"}', "jsonc", 1, 7, "never closed"),
    ("invalid escape", '{"a": "\\x"}', "strict", 1, 8, "invalid escape"),
    ("control character", '{"a": "\x01"}', "strict", 1, 8, "control character"),
    ("single quotes", "{'a': 1}", "jsonc", 1, 2, "quoted key"),
    ("bare key", "{a: 1}", "jsonc", 1, 2, "quoted key"),
    ("missing colon", '{"a" 1}', "strict", 1, 6, "':'"),
    ("missing comma", '{"a": 1 "b": 2}', "strict", 1, 9, "','"),
    ("leading zero", '{"a": 01}', "strict", 1, 7, "not a JSON value"),
    ("NaN", '{"a": NaN}', "strict", 1, 7, "unexpected 'N'"),
    ("text after the object", '{}\n{"a": 1}', "strict", 2, 1, "after the end"),
    ("deep nesting", '{"a": ' + "[" * 300, "strict", 1, 262, "nested"),
]


@pytest.mark.parametrize(("name", "text", "dialect", "line", "column", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_line_and_column(
    name: str, text: str, dialect: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ConfigParseError) as caught:
        JsoncDocument.parse(text, dialect, source=SOURCE)
    error = caught.value
    assert (error.line, error.column) == (line, column), error.message
    assert words in error.message
    assert error.message.startswith(f"{SOURCE}, line {line}, column {column}: ")
    assert error.hint
    assert isinstance(error, ClerkMcpError) and error.exit_code == EXIT_CONFIG
    assert "hint: " in error.render()


@pytest.mark.parametrize(
    ("text", "kind"), [("[1, 2]", "an array"), ('"x"', "a string"), ("42", "a number"), ("null", "a null")]
)
def test_top_level_must_be_an_object(text: str, kind: str) -> None:
    with pytest.raises(ConfigShapeError, match=f"the top level is {kind}, not an object") as caught:
        JsoncDocument.parse("\n  " + text, source=SOURCE)
    assert (caught.value.line, caught.value.column) == (2, 3)


def test_a_bom_does_not_count_as_a_column() -> None:
    with pytest.raises(ConfigParseError) as caught:
        JsoncDocument.parse("\ufeff{,}")
    assert (caught.value.line, caught.value.column) == (1, 2)


def test_invalid_utf8_points_at_the_bad_byte() -> None:
    with pytest.raises(ConfigParseError, match="not valid UTF-8") as caught:
        JsoncDocument.parse(b'{\n  "a": "caf\xe9"\n}', source=SOURCE)
    assert (caught.value.line, caught.value.column) == (2, 12)


def test_utf16_is_refused_with_a_hint() -> None:
    with pytest.raises(ConfigParseError, match="UTF-16") as caught:
        JsoncDocument.parse('{"a": 1}'.encode("utf-16"))
    assert "UTF-8" in (caught.value.hint or "")


def test_jsonc_tolerates_a_raw_tab_in_a_string() -> None:
    assert JsoncDocument.parse('{"a": "x\ty"}', "jsonc").get(("a",)) == "x\ty"


def test_duplicate_key_on_the_edited_path_is_an_error() -> None:
    text = '{"mcpServers": {"clerk": 1},\n "mcpServers": {}}'
    doc = JsoncDocument.parse(text, source=SOURCE)
    for action in (lambda: doc.get(("mcpServers", "clerk")), lambda: doc.set(("mcpServers", "clerk"), 2)):
        with pytest.raises(ConfigShapeError, match=r'\["mcpServers"\] appears more than once') as caught:
            action()
        assert (caught.value.line, caught.value.column) == (2, 2)
    with pytest.raises(ConfigShapeError):
        doc.remove(("mcpServers", "clerk"))
    assert doc.text == text


def test_duplicate_keys_elsewhere_are_left_alone() -> None:
    text = '{"theme": 1, "theme": 2, "mcpServers": {}}'
    doc = JsoncDocument.parse(text)
    doc.set(("mcpServers", "clerk"), 1)
    assert doc.text == '{"theme": 1, "theme": 2, "mcpServers": {\n  "clerk": 1\n}}'
    with pytest.raises(ConfigShapeError):
        doc.get(("theme",))


@pytest.mark.parametrize(("value", "kind"), [("[]", "an array"), ("null", "a null"), ('"x"', "a string")])
def test_a_parent_that_is_not_an_object_is_an_error(value: str, kind: str) -> None:
    text = '{\n  "mcpServers": ' + value + "\n}"
    doc = JsoncDocument.parse(text, source=SOURCE)
    with pytest.raises(ConfigShapeError, match=rf'\["mcpServers"\] is {kind}, not an object') as caught:
        doc.set(("mcpServers", "clerk"), {"command": "x"})
    assert (caught.value.line, caught.value.column) == (2, 17)
    assert doc.text == text
