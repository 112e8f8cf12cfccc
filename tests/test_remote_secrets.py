"""Secret remote headers stay secret: never in a config file (unless --key-storage plain, then 0600), never on a
command line we run (`claude mcp add-json`, the bridge entry), never unmasked in output; and they still work:
a bridge entry reads its token from the vault and reaches a team server that requires it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from server_helpers import http_server
from test_claude_cli import FAKE_CLAUDE

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.install import headers
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.verify.core import launch_for, verify_record

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
TOKEN = "team-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
REMOTE = "https://mcp.example.com/mcp"
CLIENTS = ("claude-desktop", "claude-code", "cursor", "vscode", "windsurf", "zed", "codex", "gemini")
ENV_CLIENTS = ("claude-code", "cursor", "vscode", "windsurf", "codex", "gemini")


@pytest.fixture(autouse=True)
def _file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


@pytest.fixture
def claude_on_path(isolated_home: Path, tmp_path: Path) -> dict[str, str]:
    """A stand-in `claude` first on PATH that records its argv (and edits ~/.claude.json as the real one does)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "claude"
    fake.write_text(FAKE_CLAUDE.format(python=sys.executable))
    fake.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SETUP, *args], env=env, capture_output=True, text=True, timeout=120)


def _files_with(home: Path, text: str) -> list[str]:
    return sorted(
        str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and text in p.read_text(errors="replace")
    )


@pytest.mark.parametrize("header", [f"Authorization: Bearer {TOKEN}", f"X-Clerk-Secret-Key: {TOKEN}"])
def test_vault_keeps_header_secrets_out_of_files_argv_and_output(
    header: str, isolated_home: Path, claude_on_path: dict[str, str]
) -> None:
    outputs = []
    for client in CLIENTS:
        base = ["--client", client, "--remote", REMOTE, "--header", header, "--header", "X-Team: platform"]
        for extra in (["--dry-run"], ["--dry-run", "--json"], ["--yes", "--no-verify", "--json"]):
            done = run(claude_on_path, *base, *extra)
            assert done.returncode == 0, (client, done.stderr)
            outputs.append(done.stdout + done.stderr)
    assert not [o for o in outputs if TOKEN in o]
    vault = Path(isolated_home / ".config" / "clerk-mcp-setup" / "vault.json")
    assert _files_with(isolated_home, TOKEN) == [str(vault.relative_to(isolated_home))]  # only the vault holds it
    assert stat.S_IMODE(vault.stat().st_mode) == 0o600
    calls = (isolated_home / "claude-calls.log").read_text()
    assert "add-json" in calls and TOKEN not in calls  # the CLI was used, without the secret on its argv
    records = Manifest.load().records
    assert {r.client for r in records} == set(CLIENTS)
    for record in records:
        entry = json.dumps(record.headers)
        assert TOKEN not in entry and record.secret_slots
    status = run(claude_on_path, "status", "--json")
    assert TOKEN not in status.stdout


async def test_the_bridge_reads_the_token_from_the_vault_and_reaches_the_server(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team server that requires the token: Claude Desktop's and Codex's bridge entries connect; without
    the vault slot they are refused (the token really comes from the vault, not from anywhere else)."""
    env = {"CLERK_MCP_AUTH_TOKEN": TOKEN}
    with http_server("--demo", "--auth-token", TOKEN, env=env) as base:
        for client in ("claude-desktop", "codex"):
            done = run(
                {**os.environ, "CLERK_MCP_SETUP_NO_CLAUDE_CLI": "1"},
                "--client",
                client,
                "--remote",
                f"{base}/mcp",
                "--header",
                f"Authorization: Bearer {TOKEN}",
                "--yes",
                "--no-verify",
            )
            assert done.returncode == 0, done.stderr
        for record in Manifest.load().records:
            result = await verify_record(record, timeout=60)
            assert result.ok, (record.client, result.status, result.evidence)
            assert result.tools > 0
        vault = isolated_home / ".config" / "clerk-mcp-setup" / "vault.json"
        vault.write_text("{}")
        result = await verify_record(Manifest.load().records[0], timeout=60)
        assert not result.ok and TOKEN not in json.dumps(result.to_dict())


@pytest.mark.parametrize("client", ENV_CLIENTS)
def test_env_storage_uses_the_clients_own_reference(client: str, isolated_home: Path) -> None:
    done = run(
        {**os.environ, "CLERK_MCP_SETUP_NO_CLAUDE_CLI": "1"},
        *("--client", client, "--remote", REMOTE, "--header", f"Authorization: Bearer {TOKEN}"),
        *("--key-storage", "env", "--yes", "--no-verify", "--json"),
    )
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr and _files_with(isolated_home, TOKEN) == []
    assert "CLERK_MCP_AUTHORIZATION" in done.stdout  # the note says which variable to set
    (record,) = Manifest.load().records
    from clerk_mcp_setup.verify.core import read_entry

    entry = read_entry(record)
    launch = launch_for(get_client(client), entry, str(isolated_home), {"CLERK_MCP_AUTHORIZATION": TOKEN})
    assert launch.url == REMOTE and launch.headers["Authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("client", ["claude-desktop", "zed"])
def test_env_storage_is_refused_where_the_client_has_no_reference(client: str, isolated_home: Path) -> None:
    done = run(
        os.environ.copy(),
        "--client",
        client,
        "--remote",
        REMOTE,
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--key-storage",
        "env",
        "--yes",
    )
    assert done.returncode == 2 and "--key-storage vault" in done.stderr and TOKEN not in done.stderr


def test_plain_text_only_when_asked_and_then_0600_and_never_in_a_project_file(
    isolated_home: Path, claude_on_path: dict[str, str]
) -> None:
    done = run(
        claude_on_path,
        "--client",
        "claude-code",
        "--client",
        "claude-desktop",
        "--remote",
        REMOTE,
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--key-storage",
        "plain",
        "--yes",
        "--no-verify",
    )
    assert done.returncode == 0, done.stderr and TOKEN not in done.stdout + done.stderr
    for path in (isolated_home / ".claude.json", isolated_home / ".config" / "Claude" / "claude_desktop_config.json"):
        assert TOKEN in path.read_text() and stat.S_IMODE(path.stat().st_mode) == 0o600
    desktop = json.loads((isolated_home / ".config" / "Claude" / "claude_desktop_config.json").read_text())
    assert TOKEN not in " ".join(desktop["mcpServers"]["clerk"]["args"])  # the bridge's argv names a variable
    calls = (isolated_home / "claude-calls.log").read_text() if (isolated_home / "claude-calls.log").exists() else ""
    assert TOKEN not in calls and "add-json" not in calls  # a secret entry is written by file edit, not argv
    project = isolated_home / "proj"
    project.mkdir()
    refused = subprocess.run(
        [
            SETUP,
            "--client",
            "cursor",
            "--project",
            "--remote",
            REMOTE,
            "--header",
            f"Authorization: Bearer {TOKEN}",
            "--key-storage",
            "plain",
            "--yes",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env=claude_on_path,
    )
    assert refused.returncode == 2 and "project file" in refused.stderr and not (project / ".cursor").exists()


def test_none_storage_refuses_a_secret_header(isolated_home: Path) -> None:
    done = run(
        os.environ.copy(),
        "--client",
        "cursor",
        "--remote",
        REMOTE,
        "--header",
        "X-Api-Token: abc",
        "--key-storage",
        "none",
        "--yes",
    )
    assert done.returncode == 2 and "holds a secret" in done.stderr


def test_marked_and_credential_looking_headers_are_secret() -> None:
    assert headers.is_secret_header("X-Custom", "plain-value", marked=["x-custom"])
    assert headers.is_secret_header("X-Session-Id", "abc")
    assert headers.is_secret_header("X-Whatever", "ghp_" + "a1" * 20)
    assert headers.is_secret_header("X-Whatever", "Basic dXNlcjpwYXNz")
    assert headers.is_secret_header("X-Whatever", "q8Zr2LmX4vT9pW1sY7nB3cK6dF0hJ5gA")  # high entropy
    assert not headers.is_secret_header("X-Team", "platform")
    assert not headers.is_secret_header("Accept", "application/json, text/event-stream")


def test_diff_masks_other_servers_credentials(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    pat = "ghp_" + "Z9" * 18
    config.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "github": {
                        "url": "https://api.githubcopilot.com/mcp/",
                        "headers": {"Authorization": f"Bearer {pat}"},
                    },
                    "db": {"command": "/x", "env": {"DB_PASSWORD": "hunter2hunter2", "API_TOKEN": "opaque-value-1234"}},
                }
            },
            indent=2,
        )
    )
    for extra in (["--dry-run"], ["--dry-run", "--json"]):
        done = run(os.environ.copy(), "--client", "cursor", "--key-storage", "env", *extra)
        assert done.returncode == 0, done.stderr
        for secret in (pat, "hunter2hunter2", "opaque-value-1234"):
            assert secret not in done.stdout + done.stderr
        assert "API_TOKEN" in done.stdout and "****" in done.stdout  # the context lines are there, masked


def test_refresh_keeps_and_purge_removes_the_header_slot(isolated_home: Path) -> None:
    from clerk_mcp_setup.install import installer
    from clerk_mcp_setup.vault import Vault

    env = {**os.environ, "CLERK_MCP_SETUP_NO_CLAUDE_CLI": "1"}
    done = run(
        env,
        "--client",
        "cursor",
        "--remote",
        REMOTE,
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--yes",
        "--no-verify",
    )
    assert done.returncode == 0, done.stderr
    config = isolated_home / ".cursor" / "mcp.json"
    written = config.read_bytes()
    (record,) = Manifest.load().records
    (slot,) = record.secret_slots
    assert Vault.open().get(slot) == f"Bearer {TOKEN}"
    plan = installer.plan_refresh(Manifest.load().records)
    assert not plan.changed  # rebuilt from the manifest and the vault: the same entry
    gone = run(env, "uninstall", "--purge-key", "--yes")
    assert gone.returncode == 0 and TOKEN not in gone.stdout + gone.stderr
    assert Vault.open().get(slot) is None and not config.exists() and written
