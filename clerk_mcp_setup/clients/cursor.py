"""Cursor: the same `mcpServers` JSON in `~/.cursor/mcp.json` and `<project>/.cursor/mcp.json`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    """`~/.cursor/mcp.json` on every OS."""
    return env.home / ".cursor" / "mcp.json"


def _installs(env: Env) -> Sequence[PurePath]:
    if env.platform == "darwin":
        return (PurePosixPath("/Applications/Cursor.app"), env.home / "Applications" / "Cursor.app")
    if env.platform == "win32":
        return (env.local_appdata() / "Programs" / "cursor",)
    return ()


_CHECK = "In Cursor Settings → MCP, check that the server is listed and switched on (restart Cursor if it is not)."

CURSOR = Client(
    id="cursor",
    name="Cursor",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".cursor", "mcp.json"),
    shape=EntryShape(),
    # cursor.com/docs/mcp.md "Config interpolation": ${env:NAME}, ${userHome}, ${workspaceFolder} in command, args,
    # env, url and headers.
    secrets=Secrets(
        template="${env:NAME}",
        home="${userHome}",
        note="Cursor expands ${env:NAME} in command, args, env, url and headers",
    ),
    next_steps={"user": (_CHECK,), "project": (_CHECK,)},
    quirks=(
        "Global and project files have the same shape; remote entries are {url, headers}.",
        "No CLI; an install link needs the person's click: "
        "cursor://anysphere.cursor-deeplink/mcp/install?name=NAME&config=BASE64_OF_ENTRY_JSON",
    ),
    binaries=("cursor",),
    launch=launch.CURSOR,
    # cursor.com/docs/context/mcp (OAuth for remote servers since Cursor 1.0): a bare {url} entry signs in.
    sign_in=SignIn("Cursor opens your browser to sign in when it first connects to '{name}' (Settings → MCP)."),
    installs=_installs,
    # Cursor sends the agent only its first 40 MCP tools (Cursor's MCP docs, quoted in bun913/mcp-testrail#6;
    # the "more than 40 tools" error in modelcontextprotocol/.github#360). Later builds warn past 80 instead
    # (Snowflake-Labs/mcp#77, 2025-09); we keep the documented 40.
    tool_cap=40,
    tool_cap_source="Cursor MCP docs: only the first 40 tools are sent to the Agent (quoted in bun913/mcp-testrail#6; "
    "modelcontextprotocol/.github#360); later builds warn past 80 (Snowflake-Labs/mcp#77)",
)
