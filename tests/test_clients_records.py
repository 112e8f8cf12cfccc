"""Every client record says where its facts come from, how it launches servers, and whether we drive its CLI."""

from __future__ import annotations

import pytest

from clerk_mcp_setup.clients import CLIENTS, get_client

ALLOW = ("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER")


@pytest.mark.parametrize("client", CLIENTS, ids=lambda c: c.id)
def test_every_record_is_complete(client: object) -> None:
    from clerk_mcp_setup.clients import Client

    assert isinstance(client, Client)
    assert client.launch.source, "the launch policy names its source"
    assert client.tool_cap_source, "the tool cap (or its absence) names its source"
    for scope in client.scopes:
        assert client.steps_after(scope), f"next steps for {scope}"
    if client.cli:
        assert client.cli.why, "whether we drive the client's CLI, and why"


def test_allow_list_clients_pass_only_what_they_measured() -> None:
    for client_id in ("auggie", "openclaw"):
        launch = get_client(client_id).launch
        assert launch.inherit == "allow-list" and launch.allow == ALLOW
    assert get_client("auggie").launch.shell_line and get_client("auggie").shape.shell_line


def test_only_claude_codes_cli_is_driven() -> None:
    driven = [c.id for c in CLIENTS if c.cli and c.cli.driven]
    assert driven == ["claude-code"]
    assert "add-json" in (get_client("claude-code").cli.why or "")  # type: ignore[union-attr]


def test_project_steps_mention_approval_where_the_client_asks() -> None:
    for client_id, word in (("qwen-code", "approve"), ("amp", "approve"), ("copilot-cli", "trust"), ("zed", "trust")):
        assert any(word in step for step in get_client(client_id).steps_after("project")), client_id
