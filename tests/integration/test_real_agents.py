"""Agent CLIs that prove a connection by a headless turn (or their own list command) against our entries:
GitHub Copilot CLI, Cline, Qwen Code and Continue's `cn`.

The headless runs talk to a fake model on 127.0.0.1 (fake_model.py) that records the tools each request
offered: a tool of ours in that list means the client started our server (or reached our HTTP server),
listed its tools and handed them to the model. Every home holds entries clerk-mcp-setup wrote
(newclients.py: a user-scope vault entry, an env-storage entry, a remote entry behind a bearer token).
Commands and what they printed here (2026-11-30):

- Copilot CLI 1.0.102: `COPILOT_OFFLINE=true COPILOT_PROVIDER_BASE_URL=<fake>/v1 COPILOT_MODEL=fake-model
  copilot -p "…" --allow-all-tools` (the project trusted in `~/.copilot/config.json` `trusted_folders`,
  without which it skips `.github/mcp.json` in `-p` mode); printed `ok` and offered `clerk-getUser`,
  `clerk-project-getUser`, `clerk-remote-getUser`, … (24 per server).
- Cline 3.0.65: `cline auth -p openai -k … -m fake-model -b <fake>/v1`, then
  `CLINE_SESSION_BACKEND_MODE=local cline --json "…"`; the last line was
  `{"type":"run_result","finishReason":"completed",…,"text":"ok"}`; tools offered as `clerk__getUser`.
  Without a `timeout` field Cline gives a server 3 s to answer `initialize` (its log: `MCP request to
  "clerk" (initialize) timed out after 3s. Increase the "timeout" field`), which our Python server missed
  on this loaded machine; the Cline record now writes `"timeout": 60` and both stdio entries connect.
- Qwen Code 0.24.4: `qwen mcp list` (initialize only; Qwen 0.24 defers MCP tools behind its ToolSearch
  bridge, so a headless turn offered none) printed `✓ clerk: …/clerk-mcp-server --api-url … --vault …
  (stdio) - Connected`; the project entry shows `Pending approval` until `qwen mcp approve clerk-project`.
- Continue `cn` 1.5.47: `cn --config COPY -p "…"` where COPY is our `~/.continue/config.yaml` plus a
  `models:` block at the fake model; it printed `ok` and offered `getUser`, … once per server. It aborts
  the run when a server fails. A remote entry with its header under `headers` failed with `Streamable HTTP
  error: … This server requires its bearer token`: cn sends only `requestOptions.headers` (measured), so the
  Continue record writes them there and the remote entry (header kept in the file, `--key-storage plain`)
  connects. With the default storage the remote becomes a stdio `--bridge`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fake_model import FakeModelAPI
from newclients import Home, Remote, install_entries, plain
from pins import installed_bin, versioned
from realclients import Sandbox, client_env, install, output, run

pytestmark = pytest.mark.clients

PROMPT = "How many Clerk users are there?"


@dataclass
class Offered:
    home: Home
    by_server: dict[str, set[str]]
    text: str


def split_tools(offered: set[str], names: list[str], sep: str) -> dict[str, set[str]]:
    """`<server><sep><tool>` names → server → tools; longer server names first (`clerk-project` before `clerk`)."""
    by_server: dict[str, set[str]] = {}
    left = set(offered)
    for name in sorted(names, key=len, reverse=True):
        mine = {t for t in left if t.startswith(name + sep)}
        left -= mine
        by_server[name] = {t[len(name) + len(sep) :] for t in mine}
    return by_server


def factory(fixture: str, key: str) -> Callable[..., None]:
    def test(request: pytest.FixtureRequest, expected_tools: set[str]) -> None:
        offered: Offered = request.getfixturevalue(fixture)
        name = offered.home.names[key]
        assert offered.by_server.get(name) == expected_tools, f"{name}: {offered.by_server.get(name)}\n{offered.text}"

    return test


# --- GitHub Copilot CLI ---


@pytest.fixture(scope="module")
def copilot(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Offered:
    exe = installed_bin("copilot", "@github/copilot")
    home = install_entries(tmp_path_factory.mktemp("copilot-home"), "copilot-cli", sandbox, remote, project=True)
    assert home.files["clerk"] == home.home / ".copilot" / "mcp-config.json"
    assert home.files["clerk-project"] == home.project / ".github" / "mcp.json"
    # What answering "trust this folder for future sessions" records (docs.github.com, "Configuring
    # GitHub Copilot CLI": the `trusted_folders` array in ~/.copilot/config.json).
    (home.home / ".copilot" / "config.json").write_text(json.dumps({"trusted_folders": [str(home.project)]}))
    with FakeModelAPI() as model:
        env = {**home.env, "COPILOT_OFFLINE": "true", "COPILOT_PROVIDER_BASE_URL": model.url + "/v1"}
        env["COPILOT_MODEL"] = model.model
        result = run([exe, "-p", PROMPT, "--allow-all-tools"], env=env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    assert model.tool_lists, output(result)
    return Offered(home, split_tools(model.offered(), list(home.names.values()), "-"), output(result))


versioned(
    globals(),
    "copilot",
    "@github/copilot",
    **{k: factory("copilot", k) for k in ("user_vault", "project_env", "remote")},
)


# --- Cline ---


@pytest.fixture(scope="module")
def cline(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Offered:
    exe = installed_bin("cline", "cline")
    # Cline has no `${VAR}` form (toolchain.md), so the installer refuses env storage: plain is its second.
    home = install_entries(
        tmp_path_factory.mktemp("cline-home"), "cline", sandbox, remote, project=False, second="plain"
    )
    assert home.files["clerk"] == home.home / ".cline" / "data" / "settings" / "cline_mcp_settings.json"
    written = json.loads(home.files["clerk"].read_text(encoding="utf-8"))["mcpServers"]
    assert written["clerk"]["timeout"] == 60  # Cline's own default (3 s for initialize) is too short for a cold start
    env = {**home.env, "CLINE_SESSION_BACKEND_MODE": "local"}
    with FakeModelAPI() as model:
        auth = [exe, "auth", "-p", "openai", "-k", "sk-fake", "-m", model.model, "-b", model.url + "/v1"]
        configured = run(auth, env=env, cwd=home.project)
        assert configured.returncode == 0, output(configured)
        result = run([exe, "--json", PROMPT], env=env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    last = json.loads(result.stdout.strip().splitlines()[-1])
    assert (last["type"], last["finishReason"]) == ("run_result", "completed"), output(result)
    return Offered(home, split_tools(model.offered(), list(home.names.values()), "__"), output(result)[-4000:])


versioned(globals(), "cline", "cline", **{k: factory("cline", k) for k in ("user_vault", "user_plain", "remote")})


# --- Qwen Code ---


@pytest.fixture(scope="module")
def qwen(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Offered:
    exe = installed_bin("qwen", "@qwen-code/qwen-code")
    home = install_entries(tmp_path_factory.mktemp("qwen-home"), "qwen-code", sandbox, remote, project=True)
    assert home.files["clerk"] == home.home / ".qwen" / "settings.json"
    assert home.files["clerk-project"] == home.project / ".qwen" / "settings.json"
    pending = run([exe, "mcp", "list"], env=home.env, cwd=home.project, timeout=120)
    assert re.search(r"^● clerk-project: .* - Pending approval$", plain(pending.stdout), flags=re.M), output(pending)
    approved = run([exe, "mcp", "approve", "clerk-project"], env=home.env, cwd=home.project)
    assert approved.returncode == 0, output(approved)
    result = run([exe, "mcp", "list"], env=home.env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    text = plain(result.stdout)
    connected = {m[1] for m in re.finditer(r"^✓ (\S+): .* - Connected$", text, flags=re.M)}
    return Offered(home, {name: {"connected"} for name in connected}, output(result))


def _qwen(key: str) -> Callable[..., None]:
    def test(qwen: Offered) -> None:
        assert qwen.by_server.get(qwen.home.names[key]) == {"connected"}, qwen.text

    return test


versioned(globals(), "qwen", "@qwen-code/qwen-code", **{k: _qwen(k) for k in ("user_vault", "project_env", "remote")})


# --- Continue (cn) ---


def cn_run(exe: Path, home: Home, servers: list[str], model: FakeModelAPI) -> tuple[int, str]:
    """`cn -p` with a copy of our config.yaml that keeps only `servers` and adds a model at the fake API."""
    written = yaml.safe_load(home.files["clerk"].read_text(encoding="utf-8"))
    written["mcpServers"] = [s for s in written["mcpServers"] if s["name"] in servers]
    written["models"] = [
        {
            "name": "fake",
            "provider": "openai",
            "model": model.model,
            "apiBase": model.url + "/v1",
            "apiKey": "sk-fake",
            "roles": ["chat"],
        }
    ]
    copy = home.home / f"cn-{'-'.join(servers)}.yaml"
    copy.write_text(yaml.safe_dump(written), encoding="utf-8")
    result = run([exe, "--config", copy, "-p", PROMPT], env=home.env, cwd=home.project, timeout=120)
    return result.returncode, output(result)


@pytest.fixture(scope="module")
def continue_home(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Home:
    installed_bin("cn", "@continuedev/cli")
    home = install_entries(tmp_path_factory.mktemp("continue-home"), "continue", sandbox, remote, project=False)
    assert home.files["clerk"] == home.home / ".continue" / "config.yaml"
    return home


def _continue_stdio(continue_home: Home, expected_tools: set[str]) -> None:
    """Vault and env entries in one run: each of our tools is offered twice (cn offers bare tool names)."""
    with FakeModelAPI() as model:
        code, text = cn_run(installed_bin("cn", "@continuedev/cli"), continue_home, ["clerk", "clerk-env"], model)
    assert code == 0, text
    counts = Counter(name for names in model.tool_lists[:1] for name in names)
    assert {name for name, n in counts.items() if n == 2} == expected_tools, text


def _continue_remote(continue_home: Home, expected_tools: set[str]) -> None:
    with FakeModelAPI() as model:
        code, text = cn_run(installed_bin("cn", "@continuedev/cli"), continue_home, ["clerk-remote"], model)
    assert code == 0, text
    assert expected_tools <= set(model.tool_lists[0]), text


versioned(globals(), "continue", "@continuedev/cli", user_vault_and_env=_continue_stdio, remote=_continue_remote)


# --- Augment (auggie) ---


def _auggie_reads(tmp_path: Path, sandbox: Sandbox) -> None:
    """auggie needs an Augment tenant to start servers (`auggie --print` talks to it first); without a
    stand-in for that service here, this checks only that auggie parses the file our installer wrote."""
    exe = installed_bin("auggie", "@augmentcode/auggie")
    install(
        tmp_path, "--client", "auggie", "--no-verify", "--secret-key-stdin", "--api-url", sandbox.url, input=sandbox.key
    )
    result = run([exe, "mcp", "list", "--json"], env=client_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, output(result)
    listing = json.loads(result.stdout[re.search(r"^\{", result.stdout, flags=re.M).start() :])  # type: ignore[union-attr]
    servers = {s["name"]: s for s in listing["servers"]}
    assert servers["clerk"]["transport"] == "stdio" and servers["clerk"]["enabled"] is True, listing
    # auggie runs command + args as one shell line: it shows the line it will run.
    assert servers["clerk"]["command"].endswith(
        f"--api-url {sandbox.url} --vault " + servers["clerk"]["command"].split()[-1]
    )


versioned(globals(), "auggie", "@augmentcode/auggie", reads_the_user_entry=_auggie_reads)
