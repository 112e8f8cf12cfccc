"""Bridge mode: a stdio server that relays to a team's streamable HTTP server (Claude Desktop's remote entry)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from mcp import Client, StdioServerParameters

from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.server.app import ServerConfig, build_server
from clerk_mcp_setup.server.sandbox.serve import base_url, bind_socket, running_sandbox

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
KEY = "sk_test_bridgeKEY0123456789"


@pytest.fixture(scope="module")
def team_server() -> Iterator[str]:
    """Our server over streamable HTTP (as a team would run it), backed by the sandbox."""
    with running_sandbox(secret_key=KEY) as sandbox:
        server = build_server(ServerConfig(tools=resolve(["*"]), secret_key=KEY, api_url=sandbox))
        app = server.streamable_http_app(stateless_http=True, json_response=True)
        sock = bind_socket("127.0.0.1", 0)
        http = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=http.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not http.started:
            threading.Event().wait(0.02)
        yield base_url("127.0.0.1", sock.getsockname()[1]) + "/mcp"
        http.should_exit = True
        thread.join(timeout=5)


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
