"""JSON/JSONC editing: one test per preserved property, then golden files for the typical shapes."""

from __future__ import annotations

import json

import pytest

from clerk_mcp_setup.files import ConfigParseError, Dialect, JsoncDocument

ENTRY = {
    "command": "/opt/clerk/bin/clerk-mcp-server",
    "args": ["--tools", "users"],
    "env": {"CLERK_SECRET_KEY": "sk_test_x"},
}
# ENTRY rendered at member indent "    " with a two-space unit, as it follows `"clerk": `.
ENTRY_2 = """{
      "command": "/opt/clerk/bin/clerk-mcp-server",
      "args": [
        "--tools",
        "users"
      ],
      "env": {
        "CLERK_SECRET_KEY": "sk_test_x"
      }
    }"""
SERVERS = ("mcpServers", "clerk")


def edit(text: str, value: object = ENTRY, path: tuple[str, ...] = SERVERS, dialect: str = "strict") -> str:
    doc = JsoncDocument.parse(text, dialect)
    doc.set(path, value)
    return doc.text


def removed(text: str, path: tuple[str, ...] = SERVERS, dialect: str = "strict") -> str:
    doc = JsoncDocument.parse(text, dialect)
    assert doc.remove(path)
    return doc.text


# -- preserved properties -------------------------------------------------------------------------


def test_comments_before_the_object_are_kept() -> None:
    text = '// my settings\n/* block */\n{\n  "mcpServers": {}\n}\n'
    out = edit(text, dialect="jsonc")
    assert out.startswith('// my settings\n/* block */\n{\n  "mcpServers": {\n    "clerk": {')


def test_comments_inside_the_servers_object_are_kept() -> None:
    text = (
        '{\n  "mcpServers": {\n    // first server\n    "a": {"command": "a"}, // trailing note\n'
        '    /* between */\n    "b": {"command": "b"}\n    // last words\n  }\n}\n'
    )
    out = edit(text, dialect="jsonc")
    assert out == (
        '{\n  "mcpServers": {\n    // first server\n    "a": {"command": "a"}, // trailing note\n'
        '    /* between */\n    "b": {"command": "b"},\n    "clerk": ' + ENTRY_2 + "\n    // last words\n  }\n}\n"
    )


def test_comments_after_the_object_are_kept() -> None:
    text = '{\n  "mcpServers": {}\n}\n// the end\n'
    assert edit(text, dialect="jsonc").endswith("\n}\n// the end\n")


def test_trailing_commas_are_kept_and_mirrored() -> None:
    text = '{\n  "theme": "dark",\n  "mcpServers": {\n    "a": {"command": "a",},\n  },\n}\n'
    out = edit(text, dialect="jsonc")
    assert out == (
        '{\n  "theme": "dark",\n  "mcpServers": {\n    "a": {"command": "a",},\n    "clerk": '
        + ENTRY_2
        + ",\n  },\n}\n"
    )


def test_strict_files_never_get_a_trailing_comma_or_a_comment() -> None:
    text = '{\n  "mcpServers": {\n    "a": {"command": "a"}\n  }\n}\n'
    out = edit(text)
    assert out == '{\n  "mcpServers": {\n    "a": {"command": "a"},\n    "clerk": ' + ENTRY_2 + "\n  }\n}\n"
    json.loads(out)


def test_crlf_line_endings_are_kept_and_used_for_new_lines() -> None:
    text = '{\r\n  "mcpServers": {\r\n    "a": {}\r\n  }\r\n}\r\n'
    out = edit(text)
    assert out == ('{\n  "mcpServers": {\n    "a": {},\n    "clerk": ' + ENTRY_2 + "\n  }\n}\n").replace("\n", "\r\n")
    assert "\n" not in out.replace("\r\n", "")


@pytest.mark.parametrize("unit", ["\t", "    ", "  "])
def test_indent_unit_is_detected(unit: str) -> None:
    text = "{\n" + unit + '"mcpServers": {\n' + unit * 2 + '"a": {}\n' + unit + "}\n}\n"
    out = edit(text)
    expected_entry = json.dumps(ENTRY, indent=unit).replace("\n", "\n" + unit * 2)
    assert out == (
        "{\n" + unit + '"mcpServers": {\n' + unit * 2 + '"a": {},\n'
        f'{unit * 2}"clerk": {expected_entry}\n' + unit + "}\n}\n"
    )


def test_blank_lines_are_kept() -> None:
    text = '{\n\n  "theme": 1,\n\n\n  "mcpServers": {\n\n    "a": 1\n\n  }\n\n}\n'
    out = edit(text)
    assert out == '{\n\n  "theme": 1,\n\n\n  "mcpServers": {\n\n    "a": 1,\n    "clerk": ' + ENTRY_2 + "\n\n  }\n\n}\n"
    assert removed(out) == text


def test_removal_with_crlf_keeps_crlf() -> None:
    text = '{\r\n  "mcpServers": {\r\n    "a": 1,\r\n    "clerk": 2\r\n  }\r\n}\r\n'
    assert removed(text) == '{\r\n  "mcpServers": {\r\n    "a": 1\r\n  }\r\n}\r\n'


def test_byte_order_mark_is_kept() -> None:
    text = '\ufeff{\n  "mcpServers": {}\n}\n'
    doc = JsoncDocument.parse(text.encode("utf-8"))
    doc.set(SERVERS, ENTRY)
    assert doc.to_bytes().startswith(b'\xef\xbb\xbf{\n  "mcpServers": {\n')
    doc.remove(SERVERS)
    assert doc.to_bytes() == text.encode("utf-8")


def test_key_order_is_kept_and_new_keys_go_last() -> None:
    text = '{"z": 1, "a": 2, "m": {"y": 1, "b": 2}}'
    doc = JsoncDocument.parse(text)
    doc.set(("m", "new"), 3)
    doc.set(("new",), 4)
    assert list(json.loads(doc.text)) == ["z", "a", "m", "new"]
    assert list(json.loads(doc.text)["m"]) == ["y", "b", "new"]
    assert doc.text == '{"z": 1, "a": 2, "m": {"y": 1, "b": 2, "new": 3}, "new": 4}'


def test_other_servers_are_untouched_byte_for_byte() -> None:
    other = '{ "command":"npx" ,"args" : [ "-y","x" ],"env":{ } }'
    text = '{\n  "mcpServers": {\n    "other": ' + other + ',\n    "clerk": {"command": "old"}\n  }\n}\n'
    out = edit(text)
    assert '    "other": ' + other + ",\n" in out
    assert out.startswith('{\n  "mcpServers": {\n    "other": ' + other + ',\n    "clerk": {\n')


def test_unicode_escapes_are_kept_as_written() -> None:
    text = '{\n  "name": "caf\\u00e9 \\/ \\ud83d\\ude00",\n  "raw": "café"\n}\n'
    out = edit(text)
    assert '"name": "caf\\u00e9 \\/ \\ud83d\\ude00",\n  "raw": "café",\n' in out


def test_number_formatting_is_kept_as_written() -> None:
    text = '{"a": 1.50e3, "b": -0.0, "c": 1E5, "d": 10000000000000000000001}'
    out = edit(text)
    assert out.startswith('{"a": 1.50e3, "b": -0.0, "c": 1E5, "d": 10000000000000000000001, "mcpServers": {')


def test_new_values_are_written_with_unicode_and_escaped_backslashes() -> None:
    out = edit("{}", {"command": "C:\\Program Files\\Clerk\\clerk.exe", "args": ["é"]}, ("s",))
    assert '"command": "C:\\\\Program Files\\\\Clerk\\\\clerk.exe"' in out
    assert '"é"' in out
    assert json.loads(out)["s"]["command"] == "C:\\Program Files\\Clerk\\clerk.exe"


def test_replacing_an_entry_changes_only_its_value() -> None:
    text = '{\n  "mcpServers": {\n    "a": 1, // a\n    "clerk": {"command": "old"}, // ours\n    "b": 2\n  }\n}\n'
    doc = JsoncDocument.parse(text, "jsonc")
    start, end = doc.span(SERVERS) or (0, 0)
    doc.set(SERVERS, ENTRY)
    assert doc.text == text[:start] + ENTRY_2 + text[end:]


def test_setting_an_equal_value_changes_nothing() -> None:
    text = '{"mcpServers": {"clerk": {"env": {}, "args": ["--tools", "users"], "command": "x"}}}'
    doc = JsoncDocument.parse(text)
    assert doc.set(SERVERS, {"command": "x", "args": ["--tools", "users"], "env": {}}) is False
    assert doc.text == text


def test_an_integer_is_not_equal_to_a_boolean_or_a_float() -> None:
    doc = JsoncDocument.parse('{"a": 1}')
    assert doc.set(("a",), True) is True
    assert doc.text == '{"a": true}'


def test_missing_parents_are_created_pretty() -> None:
    out = edit('{\n  "numStartups": 3\n}\n', ENTRY, ("projects", "/p", "mcpServers", "clerk"))
    assert out == (
        '{\n  "numStartups": 3,\n  "projects": {\n    "/p": {\n      "mcpServers": {\n        "clerk": {\n'
        '          "command": "/opt/clerk/bin/clerk-mcp-server",\n          "args": [\n'
        '            "--tools",\n            "users"\n          ],\n          "env": {\n'
        '            "CLERK_SECRET_KEY": "sk_test_x"\n          }\n        }\n      }\n    }\n  }\n}\n'
    )


# -- removal --------------------------------------------------------------------------------------


def test_removing_the_last_member_fixes_the_previous_comma() -> None:
    text = '{\n  "mcpServers": {\n    "a": 1,\n    "clerk": {"command": "x"}\n  }\n}\n'
    assert removed(text) == '{\n  "mcpServers": {\n    "a": 1\n  }\n}\n'


def test_removing_the_first_member_keeps_the_rest() -> None:
    text = '{\n  "mcpServers": {\n    "clerk": {"command": "x"},\n    "a": 1\n  }\n}\n'
    assert removed(text) == '{\n  "mcpServers": {\n    "a": 1\n  }\n}\n'


def test_removing_a_middle_member_inline() -> None:
    assert removed('{"mcpServers": {"a": 1, "clerk": 2, "b": 3}}') == '{"mcpServers": {"a": 1, "b": 3}}'
    assert removed('{"mcpServers": {"a": 1, "clerk": 2}}') == '{"mcpServers": {"a": 1}}'
    assert removed('{"mcpServers": {"clerk": 2}}') == '{"mcpServers": {}}'


def test_removal_keeps_comments_above_and_drops_the_same_line_comment() -> None:
    text = (
        '{\n  "mcpServers": {\n    "a": 1,\n    // about clerk\n    "clerk": {\n      // inside\n'
        '      "command": "x"\n    }, // ours\n    "b": 2\n  }\n}\n'
    )
    assert removed(text, dialect="jsonc") == (
        '{\n  "mcpServers": {\n    "a": 1,\n    // about clerk\n    "b": 2\n  }\n}\n'
    )


def test_removal_keeps_a_trailing_comma_style() -> None:
    text = '{\n  "mcpServers": {\n    "a": 1,\n    "clerk": 2,\n  },\n}\n'
    assert removed(text, dialect="jsonc") == '{\n  "mcpServers": {\n    "a": 1,\n  },\n}\n'


def test_removing_the_only_member_leaves_an_empty_object() -> None:
    assert removed('{\n  "mcpServers": {\n    "clerk": 1\n  }\n}\n') == '{\n  "mcpServers": {}\n}\n'
    commented = '{\n  "mcpServers": {\n    // keep me\n    "clerk": 1\n  }\n}\n'
    assert removed(commented, dialect="jsonc") == '{\n  "mcpServers": {\n    // keep me\n  }\n}\n'


def test_removal_never_pulls_a_brace_into_a_line_comment() -> None:
    text = '{\n  "mcpServers": {\n    "a": 1, // note\n    "clerk": 2}\n}\n'
    out = removed(text, dialect="jsonc")
    assert out == '{\n  "mcpServers": {\n    "a": 1 // note\n}\n}\n'
    assert JsoncDocument.parse(out, "jsonc").get(("mcpServers",)) == {"a": 1}


def test_removing_a_missing_member_is_a_no_op() -> None:
    text = '{"mcpServers": {"a": 1}}'
    doc = JsoncDocument.parse(text)
    assert doc.remove(SERVERS) is False
    assert doc.remove(("nope", "clerk")) is False
    assert doc.text == text
    assert JsoncDocument.parse("").remove(SERVERS) is False


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        '{"a": 1}',
        '{"a": 1,}',
        '{\n  "a": 1\n}',
        '{\n  "a": 1, // c\n}\n',
        '{\n  "a": 1}',
        '{\n  "a": 1 /* c */\n}',
        '{\n  "mcpServers": {\n    // "old": {}\n  }\n}',
        '{\n\t"mcpServers": {\n\t\t"x": {}\n\t}\n}',
    ],
)
def test_set_then_remove_gives_back_the_original(text: str) -> None:
    doc = JsoncDocument.parse(text, "jsonc")
    path = SERVERS if doc.has(("mcpServers",)) else ("clerk",)
    doc.set(path, ENTRY)
    doc.remove(path)
    assert doc.text == text


def test_whitespace_only_empty_objects_collapse_after_set_and_remove() -> None:
    doc = JsoncDocument.parse('{"mcpServers": { }}')
    doc.set(SERVERS, 1)
    doc.remove(SERVERS)
    assert doc.text == '{"mcpServers": {}}'


# -- reading --------------------------------------------------------------------------------------


def test_reading_values() -> None:
    text = (
        '// c\n{\n  "mcpServers": {\n    "clerk": {"args": ["a", 1, 2.5, true, null], "e": "\\u00e9"} /* x */\n  }\n}'
    )
    doc = JsoncDocument.parse(text, Dialect.JSONC)
    assert doc.get(SERVERS) == {"args": ["a", 1, 2.5, True, None], "e": "é"}
    assert doc.has(SERVERS) and not doc.has(("mcpServers", "other"))
    assert doc.get(("mcpServers", "other"), "missing") == "missing"
    assert doc.raw(SERVERS) == '{"args": ["a", 1, 2.5, true, null], "e": "\\u00e9"}'
    assert doc.location(SERVERS) == (4, 5)
    assert not doc.is_empty
    assert doc.get(()) == {"mcpServers": {"clerk": doc.get(SERVERS)}}
    assert JsoncDocument.parse("// nothing", "jsonc").get(()) == {}


def test_paths_must_be_sequences_of_strings() -> None:
    doc = JsoncDocument.parse("{}")
    with pytest.raises(ValueError):
        doc.get("mcpServers")
    with pytest.raises(ValueError):
        doc.set((), 1)


def test_values_must_be_json() -> None:
    doc = JsoncDocument.parse("{}")
    with pytest.raises((TypeError, ValueError)):
        doc.set(("a",), {1, 2})
    with pytest.raises(ValueError):
        doc.set(("a",), float("nan"))
    assert doc.text == "{}"


# -- golden files ---------------------------------------------------------------------------------

GOLDEN_EMPTY = (
    '{\n  "mcpServers": {\n    "clerk": {\n      "command": "/opt/clerk/bin/clerk-mcp-server",\n'
    '      "args": [\n        "--tools",\n        "users"\n      ],\n      "env": {\n'
    '        "CLERK_SECRET_KEY": "sk_test_x"\n      }\n    }\n  }\n}\n'
)


@pytest.mark.parametrize("text", ["", "\n", "  \n\n"])
def test_golden_empty_file(text: str) -> None:
    doc = JsoncDocument.parse(text)
    assert doc.is_empty and doc.get(SERVERS) is None
    doc.set(SERVERS, ENTRY)
    assert doc.text == text + GOLDEN_EMPTY


def test_golden_comments_only_file_counts_as_empty() -> None:
    assert edit("// nothing yet", dialect="jsonc") == "// nothing yet\n" + GOLDEN_EMPTY
    assert edit("/* a */\r\n", dialect="jsonc") == "/* a */\r\n" + GOLDEN_EMPTY.replace("\n", "\r\n")


def test_golden_empty_object() -> None:
    assert edit("{}") == GOLDEN_EMPTY[:-1]
    assert edit("{}\n") == GOLDEN_EMPTY


def test_golden_file_with_other_servers() -> None:
    text = (
        "{\n"
        '  "globalShortcut": "Ctrl+Space",\n'
        '  "mcpServers": {\n'
        '    "filesystem": {\n'
        '      "command": "npx",\n'
        '      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]\n'
        "    }\n"
        "  }\n"
        "}\n"
    )
    assert edit(text) == (
        "{\n"
        '  "globalShortcut": "Ctrl+Space",\n'
        '  "mcpServers": {\n'
        '    "filesystem": {\n'
        '      "command": "npx",\n'
        '      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]\n'
        "    },\n"
        '    "clerk": ' + ENTRY_2 + "\n"
        "  }\n"
        "}\n"
    )


VSCODE = """{
\t// Inputs are prompted on first server start, then stored securely by VS Code.
\t"inputs": [
\t\t{
\t\t\t"type": "promptString",
\t\t\t"id": "perplexity-key",
\t\t\t"description": "Perplexity API Key",
\t\t\t"password": true
\t\t}
\t],
\t"servers": {
\t\t// https://github.com/ppl-ai/modelcontextprotocol/
\t\t"Perplexity": {
\t\t\t"type": "stdio",
\t\t\t"command": "npx",
\t\t\t"args": ["-y", "server-perplexity-ask"],
\t\t\t"env": {
\t\t\t\t"PERPLEXITY_API_KEY": "${input:perplexity-key}"
\t\t\t}
\t\t}
\t}
}
"""


def test_golden_vscode_sample_with_comments() -> None:
    entry = {"type": "stdio", "command": "/opt/clerk/bin/clerk-mcp-server", "args": []}
    assert edit(VSCODE, entry, ("servers", "clerk"), "jsonc") == VSCODE.replace(
        "\t\t}\n\t}\n}\n",
        '\t\t},\n\t\t"clerk": {\n\t\t\t"type": "stdio",\n\t\t\t"command": "/opt/clerk/bin/clerk-mcp-server",\n'
        '\t\t\t"args": []\n\t\t}\n\t}\n}\n',
    )


# Zed's stock settings.json as a fresh install writes it: comments first, trailing commas.
ZED = """// Zed settings
//
// For information on how to configure Zed, see the Zed
// documentation: https://zed.dev/docs/configuring-zed
//
// To see all of Zed's default settings without changing your
// custom settings, run `zed: open default settings` from the
// command palette (cmd-shift-p / ctrl-shift-p)
{
  "project_panel": {
    "dock": "left",
    "starts_open": true,
  },
  "agent": {
    "dock": "right",
  },
  "ui_font_size": 16,
  "buffer_font_size": 15,
  "theme": {
    "mode": "system",
    "light": "One Light",
    "dark": "One Dark",
  },
}
"""


def test_golden_zed_stock_settings() -> None:
    entry = {"command": "/opt/clerk/bin/clerk-mcp-server", "args": [], "env": {}}
    out = edit(ZED, entry, ("context_servers", "clerk"), "jsonc")
    assert out == ZED.replace(
        '    "dark": "One Dark",\n  },\n}\n',
        '    "dark": "One Dark",\n  },\n  "context_servers": {\n    "clerk": {\n'
        '      "command": "/opt/clerk/bin/clerk-mcp-server",\n      "args": [],\n      "env": {}\n    }\n  },\n}\n',
    )
    with pytest.raises(ConfigParseError, match="line 1, column 1: a comment"):
        JsoncDocument.parse(ZED, "strict")  # a strict parser fails on a new Zed install


GEMINI = """{
  // Gemini CLI settings
  "theme": "GitHub",
  "mcpServers": {
    /* local tools */
    "fs": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/home/me"]
    }
  }
}
"""


def test_golden_gemini_file_with_comments() -> None:
    out = edit(GEMINI, dialect="jsonc_no_trailing_commas")
    assert out == GEMINI.replace(
        '"/home/me"]\n    }\n  }\n}\n', '"/home/me"]\n    },\n    "clerk": ' + ENTRY_2 + "\n  }\n}\n"
    )


CLAUDE = """{
  "numStartups": 42,
  "mcpServers": {},
  "projects": {
    "/home/me/app": {
      "allowedTools": [],
      "mcpServers": {
        "other": {
          "type": "stdio",
          "command": "/usr/bin/other",
          "args": [],
          "env": {}
        }
      },
      "hasTrustDialogAccepted": true
    },
    "/home/me/site": {
      "allowedTools": []
    }
  },
  "userID": "abc"
}"""


def test_golden_claude_json_local_scope_in_projects_map() -> None:
    out = edit(CLAUDE, ENTRY, ("projects", "/home/me/site", "mcpServers", "clerk"))
    assert out == CLAUDE.replace(
        '      "allowedTools": []\n    }\n  },',
        '      "allowedTools": [],\n      "mcpServers": {\n        "clerk": {\n'
        '          "command": "/opt/clerk/bin/clerk-mcp-server",\n          "args": [\n'
        '            "--tools",\n            "users"\n          ],\n          "env": {\n'
        '            "CLERK_SECRET_KEY": "sk_test_x"\n          }\n        }\n      }\n    }\n  },',
    )


def test_golden_claude_json_user_scope_into_empty_servers() -> None:
    out = edit(CLAUDE, {"type": "stdio", "command": "/c"})
    assert out == CLAUDE.replace(
        '"mcpServers": {},\n  "projects"',
        '"mcpServers": {\n    "clerk": {\n      "type": "stdio",\n      "command": "/c"\n    }\n  },\n  "projects"',
    )
    assert removed(out) == CLAUDE
