"""Factory's Droid, Amp and OpenClaw connect to the entries clerk-mcp-setup wrote, and list our tools.

Each runs once over a home with a user-scope vault entry, an env-storage entry (project scope for Droid
and Amp; user scope `clerk-env` for OpenClaw, which has no project file) and a remote entry
(newclients.py). Commands and what they printed here (2026-11-30):

- Droid (@factory/cli 0.225.1 with its linux binary 0.225.2): `droid exec --list-tools -o json` in the
  project starts every server and lists each tool as `{"displayName": "[MCP] clerk:getUser", …}` (24 per
  server). (`droid mcp list` only shows `connecting` for stdio servers within its wait.)
- Amp (@ampcode/cli 0.0.1790142911-g7618fb): `AMP_API_KEY=dummy AMP_URL=http://127.0.0.1:9 amp mcp
  doctor` prints `clerk (user settings): connected (24 tools: getUserId, getUser, …)`. A workspace server
  first shows `clerk-project (workspace: untrusted, server: untrusted): awaiting approval`; after
  `amp mcp approve clerk-project` it connects.
- OpenClaw 2026.9.6 (Node 24.22.3): `openclaw mcp probe --json` prints
  `{"servers": {"clerk": {"launch": "…/clerk-mcp-server --api-url … --vault …", "tools": 24, …}, …},
  "tools": ["clerk__createInvitation", …]}`. OpenClaw starts servers with an environment allow-list;
  `${CLERK_SECRET_KEY}` in the entry's env is expanded from OpenClaw's own environment.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from newclients import Home, Remote, install_entries, plain
from pins import NODE24_BIN, installed_bin, versioned
from realclients import Sandbox, output, run

pytestmark = pytest.mark.clients


@dataclass
class Tools:
    home: Home
    by_server: dict[str, set[str]]  # entry name → tool names the client got from it
    text: str


def factory(fixture: str, key: str) -> Callable[..., None]:
    """A test asserting the client got exactly our tools from the entry behind `key`."""

    def test(request: pytest.FixtureRequest, expected_tools: set[str]) -> None:
        tools: Tools = request.getfixturevalue(fixture)
        name = tools.home.names[key]
        assert tools.by_server.get(name) == expected_tools, f"{name}: {tools.by_server.get(name)}\n{tools.text}"

    return test


# --- Droid ---


@pytest.fixture(scope="module")
def droid(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Tools:
    exe = installed_bin("droid", "@factory/cli")
    home = install_entries(tmp_path_factory.mktemp("droid-home"), "droid", sandbox, remote, project=True)
    assert home.files["clerk"] == home.home / ".factory" / "mcp.json"
    assert home.files["clerk-project"] == home.project / ".factory" / "mcp.json"
    result = run([exe, "exec", "--list-tools", "-o", "json"], env=home.env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    by_server: dict[str, set[str]] = defaultdict(set)
    for tool in json.loads(result.stdout):
        found = re.fullmatch(r"\[MCP\] (.+):(\w+)", tool.get("displayName", ""))
        if found:
            by_server[found[1]].add(found[2])
    return Tools(home, dict(by_server), output(result)[:4000])


versioned(
    globals(), "droid", "@factory/cli", **{k: factory("droid", k) for k in ("user_vault", "project_env", "remote")}
)


# --- Amp ---


@pytest.fixture(scope="module")
def amp(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Tools:
    exe = installed_bin("amp", "@ampcode/cli")
    # Amp wants an account key for its own service; `doctor` never uses it. AMP_URL points at a closed port.
    extra = {"AMP_API_KEY": "dummy", "AMP_URL": "http://127.0.0.1:9"}
    home = install_entries(tmp_path_factory.mktemp("amp-home"), "amp", sandbox, remote, project=True, **extra)
    assert home.files["clerk"] == home.home / ".config" / "amp" / "settings.json"
    assert home.files["clerk-project"] == home.project / ".amp" / "settings.json"
    doctor = [exe, "mcp", "doctor"]
    before = run(doctor, env=home.env, cwd=home.project, timeout=120)
    assert re.search(r"^clerk-project \(workspace.*\): awaiting approval$", plain(before.stdout), flags=re.M), output(
        before
    )
    approved = run([exe, "mcp", "approve", "clerk-project"], env=home.env, cwd=home.project)
    assert approved.returncode == 0, output(approved)
    result = run(doctor, env=home.env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    text = plain(result.stdout)
    by_server = {
        m[1]: set(m[3].split(", "))
        for m in re.finditer(r"^(\S+) \(.*?\): connected \((\d+) tools: (.*)\)$", text, re.M)
    }
    return Tools(home, by_server, output(result))


versioned(globals(), "amp", "@ampcode/cli", **{k: factory("amp", k) for k in ("user_vault", "project_env", "remote")})


# --- OpenClaw ---


def probe_json(text: str) -> dict[str, Any]:
    """The JSON document in `openclaw mcp probe --json` output (log lines may come before it)."""
    start = re.search(r"^\{", text, flags=re.M)
    assert start, text
    data: dict[str, Any] = json.loads(text[start.start() : text.rindex("}") + 1])
    return data


@pytest.fixture(scope="module")
def openclaw(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Tools:
    exe = installed_bin("openclaw", "openclaw")
    home = install_entries(tmp_path_factory.mktemp("openclaw-home"), "openclaw", sandbox, remote, project=False)
    assert home.files["clerk"] == home.home / ".openclaw" / "openclaw.json"
    home.env["PATH"] = f"{NODE24_BIN}:{home.env.get('PATH', '')}"  # OpenClaw refuses Node < 24.16
    result = run([exe, "mcp", "probe", "--json"], env=home.env, cwd=home.project, timeout=180)
    assert result.returncode == 0, output(result)
    data = probe_json(result.stdout)
    by_server: dict[str, set[str]] = defaultdict(set)
    for tool in data["tools"]:
        server, _, name = tool.rpartition("__")
        by_server[server].add(name)
    for name, server in data["servers"].items():
        assert server["tools"] == len(by_server[name]), data
    return Tools(home, dict(by_server), output(result)[:4000])


versioned(
    globals(), "openclaw", "openclaw", **{k: factory("openclaw", k) for k in ("user_vault", "user_env", "remote")}
)
