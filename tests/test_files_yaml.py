"""The YAML editor's rules, one test each (see the module docstring of clerk_mcp_setup.files.yaml)."""

from __future__ import annotations

import pytest
import yaml as pyyaml

from clerk_mcp_setup.files import ConfigParseError, ConfigShapeError, YamlDocument

GOOSE = (
    "# Goose settings\n"
    "GOOSE_PROVIDER: openai  # which provider\n"
    "extensions:\n"
    "  developer:\n"
    "    enabled: true\n"
    "    type: builtin\n"
    "\n"
    "# kept for later:\n"
    "#  old: {cmd: /x}\n"
)
ENTRY = {"type": "stdio", "cmd": "/opt/clerk/bin/clerk-mcp-server", "args": ["--vault", "clerk"], "enabled": True}


def test_a_new_member_goes_after_the_last_sibling_and_before_trailing_comments() -> None:
    doc = YamlDocument.parse(GOOSE)
    assert doc.set(("extensions", "clerk"), ENTRY)
    assert doc.text == GOOSE.replace(
        "    type: builtin\n",
        "    type: builtin\n  clerk:\n    type: stdio\n    cmd: /opt/clerk/bin/clerk-mcp-server\n"
        "    args:\n      - --vault\n      - clerk\n    enabled: true\n",
    )
    assert doc.remove(("extensions", "clerk")) and doc.text == GOOSE


def test_siblings_column_is_followed() -> None:
    text = "extensions:\n    developer:\n        enabled: true\n"
    doc = YamlDocument.parse(text)
    doc.set(("extensions", "clerk"), {"cmd": "/x"})
    assert doc.text == text + "    clerk:\n      cmd: /x\n"


def test_crlf_and_missing_final_newline_are_kept() -> None:
    text = "a: 1\r\nextensions:\r\n  x:\r\n    cmd: y"
    doc = YamlDocument.parse(text)
    doc.set(("extensions", "clerk"), {"cmd": "/x"})
    assert doc.text == "a: 1\r\nextensions:\r\n  x:\r\n    cmd: y\r\n  clerk:\r\n    cmd: /x"
    doc.remove(("extensions", "clerk"))
    assert doc.text == text


def test_an_empty_or_comment_only_file_gets_the_entry_appended() -> None:
    doc = YamlDocument.parse("# nothing yet\n")
    doc.set(("mcp_servers", "clerk"), {"command": "/x", "args": []})
    assert doc.text == "# nothing yet\nmcp_servers:\n  clerk:\n    command: /x\n    args: []\n"


def test_a_key_with_nothing_under_it_gets_the_entry_below() -> None:
    """A null container left empty comes back as `{}`: YAML readers that want a mapping accept that."""
    text = "extensions:   # none yet\nother: 1\n"
    doc = YamlDocument.parse(text)
    doc.set(("extensions", "clerk"), {"cmd": "/x"})
    assert doc.text == "extensions:   # none yet\n  clerk:\n    cmd: /x\nother: 1\n"
    doc.remove(("extensions", "clerk"))
    assert doc.text == "extensions: {}   # none yet\nother: 1\n"


@pytest.mark.parametrize("empty", ["{}", "[]", "{ }"])
def test_an_empty_flow_container_keeps_its_line_and_comes_back(empty: str) -> None:
    text = f"mcpServers: {empty}  # none yet\nmodels: []\n"
    doc = YamlDocument.parse(text, named_lists=[("mcpServers",)] if empty == "[]" else ())
    doc.set(("mcpServers", "clerk"), {"command": "/x"})
    item = "  - name: clerk\n    command: /x\n" if empty == "[]" else "  clerk:\n    command: /x\n"
    assert doc.text == f"mcpServers:  # none yet\n{item}models: []\n"
    doc.remove(("mcpServers", "clerk"))
    assert doc.text == text.replace("{ }", "{}")


def test_named_list_items_read_and_edit_by_name() -> None:
    text = "mcpServers:\n  - name: github  # theirs\n    command: gh\n  - name: fs\n    command: fs-mcp\nmodels: []\n"
    doc = YamlDocument.parse(text, named_lists=[("mcpServers",)])
    assert doc.get(("mcpServers", "fs")) == {"command": "fs-mcp"}
    doc.set(("mcpServers", "clerk"), {"command": "/x"})
    assert doc.text == text.replace("models", "  - name: clerk\n    command: /x\nmodels")
    doc.set(("mcpServers", "clerk"), {"command": "/y"})
    assert "    command: /y\n" in doc.text and doc.text.count("name: clerk") == 1
    doc.remove(("mcpServers", "clerk"))
    assert doc.text == text


def test_a_new_named_list_is_a_list() -> None:
    doc = YamlDocument.parse("name: Local\n", named_lists=[("mcpServers",)])
    doc.set(("mcpServers", "clerk"), {"command": "/x"})
    assert pyyaml.safe_load(doc.text) == {"name": "Local", "mcpServers": [{"name": "clerk", "command": "/x"}]}


def test_two_items_with_our_name_are_an_error() -> None:
    doc = YamlDocument.parse("mcpServers:\n- name: clerk\n- name: clerk\n", named_lists=[("mcpServers",)])
    with pytest.raises(ConfigShapeError, match="two items named 'clerk'"):
        doc.set(("mcpServers", "clerk"), {"command": "/x"})


def test_yaml_1_1_look_alikes_are_quoted() -> None:
    """Hermes reads with PyYAML (YAML 1.1): `on`, `yes`, `0777`, `1:30` would come back as non-strings."""
    words = ["on", "yes", "No", "0777", "1:30", "1_000", "~", "", "2026-01-01", " padded", "plain"]
    doc = YamlDocument.parse("")
    doc.set(("mcp_servers", "clerk"), {"command": "/x", "args": words})
    assert pyyaml.safe_load(doc.text)["mcp_servers"]["clerk"]["args"] == words
    assert "- plain\n" in doc.text


def test_equal_value_is_a_no_op() -> None:
    doc = YamlDocument.parse(GOOSE)
    assert not doc.set(("extensions", "developer"), {"enabled": True, "type": "builtin"})
    assert doc.text == GOOSE


@pytest.mark.parametrize(
    ("text", "line", "column", "problem"),
    [
        ("extensions:\n  a: [1\n  b: 2\n", 3, 4, "expected ',' or ']'"),
        ("a: 1\na: 2\n", 2, 1, 'found duplicate key "a"'),
        ("a: 1\n---\nb: 2\n", 2, 1, "another document"),
        ("a:\n\t- x\n", 2, 1, "found character '\\t'"),
    ],
)
def test_unparsable_files_say_where(text: str, line: int, column: int, problem: str) -> None:
    with pytest.raises(ConfigParseError) as caught:
        YamlDocument.parse(text, source="config.yaml")
    error = caught.value
    assert (error.line, error.column) == (line, column) and problem in error.problem
    assert error.message.startswith(f"config.yaml, line {line}, column {column}:")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n"])
def test_a_top_level_that_is_not_a_mapping_is_refused(text: str) -> None:
    with pytest.raises(ConfigShapeError, match="not a mapping"):
        YamlDocument.parse(text)


def test_flow_style_servers_are_refused_not_rewritten() -> None:
    doc = YamlDocument.parse("extensions: {developer: {enabled: true}}\n")
    with pytest.raises(ConfigShapeError, match="flow style"):
        doc.set(("extensions", "clerk"), {"cmd": "/x"})
    assert doc.text == "extensions: {developer: {enabled: true}}\n"


def test_a_scalar_where_a_mapping_is_needed_is_refused() -> None:
    doc = YamlDocument.parse("extensions: none\n")
    with pytest.raises(ConfigShapeError, match="not a mapping"):
        doc.set(("extensions", "clerk"), {"cmd": "/x"})
