"""Codex CLI (the real `codex`) parses the TOML clerk-mcp-setup wrote and starts our server.

One CODEX_HOME holds a demo install (`clerk`) and an `--key-storage env` install pointed at our sandbox
(`clerk-env`, passing CLERK_SECRET_KEY through `env_vars`). `codex mcp list --json` checks the file
parses as we meant; one `codex app-server` session lists both servers' tools and calls a tool on each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from realclients import SERVER, LineRPC, Sandbox, client_bin, client_env, install, output, run, written_paths

pytestmark = pytest.mark.clients


@dataclass
class CodexHome:
    home: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def codex(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox) -> CodexHome:
    client_bin("codex")
    home = tmp_path_factory.mktemp("codex-home")
    demo = install(home, "--client", "codex", "--demo")
    assert written_paths(demo) == {"codex": home / ".codex" / "config.toml"}
    install(home, "--client", "codex", "--name", "clerk-env", "--key-storage", "env", "--api-url", sandbox.url)
    env = client_env(home, CODEX_HOME=str(home / ".codex"), CLERK_SECRET_KEY=sandbox.key)
    return CodexHome(home, env)


def test_codex_mcp_list_parses_both_entries(codex: CodexHome, sandbox: Sandbox) -> None:
    result = run([client_bin("codex"), "mcp", "list", "--json"], env=codex.env, cwd=codex.home)
    assert result.returncode == 0, output(result)
    servers = {s["name"]: s for s in json.loads(result.stdout)}
    assert set(servers) == {"clerk", "clerk-env"}
    assert all(s["enabled"] for s in servers.values())
    demo, keyed = servers["clerk"]["transport"], servers["clerk-env"]["transport"]
    assert (demo["type"], demo["command"], demo["args"]) == ("stdio", str(SERVER), ["--demo"])
    assert (keyed["command"], keyed["args"]) == (str(SERVER), ["--api-url", sandbox.url])
    assert keyed["env_vars"] == ["CLERK_SECRET_KEY"] and not keyed["env"]


def test_codex_mcp_get(codex: CodexHome) -> None:
    result = run([client_bin("codex"), "mcp", "get", "clerk", "--json"], env=codex.env, cwd=codex.home)
    assert result.returncode == 0, output(result)
    assert json.loads(result.stdout)["transport"]["command"] == str(SERVER)


@dataclass
class Session:
    status: dict[str, dict[str, Any]]
    calls: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def app_server(codex: CodexHome) -> Session:
    """One `codex app-server` conversation: handshake, server status, then getUserCount on each server."""
    rpc = LineRPC([client_bin("codex"), "app-server"], env=codex.env, cwd=codex.home)
    try:
        rpc.request("initialize", {"clientInfo": {"name": "clerk-mcp-setup-tests", "version": "0"}})
        rpc.send({"method": "initialized"})
        listed = rpc.request("mcpServerStatus/list", {}, timeout=45)
        thread = rpc.request("thread/start", {"ephemeral": True})["thread"]["id"]
        calls = {
            name: rpc.request(
                "mcpServer/tool/call", {"server": name, "threadId": thread, "tool": "getUserCount", "arguments": {}}
            )
            for name in ("clerk", "clerk-env")
        }
    finally:
        rpc.close()
    return Session({s["name"]: s for s in listed["data"]}, calls)


@pytest.mark.parametrize("name", ["clerk", "clerk-env"])
def test_app_server_lists_our_tools(app_server: Session, name: str, expected_tools: set[str]) -> None:
    server = app_server.status[name]
    assert not server.get("toolsError"), server
    assert server["serverInfo"]["name"] == "clerk"
    assert set(server["tools"]) == expected_tools
    title = server["serverInfo"]["title"]
    assert title == ("Clerk (demo)" if name == "clerk" else "Clerk")


def test_app_server_calls_a_demo_tool(app_server: Session) -> None:
    result = app_server.calls["clerk"]
    assert result["isError"] is False, result
    assert result["structuredContent"]["object"] == "total_count"
    assert result["structuredContent"]["total_count"] > 0


def test_app_server_passes_the_key_through_to_the_sandbox(app_server: Session, sandbox: Sandbox) -> None:
    result = app_server.calls["clerk-env"]
    assert result["isError"] is False, result  # the sandbox answers 401 to any other key
    assert result["structuredContent"] == {"object": "total_count", "total_count": sandbox.user_count()}
