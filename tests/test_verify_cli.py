"""Verification of real installs through the `clerk-mcp-setup` console script: every client format, key
storages resolved as the client would, remote and bridge entries against our HTTP server, `verify --json`,
`status --verify`, exit code 4 and the manifest's verification stamp."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp_types import LATEST_PROTOCOL_VERSION
from verify_helpers import DEFAULT_TOOLS, PYTHON, SETUP, cursor_file, edit_cursor, edit_entry, script

from clerk_mcp_setup import __version__
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.secrets import mask
from clerk_mcp_setup.server.app import ServerConfig
from clerk_mcp_setup.server.catalog import CATALOG
from clerk_mcp_setup.server.http import HttpOptions, create_app
from clerk_mcp_setup.server.sandbox.serve import running_app, running_sandbox
from clerk_mcp_setup.verify.core import HINTS

KEY = "sk_test_verifyCLIkey0123456789"
WRONG_KEY = "sk_test_notTheRightKey98765432"
USER_CLIENTS = ("claude-desktop", "claude-code", "cursor", "vscode", "windsurf", "zed", "codex", "gemini")
RESULT_FIELDS = {
    "client",
    "scope",
    "name",
    "path",
    "status",
    "seconds",
    "tools",
    "protocol_version",
    "server_version",
    "evidence",
    "notes",
    "ok",
    "hint",
}


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any], str]:
    """The console script with `--json`: exit code, parsed stdout, stderr."""
    result = subprocess.run(
        [SETUP, *args, "--json"], capture_output=True, text=True, timeout=120, env=os.environ | (env or {})
    )
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"exit {result.returncode}, not JSON on stdout:\n{result.stdout}\n{result.stderr}")
    return result.returncode, data, result.stderr


def failures(data: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    """The failed results, for an assertion message."""
    return [(r["client"], r["status"], r["evidence"]) for r in data.get("verify", []) if not r["ok"]]


def assert_ok(results: list[dict[str, Any]], tools: int = len(DEFAULT_TOOLS)) -> None:
    for r in results:
        assert set(r) == RESULT_FIELDS
        assert r["status"] == "ok" and r["ok"] and r["hint"] is None and r["evidence"] == [], r
        assert r["tools"] == tools
        assert r["protocol_version"] == LATEST_PROTOCOL_VERSION  # the newest the SDK and our server both speak
        assert r["server_version"] == __version__
        assert 0 < r["seconds"] < 30


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with running_sandbox(secret_key=KEY) as url:
        yield url


@pytest.fixture(scope="module")
def team_server(sandbox: str) -> Iterator[str]:
    """Our real HTTP app (as a team would run it), every tool, backed by the sandbox."""
    config = ServerConfig(tools=resolve(["*"]), secret_key=KEY, api_url=sandbox, audit_log="off")
    with running_app(create_app(config, HttpOptions()), lifespan="on") as url:
        yield url + "/mcp"


# ------------------------------------------------------------------------------------ every client format


def test_demo_install_into_every_user_client_verifies(isolated_home: Path) -> None:
    clients = [arg for c in USER_CLIENTS for arg in ("--client", c)]
    code, data, stderr = run(*clients, "--demo", "--yes")
    assert code == 0, (failures(data), stderr)
    assert [(r["client"], r["scope"], r["name"]) for r in data["verify"]] == [
        (c, "user", "clerk") for c in USER_CLIENTS
    ]
    assert_ok(data["verify"])
    paths = {r["client"]: Path(r["path"]) for r in data["verify"]}
    assert paths["codex"].suffix == ".toml" and paths["zed"].name == "settings.json"
    stamps = {r.client: (r.verified_at, r.verified_ok) for r in Manifest.load().records}
    assert set(stamps) == set(USER_CLIENTS) and all(at and ok for at, ok in stamps.values())


def test_demo_install_into_claude_code_project_verifies(isolated_home: Path, tmp_path: Path) -> None:
    code, data, stderr = run("--client", "claude-code", "--project", str(tmp_path), "--demo", "--yes")
    assert code == 0, (failures(data), stderr)
    [result] = data["verify"]
    assert (result["client"], result["scope"], result["path"]) == (
        "claude-code",
        "project",
        str(tmp_path / ".mcp.json"),
    )
    assert_ok([result])


def test_no_verify_skips_verification(isolated_home: Path) -> None:
    code, data, _ = run("--client", "cursor", "--demo", "--yes", "--no-verify")
    assert code == 0 and data["verify"] == []
    assert Manifest.load().records[0].verified_at == ""


# ----------------------------------------------------------------------------------------- key storages


def test_env_storage_key_is_resolved_and_checked(isolated_home: Path, sandbox: str) -> None:
    """Claude Code's `${CLERK_SECRET_KEY}` filled from the environment; --check-key calls the sandbox with it."""
    args = ("--client", "claude-code", "--key-storage", "env", "--api-url", sandbox, "--check-key", "--yes")
    code, data, stderr = run(*args, env={"CLERK_SECRET_KEY": KEY})
    assert code == 0, (failures(data), stderr)
    assert_ok(data["verify"])
    entry = json.loads((isolated_home / ".claude.json").read_text())["mcpServers"]["clerk"]
    assert entry["env"] == {"CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"}

    code, data, _ = run(*args, env={"CLERK_SECRET_KEY": WRONG_KEY})
    assert code == 4
    [result] = data["verify"]
    assert result["status"] == "unauthorized" and result["hint"] == HINTS["unauthorized"]
    assert result["tools"] == len(DEFAULT_TOOLS)  # the server started; only the key is wrong
    evidence = result["evidence"][0]
    assert evidence.startswith("getUserCount: Clerk says: ") and "HTTP 401" in evidence and "{" not in evidence
    assert WRONG_KEY not in json.dumps(data)


def test_vault_storage_key_is_checked(isolated_home: Path, sandbox: str) -> None:
    code, data, stderr = run("--client", "cursor", "--secret-key", KEY, "--api-url", sandbox, "--check-key", "--yes")
    assert code == 0, (failures(data), stderr)
    assert_ok(data["verify"])
    assert KEY not in cursor_file(isolated_home).read_text()


def test_vscode_input_storage_lists_tools_and_says_the_key_cannot_be_checked(isolated_home: Path) -> None:
    code, data, stderr = run("--client", "vscode", "--key-storage", "input", "--check-key", "--yes")
    assert code == 0, (failures(data), stderr)
    [result] = data["verify"]
    assert_ok([result])
    assert any("VS Code input" in n for n in result["notes"])
    assert any("--check-key skipped" in n for n in result["notes"])


# ------------------------------------------------------------------------------------------ remote entries


def test_remote_and_bridge_entries_verify_against_the_team_server(isolated_home: Path, team_server: str) -> None:
    """Cursor gets a URL entry (streamable HTTP); Claude Desktop, which reads no URLs, a stdio bridge."""
    args = ("--client", "cursor", "--client", "claude-desktop", "--remote", team_server, "--header", "X-Team: ops")
    code, data, stderr = run(*args, "--yes")
    assert code == 0, (failures(data), stderr)
    assert [r["client"] for r in data["verify"]] == ["cursor", "claude-desktop"]
    assert_ok(data["verify"], tools=len(CATALOG))  # a remote server decides its own tools
    cursor = json.loads(cursor_file(isolated_home).read_text())["mcpServers"]["clerk"]
    assert cursor["url"] == team_server
    desktop = json.loads(Path(data["verify"][1]["path"]).read_text())["mcpServers"]["clerk"]
    assert "--bridge" in desktop["args"] and team_server in desktop["args"]


def test_install_whose_entry_fails_exits_4(isolated_home: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    code, data, _ = run("--client", "cursor", "--remote", url, "--yes")
    assert code == 4
    assert data["applied"] and json.loads(cursor_file(isolated_home).read_text())["mcpServers"]["clerk"]["url"] == url
    [result] = data["verify"]
    assert result["status"] == "not-reachable" and result["hint"] == HINTS["not-reachable"]
    [record] = Manifest.load().records
    assert record.verified_at and not record.verified_ok


# ---------------------------------------------------------------------------- verify, status --verify, refresh


def test_verify_reports_failure_exits_4_and_stamps_the_manifest(isolated_home: Path) -> None:
    code, _, _ = run("--client", "cursor", "--client", "windsurf", "--demo", "--yes", "--no-verify")
    assert code == 0
    # Cursor's entry now runs a server that prints the key it was given and exits; Windsurf's a quick stand-in.
    edit_cursor(
        isolated_home,
        "clerk",
        command=PYTHON,
        args=[script(isolated_home, "leak_key")],
        env={"CLERK_SECRET_KEY": KEY, "API_TOKEN": "tok-0123456789abcdefXYZW"},
    )
    windsurf_file = Path(Manifest.load().find("windsurf")[0].path)
    edit_entry(windsurf_file, "clerk", command=PYTHON, args=[script(isolated_home, "fake")])
    code, data, _ = run("verify", "--allow-edited")
    assert code == 4
    assert set(data) == {"verify"}
    cursor, windsurf = sorted(data["verify"], key=lambda r: r["client"])
    assert windsurf["ok"] and windsurf["server_version"] == "9.9.9"
    assert set(cursor) == RESULT_FIELDS
    assert cursor["status"] == "exited-early" and cursor["ok"] is False and cursor["hint"] == HINTS["exited-early"]
    assert cursor["evidence"][0] == "exit code 1"
    assert f"stderr: auth failed with key {mask(KEY)} and token ****XYZW" in cursor["evidence"]
    assert KEY not in json.dumps(data)
    stamps = {r.client: r for r in Manifest.load().records}
    assert stamps["cursor"].verified_at and not stamps["cursor"].verified_ok
    assert stamps["windsurf"].verified_at and stamps["windsurf"].verified_ok
    first_stamp = stamps["cursor"].verified_at

    code, data, _ = run("verify", "--client", "windsurf", "--allow-edited")  # only the chosen entries
    assert code == 0 and [r["client"] for r in data["verify"]] == ["windsurf"]

    code, status, _ = run("status", "--verify", "--allow-edited")
    assert code == 4
    states = {e["client"]: e for e in status["entries"]}
    assert states["cursor"]["state"] == "edited" and states["cursor"]["verify"]["status"] == "exited-early"
    assert states["windsurf"]["verify"]["ok"] and states["cursor"]["verified_at"] >= first_stamp

    code, data, stderr = run("refresh", "--client", "cursor", "--force", "--yes")  # rewrites it; verifies again
    assert code == 0, (failures(data), stderr)
    assert_ok(data["verify"])
    assert all(r.verified_ok for r in Manifest.load().records)


def test_verify_text_output_shows_evidence_and_fix(isolated_home: Path) -> None:
    code, _, _ = run("--client", "cursor", "--demo", "--yes", "--no-verify")
    assert code == 0
    edit_cursor(isolated_home, "clerk", command="/opt/gone/bin/clerk-mcp-server")
    result = subprocess.run([SETUP, "verify"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 4
    assert result.stdout.splitlines() == [
        "✘ cursor (user) 'clerk': command-not-found",
        "    tried /opt/gone/bin/clerk-mcp-server: no such file",
        f"    fix: {HINTS['command-not-found']}",
        "0/1 entries work.",
    ]
