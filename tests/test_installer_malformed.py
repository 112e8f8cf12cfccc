"""A config file we cannot parse is refused with its path, line and column, and left byte-for-byte untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from installer_helpers import LAUNCHER, install, linux, request

from clerk_mcp_setup import cli
from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.errors import EXIT_CONFIG, ConfigFileError
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Manifest

# (client, storage, bytes, line, column)
BROKEN = [
    ("cursor", "vault", b'{\n  "mcpServers": {\n    "github": {"command": "/x"\n', 4, 1),  # truncated
    ("claude-desktop", "vault", b'{\n  "mcpServers": {}\n}\n\x00\x00garbage', 4, 1),  # junk after the object
    ("windsurf", "env", b"not json at all\n", 1, 1),
    ("claude-code", "env", b'{\n  "mcpServers": {},\n}\n', 2, 19),  # trailing comma: strict JSON
    ("cursor", "env", b'{\n  // my servers\n  "mcpServers": {}\n}\n', 2, 3),  # comment: strict JSON
    ("gemini", "env", b'{\n  // ok\n  "mcpServers": {\n    "a": {"command": "/x"},\n  }\n}\n', 4, 27),  # no trailing
    ("vscode", "input", b'{\n\t"servers": {\n\t\t"a": {"command": "/x"}\n\t\n', 5, 1),  # unclosed JSONC
    ("zed", "vault", b'{\n  "theme": "One Dark"\n  "ui_font_size": 16\n}\n', 3, 3),  # missing comma
    ("zed", "vault", b'[\n  {"context_servers": {}}\n]\n', 1, 1),  # top-level array
    ("cursor", "vault", b'"just a string"\n', 1, 1),
    ("vscode", "env", b'{\n  "servers": {\n    "a": {"command": "C:\\Tools"}\n  }\n}\n', 3, 25),  # bad escape
    ("codex", "env", b'model = "gpt-5"\n[mcp_servers.other\ncommand = "/x"\n', 2, 19),  # unclosed header
    ("codex", "env", b'model = "gpt-5"\nmodel = "again"\n', 2, 16),  # duplicate key
    ("codex", "env", b'[mcp_servers.other]\nargs = ["a", \n', 3, 1),  # truncated array
    ("cursor", "vault", b"\xff\xfe{\x00}\x00", 1, 1),  # UTF-16
]


@pytest.fixture(autouse=True)
def _vault_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")


def _write(client: str, data: bytes, home: Path) -> Path:
    path = get_client(client).location("user", linux(home)).os_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("client", "storage", "data", "line", "column"), BROKEN, ids=[f"{b[0]}-{n}" for n, b in enumerate(BROKEN)]
)
def test_plan_refuses_with_line_and_column(
    client: str, storage: str, data: bytes, line: int, column: int, isolated_home: Path
) -> None:
    path = _write(client, data, isolated_home)
    with pytest.raises(ConfigFileError) as caught:
        installer.plan_install(request(client, storage=storage), linux(isolated_home), LAUNCHER)
    message = caught.value.message
    assert message.startswith(f"{path}, line {line}, column {column}: "), message
    assert caught.value.hint and caught.value.exit_code == EXIT_CONFIG
    assert path.read_bytes() == data
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "no temp, lock or other file left"


@pytest.mark.parametrize(
    ("client", "data", "where"),
    [
        ("cursor", b'{\n  "mcpServers": null\n}\n', "line 2, column 17"),
        ("cursor", b'{\n  "mcpServers": ["a"]\n}\n', "line 2, column 17"),
        ("codex", b'mcp_servers = { clerk = { command = "/x" } }\n', "line 1, column 1"),
        ("vscode", b'{\n  "servers": {},\n  "inputs": {"a": 1}\n}\n', "line 3, column 3"),
    ],
)
def test_shapes_we_cannot_edit_are_refused(client: str, data: bytes, where: str, isolated_home: Path) -> None:
    """It parses, but the servers key is not an object (or our table is inline): not ours to replace."""
    path = _write(client, data, isolated_home)
    storage = "input" if client == "vscode" else "env"
    with pytest.raises(ConfigFileError) as caught:
        installer.plan_install(request(client, storage=storage, replace=True), linux(isolated_home), LAUNCHER)
    assert str(path) in str(caught.value) and where in str(caught.value)
    assert path.read_bytes() == data


def test_uninstall_and_refresh_refuse_a_file_broken_since(isolated_home: Path) -> None:
    env = linux(isolated_home)
    install(request("cursor", storage="env"), env)
    path = get_client("cursor").location("user", env).os_path()
    broken = path.read_bytes()[:-5]
    path.write_bytes(broken)
    records = Manifest.load().records
    with pytest.raises(ConfigFileError, match=re.escape(str(path)) + r", line \d+, column \d+"):
        installer.plan_uninstall(records)
    with pytest.raises(ConfigFileError):
        installer.plan_refresh(records, env=env, launcher=LAUNCHER)
    assert installer.entry_state(records[0]) == "unreadable"
    assert path.read_bytes() == broken


def test_cli_exit_code_and_message(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write("zed", b'{\n  "theme": "One Dark",,\n}\n', isolated_home)
    assert cli.main(["--client", "zed", "--key-storage", "plain", "--secret-key", "sk_test_abcdefgh1234", "--yes"]) == 3
    err = capsys.readouterr().err
    assert f"{path}, line 2, column 23" in err and "hint:" in err
    assert path.read_bytes() == b'{\n  "theme": "One Dark",,\n}\n'
