"""Claude Code (the real `claude` CLI) loads and starts what clerk-mcp-setup wrote, in every scope.

One temp home holds a user-scope, a project-scope (`.mcp.json`) and a local-scope install under three
names; `claude mcp list` run in the project starts each (initialize, tools/list) and reports it. A
second home holds an `--key-storage env` install pointed at our sandbox: Claude expands
`${CLERK_SECRET_KEY}`, and a real `claude -p` turn (against a scripted model API) calls a tool that
reaches the sandbox with that key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_model import FakeModelAPI
from realclients import SERVER, Sandbox, client_bin, client_env, install, output, run, written_paths

pytestmark = pytest.mark.clients

NAMES = {"user": "clerk", "project": "clerk-project", "local": "clerk-local"}


def status_line(listing: str, name: str) -> str:
    """The `NAME: command args - status` line of `claude mcp list` for one server."""
    found = [line for line in listing.splitlines() if line.startswith(f"{name}: ")]
    assert len(found) == 1, f"no single line for {name!r} in:\n{listing}"
    return found[0]


@dataclass
class ClaudeHome:
    home: Path
    project: Path
    pending: str  # `claude mcp list` before the project server was approved
    listing: str  # … and after


def approve_project_servers(home: Path, project: Path, names: list[str]) -> None:
    """What accepting Claude's trust dialog and approving the `.mcp.json` servers records."""
    path = home / ".claude.json"
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entry = state.setdefault("projects", {}).setdefault(str(project), {})
    entry["hasTrustDialogAccepted"] = True
    entry["enabledMcpjsonServers"] = names
    tmp = path.with_name(".claude.json.tmp")
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    tmp.replace(path)


@pytest.fixture(scope="module")
def claude(tmp_path_factory: pytest.TempPathFactory) -> ClaudeHome:
    exe = client_bin("claude")
    home = tmp_path_factory.mktemp("claude-home")
    project = (home / "project").resolve()
    project.mkdir()
    user = install(home, "--client", "claude-code", "--demo", "--name", NAMES["user"])
    assert written_paths(user) == {"claude-code": home / ".claude.json"}
    in_project = ("--client", "claude-code", "--demo", "--project", str(project))
    shared = install(home, *in_project, "--scope", "project", "--name", NAMES["project"])
    assert written_paths(shared) == {"claude-code": project / ".mcp.json"}
    install(home, *in_project, "--scope", "local", "--name", NAMES["local"])
    env = client_env(home)
    pending = run([exe, "mcp", "list"], env=env, cwd=project)
    approve_project_servers(home, project, [NAMES["project"]])
    listing = run([exe, "mcp", "list"], env=env, cwd=project)
    assert listing.returncode == 0, output(listing)
    return ClaudeHome(home, project, output(pending), listing.stdout)


@pytest.mark.parametrize("scope", list(NAMES))
def test_claude_mcp_list_connects_to_each_scope(claude: ClaudeHome, scope: str) -> None:
    line = status_line(claude.listing, NAMES[scope])
    assert f"{SERVER} --demo" in line, line
    assert line.endswith("✔ Connected"), claude.listing


def test_project_server_waits_for_approval_until_the_project_is_trusted(claude: ClaudeHome) -> None:
    assert "Pending approval" in status_line(claude.pending, NAMES["project"]), claude.pending


def test_claude_mcp_get_reports_the_user_scope_entry(claude: ClaudeHome) -> None:
    result = run([client_bin("claude"), "mcp", "get", NAMES["user"]], env=client_env(claude.home), cwd=claude.home)
    assert "Scope: User config" in result.stdout, output(result)
    assert "Status: ✔ Connected" in result.stdout, output(result)
    assert f"Command: {SERVER}" in result.stdout


# --- the key from the environment, against the sandbox ---


@pytest.fixture(scope="module")
def env_home(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox) -> Path:
    client_bin("claude")
    home = tmp_path_factory.mktemp("claude-env-home")
    install(home, "--client", "claude-code", "--key-storage", "env", "--api-url", sandbox.url)
    return home


def test_env_install_references_the_variable_not_a_key(env_home: Path, sandbox: Sandbox) -> None:
    entry = json.loads((env_home / ".claude.json").read_text(encoding="utf-8"))["mcpServers"]["clerk"]
    assert entry["env"] == {"CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"}
    assert entry["args"] == ["--api-url", sandbox.url]


def test_claude_expands_the_variable_and_connects(env_home: Path, sandbox: Sandbox) -> None:
    exe = client_bin("claude")
    unset = run([exe, "mcp", "list"], env=client_env(env_home), cwd=env_home)
    assert "Missing environment variables: CLERK_SECRET_KEY" in unset.stdout, output(unset)
    listing = run([exe, "mcp", "list"], env=client_env(env_home, CLERK_SECRET_KEY=sandbox.key), cwd=env_home)
    assert status_line(listing.stdout, "clerk").endswith("✔ Connected"), output(listing)
    assert "Missing environment variables" not in listing.stdout, output(listing)


def test_a_real_claude_turn_calls_a_tool_that_reaches_the_sandbox_with_the_key(
    env_home: Path,
    sandbox: Sandbox,
    expected_tools: set[str],
) -> None:
    tool = "mcp__clerk__getUserCount"
    with FakeModelAPI(call_tool=tool) as model:
        env = client_env(
            env_home, CLERK_SECRET_KEY=sandbox.key, ANTHROPIC_BASE_URL=model.url, ANTHROPIC_API_KEY="sk-ant-fake"
        )
        result = run(
            [
                client_bin("claude"),
                "-p",
                "How many users?",
                "--allowedTools",
                tool,
                *("--max-turns", "3", "--output-format", "json"),
            ],
            env=env,
            cwd=env_home,
        )
    assert result.returncode == 0, output(result)
    assert json.loads(result.stdout)["is_error"] is False, output(result)
    # The model was offered exactly our tools, under Claude's mcp__<server>__ names.
    assert model.tool_lists, output(result)
    offered = {name.removeprefix("mcp__clerk__") for name in model.tool_lists[0] if name.startswith("mcp__clerk__")}
    assert offered == expected_tools
    # The call went server → sandbox with the key Claude expanded from ${CLERK_SECRET_KEY}.
    assert len(model.tool_results) == 1, model.tool_results
    answer = model.tool_results[0]
    assert not answer.get("is_error"), answer
    content = answer["content"]
    text = content if isinstance(content, str) else "".join(c.get("text", "") for c in content)
    assert json.loads(text) == {"object": "total_count", "total_count": sandbox.user_count()}
    calls = [
        r
        for r in sandbox.requests()
        if r["path"] == "/v1/users/count" and "clerk-mcp-server" in (r["user_agent"] or "")
    ]
    assert calls and all(c["authorization_present"] and c["status"] == 200 for c in calls), calls
