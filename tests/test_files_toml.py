"""TOML editing (Codex config.toml): one server's table changes, every other byte stays."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_mcp_setup.files import ConfigParseError, ConfigShapeError, TomlDocument

PATH = ("mcp_servers", "clerk")
ENTRY = {
    "command": "C:\\Program Files\\Clerk\\clerk-mcp-server.exe",
    "args": ["--tools", "users"],
    "env": {"CLERK_SECRET_KEY": "sk_test_x"},
}
TABLE = (
    "[mcp_servers.clerk]\n"
    'command = "C:\\\\Program Files\\\\Clerk\\\\clerk-mcp-server.exe"\n'
    'args = ["--tools", "users"]\n'
    "\n"
    "[mcp_servers.clerk.env]\n"
    'CLERK_SECRET_KEY = "sk_test_x"\n'
)

CODEX = """# Codex settings
model = "o3"  # the default model
approval_policy = "on-request"

[mcp_servers.docs]
command = "npx"   # from npm
args = ["-y", "docs-mcp"]

[mcp_servers.docs.env]
DOCS_TOKEN = "t"

# Profiles below
[profiles.fast]
model = "gpt-5-mini"
"""


def edit(text: str, value: dict[str, object] = ENTRY, path: tuple[str, ...] = PATH) -> str:
    doc = TomlDocument.parse(text)
    doc.set(path, value)
    tomllib.loads(doc.text.lstrip("\ufeff"))
    return doc.text


def removed(text: str, path: tuple[str, ...] = PATH) -> str:
    doc = TomlDocument.parse(text)
    assert doc.remove(path)
    return doc.text


def test_golden_codex_file_with_another_server() -> None:
    out = edit(CODEX)
    assert out == CODEX.replace('DOCS_TOKEN = "t"\n', 'DOCS_TOKEN = "t"\n\n' + TABLE)
    assert tomllib.loads(out)["mcp_servers"]["clerk"] == ENTRY
    assert removed(out) == CODEX


def test_golden_empty_file() -> None:
    assert edit("") == TABLE
    assert removed(TABLE) == ""


def test_golden_file_without_servers_goes_to_the_end() -> None:
    text = 'model = "o3"\n\n[profiles.fast]\nmodel = "mini"\n# end of profiles\n'
    assert edit(text) == text + "\n" + TABLE


def test_windows_paths_are_valid_toml() -> None:
    out = edit("", {"command": "C:\\Users\\me\\clerk.exe", "cwd": "\\\\server\\share"})
    assert 'command = "C:\\\\Users\\\\me\\\\clerk.exe"' in out
    assert tomllib.loads(out)["mcp_servers"]["clerk"]["cwd"] == "\\\\server\\share"


def test_replacing_a_server_keeps_everything_else() -> None:
    text = CODEX.replace("# Profiles below\n", "[mcp_servers.clerk]\ncommand = 'old'\n\n# Profiles below\n")
    out = edit(text)
    assert out == CODEX.replace("# Profiles below\n", TABLE + "\n# Profiles below\n")


def test_replacing_drops_our_old_sub_tables() -> None:
    text = '[mcp_servers.clerk]\ncommand = "old"\n\n[mcp_servers.clerk.env]\nOLD = "1"\n\n[other]\nx = 1\n'
    out = edit(text, {"command": "new"})
    assert out == '[mcp_servers.clerk]\ncommand = "new"\n\n[other]\nx = 1\n'


def test_removing_a_server_removes_its_sub_tables_and_one_blank_line() -> None:
    text = CODEX.replace("# Profiles below\n", TABLE + "\n# Profiles below\n")
    assert removed(text) == CODEX


def test_removing_the_other_server_leaves_ours() -> None:
    out = removed(CODEX, ("mcp_servers", "docs"))
    assert out == '# Codex settings\nmodel = "o3"  # the default model\napproval_policy = "on-request"\n\n' + (
        '# Profiles below\n[profiles.fast]\nmodel = "gpt-5-mini"\n'
    )


def test_a_comment_heading_the_next_table_stays_with_it() -> None:
    out = edit(CODEX)
    assert "\n\n# Profiles below\n[profiles.fast]\n" in out


def test_comments_at_the_end_of_a_table_stay_with_it() -> None:
    text = '[mcp_servers.docs]\ncommand = "npx"\n# args = ["--debug"]\n\n[profiles.x]\nmodel = "m"\n'
    assert edit(text) == text.replace('# args = ["--debug"]\n', '# args = ["--debug"]\n\n' + TABLE)


def test_crlf_is_kept() -> None:
    text = CODEX.replace("\n", "\r\n")
    out = edit(text)
    assert out == CODEX.replace('DOCS_TOKEN = "t"\n', 'DOCS_TOKEN = "t"\n\n' + TABLE).replace("\n", "\r\n")
    assert removed(out) == text


def test_bom_is_kept() -> None:
    text = "\ufeff" + CODEX
    doc = TomlDocument.parse(text.encode("utf-8"))
    doc.set(PATH, ENTRY)
    assert doc.to_bytes().startswith(b"\xef\xbb\xbf# Codex settings\n")
    doc.remove(PATH)
    assert doc.text == text


def test_a_missing_final_newline_stays_missing() -> None:
    text = 'model = "o3"'
    out = edit(text)
    assert out == 'model = "o3"\n\n' + TABLE[:-1]
    assert removed(out) == text


def test_lines_inside_multiline_values_are_not_headers() -> None:
    text = 'notes = """\n[mcp_servers.clerk]\n# not a comment\n"""\nargs = [\n  ["x"],\n]\n'
    out = edit(text)
    assert out == text + "\n" + TABLE
    assert tomllib.loads(out)["notes"] == "[mcp_servers.clerk]\n# not a comment\n"
    assert removed(out) == text


def test_quoted_server_names() -> None:
    out = edit(CODEX, {"command": "x"}, ("mcp_servers", "my server"))
    assert '[mcp_servers."my server"]\ncommand = "x"\n' in out
    assert removed(out, ("mcp_servers", "my server")) == CODEX


def test_out_of_order_sub_tables_are_replaced_and_removed() -> None:
    text = '[mcp_servers.clerk]\ncommand = "a"\n\n[other]\nx = 1\n\n[mcp_servers.clerk.env]\nK = "v"\n'
    assert edit(text, {"command": "b"}) == '[mcp_servers.clerk]\ncommand = "b"\n\n[other]\nx = 1\n'
    assert removed(text) == "[other]\nx = 1\n"


def test_equal_value_changes_nothing() -> None:
    text = CODEX.replace("# Profiles below\n", TABLE + "\n# Profiles below\n")
    doc = TomlDocument.parse(text)
    assert doc.set(PATH, ENTRY) is False
    assert doc.text == text


def test_reading() -> None:
    doc = TomlDocument.parse(CODEX)
    assert doc.get(("mcp_servers", "docs", "env")) == {"DOCS_TOKEN": "t"}
    assert doc.has(("model",)) and not doc.has(PATH)
    assert doc.get(PATH, "none") == "none"
    assert doc.remove(PATH) is False


def test_parse_errors_name_line_and_column() -> None:
    with pytest.raises(ConfigParseError) as caught:
        TomlDocument.parse('model = "o3"\n[mcp_servers.x]\ncommand = \n', source="/home/me/.codex/config.toml")
    error = caught.value
    assert (error.line, error.column) == (3, 11)
    assert error.message.startswith("/home/me/.codex/config.toml, line 3, column 11: not valid TOML")
    assert error.hint


@pytest.mark.parametrize(
    "text",
    ['a = "unterminated\n', "a = 1\na = 2\n", "[x\n", 'a = "C:\\Users"\n', "x = [1,\n"],
)
def test_bad_toml_is_an_error(text: str) -> None:
    with pytest.raises(ConfigParseError) as caught:
        TomlDocument.parse(text)
    assert caught.value.line >= 1 and caught.value.column >= 1


def test_inline_server_is_refused() -> None:
    text = '[mcp_servers]\nclerk = { command = "x" }\n'
    doc = TomlDocument.parse(text)
    with pytest.raises(ConfigShapeError, match="inline") as caught:
        doc.set(PATH, ENTRY)
    assert caught.value.line == 2
    with pytest.raises(ConfigShapeError):
        doc.remove(PATH)
    assert doc.text == text


def test_a_parent_that_is_not_a_table_is_refused() -> None:
    doc = TomlDocument.parse("mcp_servers = 1\n")
    with pytest.raises(ConfigShapeError, match="not a table"):
        doc.set(PATH, ENTRY)


def test_values_toml_cannot_hold_are_refused() -> None:
    with pytest.raises(TypeError):
        TomlDocument.parse("").set(PATH, {"env": None})  # type: ignore[dict-item]


# -- properties -----------------------------------------------------------------------------------

BLOCKS = st.sampled_from(
    [
        "# a comment\n",
        "\n",
        "[mcp_servers.docs]\ncommand = 'npx'\n",
        '[mcp_servers.docs.env]\nA = "1" # c\n',
        "[profiles.fast]\nmodel = 'm'\n",
        '[tools]\nlist = [\n  "a",  # c\n  "b",\n]\n',
        'note = """\n[fake]\n"""\n',
        "[[hooks]]\nrun = 'x'\n",
    ]
)


@st.composite
def codex_files(draw: st.DrawFn) -> str:
    root = draw(st.sampled_from(["", 'model = "o3"\n', "# top\nmodel = 'o3' # m\n\n"]))
    blocks = draw(st.lists(BLOCKS, max_size=6))
    seen: set[str] = set()
    parts = [root]
    for block in blocks:
        header = block.split("\n", 1)[0]
        if header.startswith("[") and not header.startswith("[[") and header in seen:
            continue
        if block.startswith("note") or (block.startswith("[mcp_servers.docs.env]") and "[mcp_servers.docs]" in seen):
            continue
        seen.add(header)
        parts.append(block)
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if text and draw(st.integers(0, 4)) == 0:
        text = text.rstrip("\r\n")
    return text


@settings(max_examples=80, deadline=None)
@given(codex_files(), st.sampled_from([ENTRY, {"command": "x"}, {"env": {"A": "b"}}, {}]))
def test_set_then_remove_is_identity(text: str, value: dict[str, object]) -> None:
    doc = TomlDocument.parse(text)
    doc.set(PATH, value)
    data = tomllib.loads(doc.text)
    assert data["mcp_servers"]["clerk"] == value
    before = tomllib.loads(text)
    del data["mcp_servers"]["clerk"]
    if not data["mcp_servers"] and "mcp_servers" not in before:
        del data["mcp_servers"]
    assert data == before
    doc.remove(PATH)
    assert doc.text == text
