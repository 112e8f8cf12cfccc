"""Migration matrix: each old Clerk server form × each client it can live in becomes our entry with exactly
the old tool scope and the old key (moved to the vault, gone from the file); started entries list that scope
and send that key (checked in the sandbox's request log)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import tomlkit
import yaml
from installer_helpers import LAUNCHER
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from clerk_mcp_setup.clients import CLIENTS, Env, get_client
from clerk_mcp_setup.install import installer, migrate
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.server.sandbox.serve import running_sandbox
from clerk_mcp_setup.vault import Vault
from clerk_mcp_setup.verify.core import launch_of

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
USERS = migrate.TOOLKIT_TOOLS["users"]
ORGS = migrate.TOOLKIT_TOOLS["organizations"]


@pytest.fixture(autouse=True)
def file_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


@pytest.fixture(scope="module")
def sandbox() -> Any:
    with running_sandbox(secret_key=None) as url:
        yield url


def key(n: int) -> str:
    return f"sk_test_Migrate{n}Key0123456789abc"


def forms(api: str) -> list[tuple[str, dict[str, Any], tuple[str, ...], str]]:
    """(label, old entry, the tools it had, its key)."""
    return [
        (
            "npx",
            {
                "command": "npx",
                "args": ["-y", "@clerk/agent-toolkit", "-p", "local-mcp", "--tools=users", "--api-url", api],
                "env": {"CLERK_SECRET_KEY": key(1)},
            },
            USERS,
            key(1),
        ),
        (
            "bunx",
            {
                "command": "bunx",
                "args": [
                    *("@clerk/agent-toolkit", "--tools", "users.getUser", "users.getUserCount"),
                    *("--secret-key", key(2), "--api-url", api),
                ],
            },
            ("getUser", "getUserCount"),
            key(2),
        ),
        (
            "pnpm-dlx",
            {
                "command": "pnpm",
                "args": [
                    *("dlx", "@clerk/agent-toolkit@0.3.15", "-t", "organizations", "users.getUserCount"),
                    *(f"--sk={key(3)}", f"--api-url={api}"),
                ],
            },
            ("getUserCount", *ORGS),
            key(3),
        ),
        (
            "yarn-dlx",
            {
                "command": "yarn",
                "args": ["dlx", "@clerk/agent-toolkit", "--api-url", api],
                "env": {"CLERK_SECRET_KEY": key(4)},
            },
            migrate.ALL_TOOLKIT,
            key(4),
        ),
        (
            "global",
            {
                "command": "/usr/local/bin/local-mcp",
                "args": ["-t", "users", "--api-url", api],
                "env": {"CLERK_SECRET_KEY": key(5)},
            },
            USERS,
            key(5),
        ),
    ]


def write_entry(home: Path, client_id: str, name: str, entry: dict[str, Any]) -> Path:
    client = get_client(client_id)
    location = client.location("user", Env("linux", {}, home))
    path = location.os_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    nested: dict[str, Any] = {name: entry}
    for part in reversed(location.key_path):
        nested = {part: nested}
    nested["untouched"] = {"keep": True}
    if location.syntax == "toml":
        path.write_text(tomlkit.dumps(nested))
    elif location.syntax == "yaml":  # block style, and Continue's servers as a list of named items
        if client.servers_list:
            nested[location.key_path[0]] = [{"name": name, **entry}]
        path.write_text(yaml.safe_dump(nested, default_flow_style=False, sort_keys=False))
    else:
        path.write_text(json.dumps(nested, indent=2) + "\n")
    return path


def expected_order(tools: tuple[str, ...]) -> list[str]:
    return [t for t in migrate.ALL_TOOLKIT if t in tools]


async def _start(argv: list[str], env: dict[str, str]) -> tuple[set[str], str]:
    params = StdioServerParameters(command=argv[0], args=argv[1:], env=env)
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            listed = {t.name for t in (await session.list_tools()).tools}
            result = await session.call_tool("getUserCount", {})
            text = "".join(getattr(c, "text", "") for c in result.content)
    return listed, text


@pytest.mark.parametrize("client_id", [c.id for c in CLIENTS])
def test_each_toolkit_form_in_each_client_keeps_scope_and_key(
    client_id: str, isolated_home: Path, sandbox: str
) -> None:
    env = Env("linux", {}, isolated_home)
    all_forms = forms(sandbox)
    for index, (label, entry, tools, secret) in enumerate(all_forms):
        path = write_entry(isolated_home, client_id, "clerk", entry)
        migration = migrate.plan(env, None)
        (item,) = migration.items
        assert item.old.kind == "agent-toolkit" and item.action == "replace", (label, item.reason)
        assert item.old.tools == tuple(expected_order(tools)), label
        installer.apply(migration.plan)
        text = path.read_text()
        assert secret not in text, f"{label}: the plain key left the file"
        assert "untouched" in text and "agent-toolkit" not in text
        (record,) = Manifest.load().records
        assert record.tools == expected_order(tools) and not record.tools_default
        assert Vault.open().get(record.vault_name) == secret
        assert record.api_url == sandbox
        startable = isinstance(get_client(client_id).stdio_entry("/x", []).get("command"), str)  # verify reads these
        if startable and index == CLIENTS.index(get_client(client_id)) % len(all_forms):
            launch = launch_of(record, os.environ)
            assert launch.argv is not None
            listed, answer = asyncio.run(_start(launch.argv, launch.env))
            assert listed == set(tools), label
            assert "error" not in answer.lower()[:40], answer
            with urllib.request.urlopen(f"{sandbox}/__sandbox/requests", timeout=30) as response:
                log = json.loads(response.read())
            assert log[-1]["key_id"] == hashlib.sha256(secret.encode()).hexdigest()[:12], label
        # uninstall puts the old entry back exactly, key and all
        installer.apply(installer.plan_uninstall(Manifest.load().records))
        assert secret in path.read_text() or "--secret-key" in path.read_text() or "--sk=" in path.read_text()
        path.unlink()


def test_url_forms_and_duplicates(isolated_home: Path) -> None:
    env = Env("linux", {}, isolated_home)
    cursor = write_entry(
        isolated_home,
        "cursor",
        "clerk-docs",
        {"command": "npx", "args": ["-y", "mcp-remote", "https://mcp.clerk.com/mcp"]},
    )
    data = json.loads(cursor.read_text())
    data["mcpServers"]["community"] = {
        "url": "https://clerk-mcp.example.dev/mcp",
        "headers": {"X-Clerk-Secret-Key": key(7)},
    }
    data["mcpServers"]["also-clerk"] = {"url": "https://api.clerk.dev/mcp"}
    cursor.write_text(json.dumps(data, indent=2))
    migration = migrate.plan(env, None, launcher=LAUNCHER)
    kinds = {i.found.name: (i.old.kind, i.action) for i in migration.items}
    assert kinds["community"][0] == "community-http"
    assert kinds["clerk-docs"][0] == "clerk-hosted" and kinds["also-clerk"][0] == "clerk-hosted"
    assert sum(a == "replace" for _, a in kinds.values()) == 1, "one Clerk server per file; the rest are duplicates"
    assert all(a in ("replace", "keep-duplicate") for _, a in kinds.values())
    installer.apply(migration.plan)
    after = json.loads(cursor.read_text())["mcpServers"]
    assert set(after) == {"clerk-docs", "community", "also-clerk"}, "duplicates kept without consent"

    consent = migrate.plan(env, None, launcher=LAUNCHER, remove_duplicates=True)
    installer.apply(consent.plan)
    after = json.loads(cursor.read_text())["mcpServers"]
    clerkish = list(after)
    assert len(clerkish) == 1 and json.loads(cursor.read_text())["untouched"] == {"keep": True}
    assert after[clerkish[0]]["command"] == LAUNCHER.command


def test_community_header_key_moves_to_the_vault(isolated_home: Path) -> None:
    env = Env("linux", {}, isolated_home)
    path = write_entry(
        isolated_home,
        "windsurf",
        "clerk",
        {"serverUrl": "https://clerk-mcp.example.dev/mcp", "headers": {"X-Clerk-Secret-Key": key(8)}},
    )
    migration = migrate.plan(env, None, launcher=LAUNCHER)
    (item,) = migration.items
    assert item.old.kind == "community-http" and item.old.key == key(8)
    installer.apply(migration.plan)
    assert key(8) not in path.read_text()
    (record,) = Manifest.load().records
    assert Vault.open().get(record.vault_name) == key(8)


def test_cli_dry_run_json_then_yes(isolated_home: Path) -> None:
    path = write_entry(
        isolated_home,
        "codex",
        "clerk-users",
        {"command": "bunx", "args": ["@clerk/agent-toolkit", "--tools=users"], "env": {"CLERK_SECRET_KEY": key(9)}},
    )
    before = path.read_bytes()
    dry = subprocess.run([SETUP, "migrate", "--dry-run", "--json"], capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    data = json.loads(dry.stdout)
    (item,) = data["items"]
    assert item["tools"] == list(USERS) and item["key"] == "plain" and item["action"] == "replace"
    assert key(9) not in dry.stdout and data["changes"][0]["diff"]
    assert path.read_bytes() == before, "nothing written before confirmation"
    done = subprocess.run([SETUP, "migrate", "--yes"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "replaced" in done.stdout and key(9) not in done.stdout + done.stderr
    assert key(9) not in path.read_text()
    gone = subprocess.run([SETUP, "uninstall", "--yes"], capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0, gone.stderr
    assert path.read_bytes() == before


def test_old_tools_scope_is_read_as_the_old_server_read_it() -> None:
    """`--tools` of an old entry, through the resolver the server uses with the agent-toolkit's flags: within
    its 19 tools, in its order; a category it never had is an error naming the old entry, not a wider scope."""
    assert migrate.toolkit_scope([]) == migrate.toolkit_scope(["*"]) and len(migrate.toolkit_scope(["*"])) == 19
    assert migrate.toolkit_scope(["users"]) == USERS and len(USERS) == 6
    assert migrate.toolkit_scope(["organizations.deleteOrganization", "users.getUser"]) == (
        "getUser",
        "deleteOrganization",
    )
    with pytest.raises(migrate.MigrateError) as bad:
        migrate.toolkit_scope(["sessions"])
    assert "--tools sessions" in bad.value.message
