"""Entry shapes, secret references and the per-client data (next steps, quirks, official CLIs), exactly."""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clerk_mcp_setup.clients import CLIENTS, RemoteNotSupportedError, SecretReferenceError, get_client
from clerk_mcp_setup.errors import UsageError

CMD = "/opt/clerk/bin/clerk-mcp-server"
ARGS = ["--tools", "users"]
URL = "https://clerk.example/mcp"
KEY = "CLERK_SECRET_KEY"

STDIO = {"command": CMD, "args": ARGS, "env": {"CLERK_API_URL": "http://127.0.0.1:9"}}
TYPED_STDIO = {"type": "stdio", **STDIO}


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("claude-desktop", STDIO),
        ("claude-code", TYPED_STDIO),
        ("cursor", STDIO),
        ("vscode", TYPED_STDIO),
        ("vscode-insiders", TYPED_STDIO),
        ("windsurf", STDIO),
        ("zed", STDIO),
        ("codex", {**STDIO, "startup_timeout_sec": 30}),
        ("gemini", STDIO),
    ],
)
def test_stdio_entry(client_id: str, expected: dict[str, Any]) -> None:
    entry = get_client(client_id).stdio_entry(CMD, ARGS, {"CLERK_API_URL": "http://127.0.0.1:9"})
    assert entry == expected
    assert list(entry) == list(expected)


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("claude-desktop", {"command": CMD, "args": []}),
        ("claude-code", {"type": "stdio", "command": CMD, "args": []}),
        ("zed", {"command": CMD, "args": []}),
        ("codex", {"command": CMD, "args": [], "startup_timeout_sec": 30}),
    ],
)
def test_stdio_entry_keeps_args_and_leaves_out_empty_env(client_id: str, expected: dict[str, Any]) -> None:
    assert get_client(client_id).stdio_entry(CMD) == expected


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("claude-code", {"type": "stdio", "command": CMD, "args": ARGS, "env": {"A": "1", KEY: "${CLERK_SECRET_KEY}"}}),
        ("cursor", {"command": CMD, "args": ARGS, "env": {"A": "1", KEY: "${env:CLERK_SECRET_KEY}"}}),
        ("vscode", {"type": "stdio", "command": CMD, "args": ARGS, "env": {"A": "1", KEY: "${env:CLERK_SECRET_KEY}"}}),
        ("windsurf", {"command": CMD, "args": ARGS, "env": {"A": "1", KEY: "${env:CLERK_SECRET_KEY}"}}),
        ("gemini", {"command": CMD, "args": ARGS, "env": {"A": "1", KEY: "${CLERK_SECRET_KEY}"}}),
        ("codex", {"command": CMD, "args": ARGS, "env": {"A": "1"}, "env_vars": [KEY], "startup_timeout_sec": 30}),
    ],
)
def test_stdio_entry_passing_a_secret_by_reference(client_id: str, expected: dict[str, Any]) -> None:
    entry = get_client(client_id).stdio_entry(CMD, ARGS, {"A": "1"}, pass_env=[KEY, KEY])
    assert entry == expected


def test_codex_passes_names_without_an_env_table() -> None:
    assert get_client("codex").stdio_entry(CMD, pass_env=[KEY]) == {
        "command": CMD,
        "args": [],
        "env_vars": [KEY],
        "startup_timeout_sec": 30,
    }


@pytest.mark.parametrize("client_id", ["claude-desktop", "zed"])
def test_clients_without_references_refuse_pass_env(client_id: str) -> None:
    with pytest.raises(SecretReferenceError, match="cannot take a value from an environment variable") as caught:
        get_client(client_id).stdio_entry(CMD, pass_env=[KEY])
    assert caught.value.hint and "vault" in caught.value.hint


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("claude-code", {"type": "http", "url": URL, "headers": {"X-Org": "acme"}}),
        ("cursor", {"url": URL, "headers": {"X-Org": "acme"}}),
        ("vscode", {"type": "http", "url": URL, "headers": {"X-Org": "acme"}}),
        ("vscode-insiders", {"type": "http", "url": URL, "headers": {"X-Org": "acme"}}),
        ("windsurf", {"serverUrl": URL, "headers": {"X-Org": "acme"}}),
        ("zed", {"url": URL, "headers": {"X-Org": "acme"}}),
        ("codex", {"url": URL, "http_headers": {"X-Org": "acme"}}),
        ("gemini", {"type": "http", "url": URL, "headers": {"X-Org": "acme"}}),
    ],
)
def test_remote_entry(client_id: str, expected: dict[str, Any]) -> None:
    entry = get_client(client_id).remote_entry(URL, {"X-Org": "acme"})
    assert entry == expected
    assert list(entry) == list(expected)


def test_remote_entry_without_headers_has_no_headers_key() -> None:
    assert get_client("cursor").remote_entry(URL) == {"url": URL}
    assert get_client("codex").remote_entry(URL) == {"url": URL}


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        (
            "claude-code",
            {
                "type": "http",
                "url": URL,
                "headers": {
                    "X-Org": "acme",
                    "X-Clerk-Secret-Key": "${CLERK_SECRET_KEY}",
                    "Authorization": "Bearer ${TOK}",
                },
            },
        ),
        (
            "cursor",
            {
                "url": URL,
                "headers": {
                    "X-Org": "acme",
                    "X-Clerk-Secret-Key": "${env:CLERK_SECRET_KEY}",
                    "Authorization": "Bearer ${env:TOK}",
                },
            },
        ),
        (
            "windsurf",
            {
                "serverUrl": URL,
                "headers": {
                    "X-Org": "acme",
                    "X-Clerk-Secret-Key": "${env:CLERK_SECRET_KEY}",
                    "Authorization": "Bearer ${env:TOK}",
                },
            },
        ),
        (
            "codex",
            {
                "url": URL,
                "http_headers": {"X-Org": "acme"},
                "env_http_headers": {"X-Clerk-Secret-Key": KEY},
                "bearer_token_env_var": "TOK",
            },
        ),
    ],
)
def test_remote_entry_with_headers_from_the_environment(client_id: str, expected: dict[str, Any]) -> None:
    entry = get_client(client_id).remote_entry(
        URL, {"X-Org": "acme"}, header_env={"X-Clerk-Secret-Key": KEY}, bearer_env="TOK"
    )
    assert entry == expected


def test_claude_desktop_has_no_remote_entry() -> None:
    desktop = get_client("claude-desktop")
    assert not desktop.supports_remote
    assert all(c.supports_remote for c in CLIENTS if c is not desktop)
    with pytest.raises(RemoteNotSupportedError, match="does not read remote") as caught:
        desktop.remote_entry(URL)
    assert caught.value.hint and "stdio bridge" in caught.value.hint
    assert caught.value.exit_code == 2


def test_zed_remote_headers_cannot_come_from_the_environment() -> None:
    with pytest.raises(SecretReferenceError):
        get_client("zed").remote_entry(URL, header_env={"X-Clerk-Secret-Key": KEY})
    with pytest.raises(SecretReferenceError):
        get_client("zed").remote_entry(URL, bearer_env="TOK")


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda c: c.stdio_entry("clerk-mcp-server"), ValueError, "absolute path"),
        (lambda c: c.stdio_entry("npx"), ValueError, "absolute path"),
        (lambda c: c.stdio_entry(CMD, pass_env=["BAD-NAME"]), UsageError, "not an environment variable name"),
        (lambda c: c.stdio_entry(CMD, pass_env=["1X"]), UsageError, "not an environment variable name"),
        (lambda c: c.stdio_entry(CMD, env={KEY: "sk"}, pass_env=[KEY]), UsageError, "both as a value"),
        (lambda c: c.remote_entry("ftp://x/mcp"), UsageError, "not an http"),
        (lambda c: c.remote_entry("https:///mcp"), UsageError, "not an http"),
        (lambda c: c.remote_entry(URL, {"A": "1"}, header_env={"a": KEY}), UsageError, "more than once"),
        (lambda c: c.remote_entry(URL, {"authorization": "x"}, bearer_env="T"), UsageError, "more than once"),
        (lambda c: c.remote_entry(URL, header_env={"X": "a}b"}), UsageError, "not an environment variable"),
    ],
)
def test_bad_entry_arguments(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call(get_client("cursor"))


def test_windows_absolute_commands_are_accepted() -> None:
    entry = get_client("claude-desktop").stdio_entry("C:\\Program Files\\Clerk\\clerk-mcp-server.exe")
    assert entry["command"] == "C:\\Program Files\\Clerk\\clerk-mcp-server.exe"


def _values(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [v for item in value.values() for v in [item, *_values(item)]]
    if isinstance(value, list):
        return [v for item in value for v in [item, *_values(item)]]
    return []


names = st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True)
text = st.text(max_size=12)


@given(
    client=st.sampled_from(CLIENTS),
    args=st.lists(text, max_size=4),
    env=st.dictionaries(names, text, max_size=3),
    passed=st.lists(names, max_size=3),
)
def test_stdio_entries_never_hold_null_and_survive_json(
    client: Any, args: list[str], env: dict[str, str], passed: list[str]
) -> None:
    passed = [n for n in passed if n not in env]
    env_before, args_before = dict(env), list(args)
    try:
        entry = client.stdio_entry(CMD, args, env, pass_env=passed)
    except SecretReferenceError:
        assert passed and client.secrets.none
        return
    assert None not in _values(entry)
    assert json.loads(json.dumps(entry)) == entry
    shape = client.shape
    argv = entry[shape.command_key] if shape.args_key is None else [entry[shape.command_key], *entry[shape.args_key]]
    if shape.shell_line:  # Auggie: a POSIX shell splits the joined line back into exactly these words
        assert shlex.split(" ".join(argv)) == [CMD, *args]
    else:
        assert argv == [CMD, *args]
    if shape.args_key is not None:
        assert entry[shape.args_key] is not args
    assert env == env_before and args == args_before


@given(
    client=st.sampled_from([c for c in CLIENTS if c.supports_remote]),
    headers=st.dictionaries(st.sampled_from(["X-A", "X-B"]), text, max_size=2),
    header_env=st.dictionaries(st.sampled_from(["X-C", "X-D"]), names, max_size=2),
    bearer=st.one_of(st.none(), names),
)
def test_remote_entries_never_hold_null(
    client: Any, headers: dict[str, str], header_env: dict[str, str], bearer: str | None
) -> None:
    try:
        entry = client.remote_entry(URL, headers, header_env=header_env, bearer_env=bearer)
    except SecretReferenceError:
        assert (header_env or bearer) and client.secrets.none
        return
    assert None not in _values(entry)
    assert json.loads(json.dumps(entry)) == entry


# --- secret references -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_id", "reference", "env_reference", "client_input", "none"),
    [
        ("claude-desktop", None, False, False, True),
        ("claude-code", "${CLERK_SECRET_KEY}", True, False, False),
        ("cursor", "${env:CLERK_SECRET_KEY}", True, False, False),
        ("vscode", "${env:CLERK_SECRET_KEY}", True, True, False),
        ("vscode-insiders", "${env:CLERK_SECRET_KEY}", True, True, False),
        ("windsurf", "${env:CLERK_SECRET_KEY}", True, False, False),
        ("zed", None, False, False, True),
        ("codex", None, True, False, False),
        ("gemini", "${CLERK_SECRET_KEY}", True, False, False),
    ],
)
def test_secret_references(
    client_id: str, reference: str | None, env_reference: bool, client_input: bool, none: bool
) -> None:
    client = get_client(client_id)
    assert client.env_reference(KEY) == reference
    assert (client.secrets.env_reference, client.secrets.client_input, client.secrets.none) == (
        env_reference,
        client_input,
        none,
    )
    assert client.secrets.by_name == (client_id == "codex")
    assert client.secrets.note


def test_env_reference_rejects_names_that_would_break_the_string() -> None:
    with pytest.raises(UsageError):
        get_client("cursor").env_reference("A}B")


def test_vscode_inputs() -> None:
    vscode = get_client("vscode")
    assert vscode.input_item("clerk-secret-key", "Clerk secret key") == {
        "type": "promptString",
        "id": "clerk-secret-key",
        "description": "Clerk secret key",
        "password": True,
    }
    assert vscode.input_reference("clerk-secret-key") == "${input:clerk-secret-key}"
    assert vscode.secrets.inputs_key == ("inputs",)
    entry = vscode.stdio_entry(CMD, env={KEY: vscode.input_reference("clerk-secret-key")})
    assert entry == {"type": "stdio", "command": CMD, "args": [], "env": {KEY: "${input:clerk-secret-key}"}}


@pytest.mark.parametrize("bad_id", ["", "has space", "a}b", "-lead"])
def test_vscode_input_ids_are_checked(bad_id: str) -> None:
    with pytest.raises(UsageError, match="input id"):
        get_client("vscode").input_reference(bad_id)


@pytest.mark.parametrize("client_id", [c.id for c in CLIENTS if not c.id.startswith("vscode")])
def test_other_clients_have_no_inputs(client_id: str) -> None:
    client = get_client(client_id)
    assert client.secrets.inputs_key is None
    with pytest.raises(SecretReferenceError, match="no prompted inputs"):
        client.input_item("clerk-secret-key", "Clerk secret key")
    with pytest.raises(SecretReferenceError):
        client.input_reference("clerk-secret-key")


# --- next steps, quirks, official CLIs ------------------------------------------------------------------


def test_every_scope_has_next_steps_and_every_client_quirks() -> None:
    for client in CLIENTS:
        assert client.quirks, client.id
        for scope in client.scopes:
            assert client.steps_after(scope), (client.id, scope)
        assert set(client.next_steps) == set(client.scopes), client.id


@pytest.mark.parametrize(
    ("client_id", "scope", "words"),
    [
        ("claude-desktop", "user", "open it again"),
        ("claude-code", "project", "approve"),
        ("claude-code", "local", "/mcp"),
        ("windsurf", "user", "Refresh"),
        ("gemini", "user", "trust"),
        ("gemini", "project", "trust"),
        ("codex", "project", "trusted projects"),
        ("vscode", "user", "MCP: List Servers"),
    ],
)
def test_next_step_content(client_id: str, scope: Any, words: str) -> None:
    assert words in " ".join(get_client(client_id).steps_after(scope))


@pytest.mark.parametrize(
    ("client_id", "binary", "add", "scopes"),
    [
        ("claude-code", "claude", "claude mcp add-json --scope {scope} {name} '{json}'", ("user", "project", "local")),
        ("codex", "codex", "codex mcp add {name}", ("user",)),
        ("gemini", "gemini", "gemini mcp add -s {scope} {name}", ("user", "project")),
        ("vscode", "code", "code --add-mcp '{json}'", ("user",)),
        ("vscode-insiders", "code-insiders", "code-insiders --add-mcp '{json}'", ("user",)),
    ],
)
def test_official_cli(client_id: str, binary: str, add: str, scopes: tuple[str, ...]) -> None:
    cli = get_client(client_id).cli
    assert cli is not None
    assert (cli.binary, cli.scopes) == (binary, scopes)
    assert cli.add.startswith(add)


@pytest.mark.parametrize("client_id", ["claude-desktop", "cursor", "windsurf", "zed"])
def test_clients_without_an_official_cli(client_id: str) -> None:
    assert get_client(client_id).cli is None
