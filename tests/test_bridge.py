"""Bridge mode: a stdio server that relays to a team's streamable HTTP server (Claude Desktop's remote entry)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters

from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.server.app import ServerConfig
from clerk_mcp_setup.server.http import HttpOptions, create_app
from clerk_mcp_setup.server.sandbox.serve import running_app, running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_bridgeKEY0123456789"


@pytest.fixture(scope="module")
def team_server() -> Iterator[str]:
    """Our real HTTP app (as a team would run it), backed by the sandbox."""
    with running_sandbox(secret_key=KEY) as sandbox:
        config = ServerConfig(tools=resolve(["*"]), secret_key=KEY, api_url=sandbox, audit_log="off")
        with running_app(create_app(config, HttpOptions()), lifespan="on") as url:
            yield url + "/mcp"


async def test_bridge_lists_and_calls_remote_tools(team_server: str) -> None:
    params = StdioServerParameters(command=SERVER, args=["--bridge", team_server, "--header", "X-Team: ops"])
    async with Client(params) as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert "listUsers" in names and "deleteOrganization" in names
        result = await client.call_tool("getUserCount", {})
        assert not result.is_error and result.structured_content["total_count"] >= 20


async def test_bridge_header_from_env_and_bad_values() -> None:
    import subprocess

    bad = subprocess.run([SERVER, "--bridge", "ftp://x"], capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "http(s) URL" in bad.stderr
    bad = subprocess.run(
        [SERVER, "--bridge", "http://127.0.0.1:9/mcp", "--header-env", "X-Key=NOPE_UNSET"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert bad.returncode == 2 and "NOPE_UNSET is empty" in bad.stderr
