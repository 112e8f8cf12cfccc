"""MCP Inspector's CLI reads the Claude Desktop and Cursor files clerk-mcp-setup wrote and talks to the server.

Neither desktop app runs here; the Inspector reads the same `mcpServers` shape, starts the entry's
command with its args and env, and exits non-zero if anything fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from realclients import client_bin, client_env, install, output, run, written_paths

pytestmark = pytest.mark.clients

FILES = {
    "claude-desktop": Path(".config/Claude/claude_desktop_config.json"),
    "cursor": Path(".cursor/mcp.json"),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    client_bin("mcp-inspector")
    home = tmp_path_factory.mktemp("inspector-home")
    result = install(home, "--client", "claude-desktop", "--client", "cursor", "--demo")
    assert written_paths(result) == {client: home / path for client, path in FILES.items()}
    return home


def inspect(home: Path, client: str, *method: str) -> dict[str, Any]:
    cmd = [client_bin("mcp-inspector"), "--cli", "--config", home / FILES[client], "--server", "clerk"]
    result = run([*cmd, "--method", *method], env=client_env(home), cwd=home)
    assert result.returncode == 0, output(result)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("client", list(FILES))
def test_inspector_lists_our_tools(home: Path, client: str, expected_tools: set[str]) -> None:
    tools = inspect(home, client, "tools/list")["tools"]
    assert {t["name"] for t in tools} == expected_tools
    count = next(t for t in tools if t["name"] == "getUserCount")
    assert count["annotations"]["readOnlyHint"] is True


def test_inspector_calls_a_demo_tool(home: Path) -> None:
    result = inspect(home, "cursor", "tools/call", "--tool-name", "getUserCount")
    assert result.get("isError") is not True, result
    assert result["structuredContent"]["total_count"] > 0
