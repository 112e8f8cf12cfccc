"""Verification's failure classes, each produced for real by a stand-in server, with its evidence and its hint;
the GUI-like minimal environment; keys masked in evidence; the concurrency bound."""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from verify_helpers import (
    DEFAULT_TOOLS,
    PYTHON,
    SERVER,
    cursor_file,
    edit_cursor,
    python_entry,
    script,
    write_cursor,
)

from clerk_mcp_setup.clients import Env, get_client
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.secrets import mask
from clerk_mcp_setup.server.sandbox.serve import base_url, bind_socket
from clerk_mcp_setup.verify import core as verify
from clerk_mcp_setup.verify.core import GUI_PATH, HINTS, SESSION_VARS, VerifyResult, verify_all, verify_record

KEY = "sk_test_verifyKEY0123456789abcd"


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")


def assert_failed(result: VerifyResult, status: str) -> None:
    """A failure of class `status`, with evidence and that class's fix."""
    assert result.status == status, result
    assert not result.ok and result.evidence
    assert result.hint == HINTS[status] and result.to_dict()["hint"] == HINTS[status]


def install_demo(**options: object) -> Record:
    """A real `--demo` install into Cursor (this installation's launcher), in process."""
    request = installer.Request(targets=(installer.Target(get_client("cursor"), "user"),), demo=True, **options)  # type: ignore[arg-type]
    plan = installer.plan_install(request, Env.current())
    installer.apply(plan)
    return plan.changes[0].records[0]


# ------------------------------------------------------------------------------------------ failure classes


@pytest.mark.parametrize(
    ("command", "why"),
    [("/nonexistent/python3.11", "no such file"), ("{home}/python3.11", "not executable")],
)
async def test_missing_interpreter_is_command_not_found(isolated_home: Path, command: str, why: str) -> None:
    (isolated_home / "python3.11").write_text("#!/bin/sh\n")  # there, but without its executable bit
    command = command.format(home=isolated_home)
    [record] = write_cursor(isolated_home, {"clerk": {"command": command, "args": ["-m", "clerk_mcp_setup.server"]}})
    result = await verify_record(record, timeout=5)
    assert_failed(result, "command-not-found")
    assert result.evidence[0] == f"tried {command}: {why}"
    assert "absolute path" in (result.hint or "")


async def test_server_that_exits_shows_exit_code_and_stderr(isolated_home: Path) -> None:
    [record] = write_cursor(isolated_home, {"clerk": python_entry(isolated_home, "exit3")})
    result = await verify_record(record, timeout=10)
    assert_failed(result, "exited-early")
    assert result.evidence[0] == "exit code 3"
    assert "stderr: fatal: cannot open the database" in result.evidence
    assert "stderr: starting clerk…" in result.evidence
    assert result.seconds < 5


async def test_hung_server_times_out_within_the_timeout(isolated_home: Path) -> None:
    [record] = write_cursor(isolated_home, {"clerk": python_entry(isolated_home, "hang")})
    started = time.perf_counter()
    result = await verify_record(record, timeout=1)
    elapsed = time.perf_counter() - started
    assert_failed(result, "timed-out")
    assert result.evidence == ["no answer within 1 s"]
    assert "--timeout" in (result.hint or "")
    assert 1.0 <= result.seconds < 1.9 and elapsed < 1.9  # the hung process is killed, not waited for


@pytest.mark.parametrize("name", ["junk_then_wait", "junk_then_exit"])
async def test_junk_on_stdout_is_a_protocol_error(isolated_home: Path, name: str) -> None:
    [record] = write_cursor(isolated_home, {"clerk": python_entry(isolated_home, name)})
    result = await verify_record(record, timeout=1)
    assert_failed(result, "protocol-error")
    line = {"junk_then_wait": "Clerk MCP server listening on stdio", "junk_then_exit": "Clerk MCP server v1 ready"}
    assert result.evidence[0] == f"stdout: {line[name]}"
    assert "stdout must carry only JSON-RPC" in (result.hint or "")


@pytest.fixture(scope="module")
def denying_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP MCP endpoint that answers every request 401, and the Authorization headers it saw."""
    seen: list[str] = []

    async def deny(request: Request) -> JSONResponse:
        seen.append(request.headers.get("authorization", ""))
        return JSONResponse(
            {"error": "invalid_token"}, status_code=401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )

    app = Starlette(routes=[Route("/mcp", deny, methods=["GET", "POST", "DELETE"])])
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield base_url("127.0.0.1", sock.getsockname()[1]) + "/mcp", seen
    server.should_exit = True
    thread.join(timeout=5)


async def test_http_401_is_unauthorized(isolated_home: Path, denying_server: tuple[str, list[str]]) -> None:
    url, seen = denying_server
    token = "team-token-0123456789abcdef"
    [record] = write_cursor(isolated_home, {"clerk": {"url": url, "headers": {"Authorization": f"Bearer {token}"}}})
    result = await verify_record(record, timeout=5)
    assert_failed(result, "unauthorized")
    assert result.evidence[0] == f"HTTP 401 from {url}"
    assert seen and seen[-1] == f"Bearer {token}"  # the entry's headers were sent
    assert all(token not in e for e in result.evidence)


async def test_unreachable_url_is_not_reachable(isolated_home: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/mcp"
    [record] = write_cursor(isolated_home, {"clerk": {"url": url}})
    result = await verify_record(record, timeout=5)
    assert_failed(result, "not-reachable")
    assert "ConnectError" in result.evidence[0]
    assert result.seconds < 3


async def test_wrong_tool_set_names_the_missing_tools(isolated_home: Path) -> None:
    record = install_demo()
    assert record.tools_default
    edit_cursor(isolated_home, "clerk", args=["--demo", "--tools", "users"])
    result = await verify_record(record, timeout=15)
    assert_failed(result, "wrong-tools")
    users = {t.name for t in resolve(["users"])}
    missing, unexpected = sorted(set(DEFAULT_TOOLS) - users), sorted(users - set(DEFAULT_TOOLS))
    assert result.evidence[:2] == [f"missing: {', '.join(missing)}", f"unexpected: {', '.join(unexpected) or '-'}"]
    assert result.tools == len(users)
    assert {"listOrganizations", "createInvitation"} <= set(missing)


async def test_read_only_entry_listing_write_tools_is_wrong(isolated_home: Path) -> None:
    record = install_demo(read_only=True)
    edit_cursor(isolated_home, "clerk", args=["--demo"])  # --read-only dropped by hand
    result = await verify_record(record, timeout=15)
    assert_failed(result, "wrong-tools")
    writes = sorted(t.name for t in resolve(None) if t.name not in {t.name for t in resolve(None, read_only=True)})
    assert result.evidence[:2] == ["missing: -", f"unexpected: {', '.join(writes)}"]


async def test_entry_removed_from_the_file_is_entry_missing(isolated_home: Path) -> None:
    record = install_demo()
    path = cursor_file(isolated_home)
    data = json.loads(path.read_text())
    data["mcpServers"] = {"github": {"command": "/usr/bin/gh-mcp"}}
    path.write_text(json.dumps(data))
    result = await verify_record(record, timeout=5)
    assert_failed(result, "entry-missing")
    assert result.evidence == [f"no 'clerk' entry under mcpServers in {path}"]

    path.unlink()
    result = await verify_record(record, timeout=5)
    assert_failed(result, "entry-missing")
    assert result.evidence == [f"{path} does not exist"]


async def test_entry_is_read_back_from_the_file_not_from_the_record(isolated_home: Path) -> None:
    """Reinstalling is not what is checked: the bytes in the file are (here a hand-edit breaks it)."""
    record = install_demo()
    edit_cursor(isolated_home, "clerk", command="/opt/gone/clerk-mcp-server")
    result = await verify_record(record, timeout=5)
    assert_failed(result, "command-not-found")
    assert result.evidence[0] == "tried /opt/gone/clerk-mcp-server: no such file"


# ------------------------------------------------------------------------------------ minimal environment


async def test_command_only_on_the_shells_path_is_not_found(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found_in_gui = shutil.which("clerk-mcp-server", path=GUI_PATH)
    if found_in_gui:
        pytest.skip(f"clerk-mcp-server is installed in {found_in_gui}, on a GUI client's PATH too")
    bin_dir = str(Path(SERVER).parent)
    monkeypatch.setenv("PATH", bin_dir + os.pathsep + os.environ.get("PATH", ""))
    assert shutil.which("clerk-mcp-server") == SERVER  # it works from the shell…
    [record] = write_cursor(isolated_home, {"clerk": {"command": "clerk-mcp-server", "args": ["--demo"]}})
    result = await verify_record(record, timeout=10)  # …but not from a GUI client
    assert_failed(result, "command-not-found")
    assert result.evidence == [
        f"'clerk-mcp-server' is not on a GUI client's PATH ({GUI_PATH}); your shell finds it at {SERVER}"
    ]
    assert "shell's PATH" in (result.hint or "")


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc/self/environ")
async def test_server_gets_only_home_path_and_the_entrys_env(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAKY_SHELL_VAR", "from-the-test-process")
    monkeypatch.setenv("CLERK_SECRET_KEY", KEY)  # set in the shell, not in the entry: must not reach the server
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    entry = python_entry(isolated_home, "print_env", env={"CLERK_API_URL": "http://127.0.0.1:9"})
    [record] = write_cursor(isolated_home, {"clerk": entry})
    result = await verify_record(record, timeout=10)
    assert result.status == "exited-early"
    [line] = [e for e in result.evidence if e.startswith("stderr: env: ")]
    env = json.loads(line.removeprefix("stderr: env: "))
    session = {k: os.environ[k] for k in SESSION_VARS if k in os.environ}
    assert env == {"HOME": str(isolated_home), "PATH": GUI_PATH, "CLERK_API_URL": "http://127.0.0.1:9"} | session


async def test_client_references_are_resolved_from_the_environment(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`${env:VAR}` for every client, `${VAR}` for Claude Code and Gemini; an unset variable is a note."""
    client = get_client("claude-code")
    monkeypatch.setenv("MY_KEY", KEY)
    notes: list[str] = []
    assert verify.resolve_refs(client, "${MY_KEY}", os.environ, notes) == KEY
    assert verify.resolve_refs(client, "${env:MY_KEY}", os.environ, notes) == KEY
    assert verify.resolve_refs(client, "${NOT_SET_HERE:-dflt}", os.environ, notes) == "dflt"
    assert not notes
    assert verify.resolve_refs(get_client("cursor"), "${MY_KEY}", os.environ, notes) == "${MY_KEY}"
    # Claude Code passes an unset ${VAR} on as its literal text; Gemini substitutes "" (their launch policies)
    assert verify.resolve_refs(client, "${NOT_SET_HERE}", os.environ, notes) == "${NOT_SET_HERE}"
    assert verify.resolve_refs(get_client("gemini"), "${NOT_SET_HERE}", os.environ, notes) == ""
    assert notes == [
        "$NOT_SET_HERE is not set here; Claude Code would pass the literal text ${NOT_SET_HERE}",
        "$NOT_SET_HERE is not set here; the client would start the server without it",
    ]
    assert verify.resolve_refs(get_client("vscode"), "${input:clerk-secret-key}", os.environ, notes) is None


def test_launch_is_what_each_client_would_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each client's launch policy: Codex an allow-list plus `env_vars`, Gemini everything but secret-looking names
    (its `$VAR` filled from its own environment), GUI apps HOME and a system PATH."""
    monkeypatch.setenv("CLERK_SECRET_KEY", KEY)
    monkeypatch.setenv("NOT_PASSED", "x")
    codex = verify.launch_for(
        get_client("codex"), {"command": SERVER, "env_vars": ["CLERK_SECRET_KEY"]}, "/home/me", os.environ
    )
    assert codex.argv == [SERVER]
    assert codex.env["CLERK_SECRET_KEY"] == KEY and "NOT_PASSED" not in codex.env
    assert (codex.env["HOME"], codex.env["PATH"]) == ("/home/me", os.environ["PATH"])  # PATH is on its allow-list
    assert set(codex.env) <= {"CLERK_SECRET_KEY", "HOME", "LOGNAME", "PATH", "SHELL", "USER", "LANG", "LC_ALL"} | {
        "TERM",
        "TMPDIR",
        "TZ",
    }
    assert codex.secrets == (KEY,)
    gemini = verify.launch_for(
        get_client("gemini"),
        {"command": SERVER, "args": ["--key-env", "K"], "env": {"K": "$CLERK_SECRET_KEY"}},
        "/home/me",
        os.environ,
    )
    assert gemini.argv == [SERVER, "--key-env", "K"] and gemini.env["K"] == KEY
    assert gemini.env["NOT_PASSED"] == "x" and "CLERK_SECRET_KEY" not in gemini.env  # secret-looking names dropped
    cursor = verify.launch_for(get_client("cursor"), {"command": SERVER}, "/home/me", os.environ)
    assert cursor.env["PATH"] == GUI_PATH and "NOT_PASSED" not in cursor.env
    remote = verify.launch_for(
        get_client("cursor"),
        {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ${env:CLERK_SECRET_KEY}"}},
        "/home/me",
        os.environ,
    )
    assert remote.argv is None and remote.headers == {"Authorization": f"Bearer {KEY}"}
    assert remote.secrets == (f"Bearer {KEY}",)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ('{"mcpServers": {"clerk": {"command": "/x",', "line 1, column 43"),
        ('{"mcpServers": {"clerk": {"args": []}}}', "the entry has neither a command nor a URL"),
    ],
)
async def test_unusable_file_or_entry_is_an_error_not_a_crash(isolated_home: Path, text: str, evidence: str) -> None:
    [record] = write_cursor(isolated_home, {"clerk": {"command": "/x"}})
    cursor_file(isolated_home).write_text(text)
    [result] = await verify_all([record], timeout=2)
    assert result.status == "error" and result.hint is None
    assert evidence in result.evidence[0]


# ------------------------------------------------------------------------------------------------- secrets


async def test_keys_printed_by_a_failing_server_are_masked(isolated_home: Path) -> None:
    token = "tok-0123456789abcdefXYZW"
    entry = python_entry(isolated_home, "leak_key", env={"CLERK_SECRET_KEY": KEY, "API_TOKEN": token})
    [record] = write_cursor(isolated_home, {"clerk": entry})
    result = await verify_record(record, timeout=10)
    assert_failed(result, "exited-early")
    text = "\n".join(result.evidence)
    assert KEY not in text and token not in text
    assert f"stderr: auth failed with key {mask(KEY)} and token {mask(token)}" in result.evidence
    assert KEY not in json.dumps(result.to_dict())


# --------------------------------------------------------------------------------------------- concurrency


async def test_concurrency_bound_runs_hung_entries_two_at_a_time(isolated_home: Path) -> None:
    n, concurrency, timeout = 4, 2, 1.0
    # Distinct env per entry: identical entries would be started once (see the test below).
    entries = {f"hung{i}": {**python_entry(isolated_home, "hang"), "env": {"N": str(i)}} for i in range(n)}
    records = write_cursor(isolated_home, entries)
    started = time.perf_counter()
    results = await verify_all(records, timeout=timeout, concurrency=concurrency)
    elapsed = time.perf_counter() - started
    assert [r.name for r in results] == [f"hung{i}" for i in range(n)]  # the records' order
    assert all(r.status == "timed-out" and r.seconds < timeout + 0.8 for r in results)
    rounds = math.ceil(n / concurrency)  # 2 s; one at a time would be 4 s, all at once 1 s
    assert rounds * timeout - 0.2 <= elapsed < rounds * timeout + 1.4, elapsed


async def test_a_hung_entry_does_not_delay_the_others(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = {"command": PYTHON, "args": [script(isolated_home, "fake")]}
    entries = {"hung": python_entry(isolated_home, "hang")} | {
        f"fast{i}": {**fast, "env": {"N": str(i)}} for i in range(3)
    }
    records = write_cursor(isolated_home, entries)
    finished: dict[str, float] = {}
    real = verify.verify_record

    async def timed(record: Record, **kwargs: Any) -> VerifyResult:
        result = await real(record, **kwargs)
        finished[record.name] = time.perf_counter()
        return result

    monkeypatch.setattr(verify, "verify_record", timed)
    timeout = 2.5
    started = time.perf_counter()
    results = await verify_all(records, timeout=timeout, concurrency=2)
    by_name = {r.name: r for r in results}
    assert by_name["hung"].status == "timed-out"
    for i in range(3):
        r = by_name[f"fast{i}"]
        assert r.ok, r
        assert (r.tools, r.server_version) == (len(DEFAULT_TOOLS), "9.9.9")
        assert finished[r.name] - started < 1.5  # done through the other slot, long before the hung one
    assert finished["hung"] - started >= timeout
    assert time.perf_counter() - started < timeout + 1.5


async def test_identical_entries_are_started_once(isolated_home: Path) -> None:
    """One install into several clients writes the same launch several times: one start answers for all."""
    records = write_cursor(isolated_home, {f"same{i}": python_entry(isolated_home, "hang") for i in range(4)})
    started = time.perf_counter()
    results = await verify_all(records, timeout=1.0, concurrency=1)
    elapsed = time.perf_counter() - started
    assert [r.name for r in results] == [f"same{i}" for i in range(4)]
    assert all(r.status == "timed-out" for r in results)
    assert elapsed < 2.4, elapsed  # one start, not four (which would take 4 s at concurrency 1)


def test_run_verify_is_the_synchronous_face(isolated_home: Path) -> None:
    records = write_cursor(isolated_home, {"clerk": {"command": PYTHON, "args": [script(isolated_home, "fake")]}})
    [result] = verify.run_verify(records, timeout=5)
    assert result.ok and result.tools == len(DEFAULT_TOOLS) and result.hint is None
    assert result.protocol_version and result.server_version == "9.9.9"
