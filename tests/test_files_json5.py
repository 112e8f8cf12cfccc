"""OpenClaw's JSON5: what our JSON5 dialect reads, how it edits, and what it still refuses."""

from __future__ import annotations

import math

import pytest

from clerk_mcp_setup.files import ConfigParseError, Dialect, JsoncDocument

HAND_WRITTEN = """// ~/.openclaw/openclaw.json
{
  gateway: { mode: 'local', bind: "loopback", port: 0x4D2, },
  $schema_v: +1, ratio: .5, big: 1e3, inf: -Infinity,
  'quoted key': 'it\\'s "fine"',
  mcp: {
    servers: {
      github: { command: '/usr/bin/gh-mcp', args: ['stdio'] },
    },
  },
}
"""


def test_json5_values_read_as_json5_parse_reads_them() -> None:
    data = JsoncDocument.parse(HAND_WRITTEN, Dialect.JSON5).get(())
    assert data["gateway"] == {"mode": "local", "bind": "loopback", "port": 1234}
    assert (data["$schema_v"], data["ratio"], data["big"], data["inf"]) == (1, 0.5, 1000.0, -math.inf)
    assert data["quoted key"] == 'it\'s "fine"'
    assert data["mcp"]["servers"]["github"] == {"command": "/usr/bin/gh-mcp", "args": ["stdio"]}


def test_an_entry_goes_in_as_json_and_comes_out_byte_for_byte() -> None:
    doc = JsoncDocument.parse(HAND_WRITTEN, Dialect.JSON5)
    assert doc.set(("mcp", "servers", "clerk"), {"command": "/opt/clerk", "args": []})
    assert '      "clerk": {\n        "command": "/opt/clerk",\n        "args": []\n      },\n' in doc.text
    assert doc.get(("mcp", "servers", "github")) == {"command": "/usr/bin/gh-mcp", "args": ["stdio"]}
    assert doc.remove(("mcp", "servers", "clerk")) and doc.text == HAND_WRITTEN


def test_an_identifier_key_is_found_by_its_name() -> None:
    doc = JsoncDocument.parse("{ mcp: { servers: { clerk: { command: '/old' } } } }", Dialect.JSON5)
    assert doc.set(("mcp", "servers", "clerk"), {"command": "/new"})
    assert doc.get(("mcp", "servers", "clerk")) == {"command": "/new"}
    assert doc.text.startswith("{ mcp: { servers: { clerk: {")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{ a: 'never closed }", "never closed"),
        ("{ 1a: 1 }", "a key or '}'"),
        ("{ a: 'multi\\\nline' }", "never closed"),  # line continuations are JSON5 but not read here
    ],
)
def test_what_we_do_not_read_is_an_error_with_a_position(text: str, problem: str) -> None:
    with pytest.raises(ConfigParseError, match=problem) as caught:
        JsoncDocument.parse(text, Dialect.JSON5, source="openclaw.json")
    assert caught.value.line >= 1 and caught.value.column >= 1


def test_strict_and_jsonc_files_still_refuse_json5_syntax() -> None:
    for dialect in (Dialect.STRICT, Dialect.JSONC, Dialect.JSONC_NO_TRAILING_COMMAS):
        with pytest.raises(ConfigParseError):
            JsoncDocument.parse("{ a: 1 }", dialect)
        with pytest.raises(ConfigParseError):
            JsoncDocument.parse("{ \"a\": 'x' }", dialect)
