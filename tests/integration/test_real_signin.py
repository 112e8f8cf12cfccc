"""Real clients sign in headlessly to a Clerk-protected MCP server (the sandbox's authorization server in front of
our HTTP server) through a browser stand-in, then list the tools of the entry we wrote; and what each says when
Dynamic client registration is off or the resource metadata names another server, beside our `doctor`.

mcp-remote 0.15.1 (a stdio↔HTTP bridge, like ours) and Claude Code 2.1.197 (`claude mcp login NAME` under a
pseudo-TTY, then `claude mcp list`), Codex 0.169.0 (`codex mcp login NAME`, tools through `codex app-server`),
Gemini CLI 0.61.0 (signs in at the start of a headless turn; `gemini mcp list` then connects), MCP Inspector
2.12.0 on Node 24 (`mcp-inspector --cli --config <the file we wrote> --server NAME --method tools/list`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from realclients import SETUP, client_bin, client_env, install, output, run
from signin_helpers import browser_env, stand_in

from clerk_mcp_setup.server.sandbox.oauth_flow import Flow, Switches, running_protected

pytestmark = pytest.mark.clients

BROKEN = {
    "dcr-off": (Switches(dcr=False), "registration", "does not support dynamic client registration"),
    "wrong-resource": (Switches(prm="wrong-resource"), "resource", "does not match expected"),
}


@pytest.fixture
def protected() -> Iterator[tuple[str, Flow]]:
    with running_protected() as pair:
        yield pair


def _env(home: Path, browser: Path) -> dict[str, str]:
    env = client_env(home, CLERK_MCP_VAULT="file")
    env.update(browser_env(browser, env.get("PATH", "")))
    return env


def doctor(url: str, env: dict[str, str]) -> dict:
    result = run([SETUP, "doctor", url, "--json"], env=env)
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------------------------ mcp-remote


async def _mcp_remote_tools(url: str, env: dict[str, str]) -> list[str]:
    import anyio
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(command=str(client_bin("mcp-remote")), args=[url, "--allow-http"], env=env)
    with anyio.fail_after(60):
        async with Client(params) as client:
            return [t.name for t in (await client.list_tools()).tools]


async def test_mcp_remote_signs_in_and_lists_tools(protected: tuple[str, Flow], tmp_path: Path) -> None:
    url, flow = protected
    browser, opened = stand_in(tmp_path / "browser")
    env = _env(tmp_path / "home", browser)
    (tmp_path / "home").mkdir()
    names = await _mcp_remote_tools(url, env)
    assert "listUsers" in names and len(names) == 24
    assert flow.state.counts == {"register": 1, "authorize": 1, "token": 1}
    assert "code_challenge_method=S256" in opened.read_text()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_mcp_remote_on_a_broken_server_beside_doctor(case: str, tmp_path: Path) -> None:
    switches, link, says = BROKEN[case]
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home, browser)
    with running_protected(switches) as (url, _):
        proc = subprocess.run(
            [str(client_bin("mcp-remote")), url, "--allow-http"],
            env=env,
            input="",
            capture_output=True,
            text=True,
            timeout=60,
        )
        report = doctor(url, env)
    assert says in proc.stderr, proc.stderr[-2000:]
    assert report["broken"]["id"] == link, report
    print(f"\n[{case}] mcp-remote: {_last_error(proc.stderr)}\n[{case}] doctor: {report['broken']['detail']}")


def _last_error(text: str) -> str:
    lines = [line for line in text.splitlines() if "Error:" in line]
    return lines[-1].strip() if lines else text.strip().splitlines()[-1]


# ------------------------------------------------------------------------------------------------ Claude Code


def _claude(env: dict[str, str], *args: str, tty: bool = False) -> subprocess.CompletedProcess[str]:
    exe = str(client_bin("claude"))
    if tty:  # `claude mcp login` refuses without a terminal; a pseudo-TTY is enough
        return run(["script", "-qec", " ".join([exe, *args]), "/dev/null"], env=env, timeout=120)
    return run([exe, *args], env=env, timeout=90)


def test_claude_code_signs_in_to_the_entry_we_wrote(protected: tuple[str, Flow], tmp_path: Path) -> None:
    url, flow = protected
    browser, opened = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home, browser)
    result = install(home, "--remote", url, "-c", "claude-code", "--name", "team", "--no-verify")
    assert any("claude mcp login team" in n for n in result["notes"]), result["notes"]
    entry = json.loads((home / ".claude.json").read_text())["mcpServers"]["team"]
    assert entry == {"type": "http", "url": url}
    before = _claude(env, "mcp", "list")
    assert "Needs authentication" in before.stdout, output(before)
    login = _claude(env, "mcp", "login", "team", tty=True)
    assert 'Authenticated with "team"' in login.stdout, output(login)
    after = _claude(env, "mcp", "list")
    assert f"team: {url} (HTTP) - ✔ Connected" in after.stdout, output(after)
    assert flow.state.counts["register"] == 1 and flow.state.counts["token"] == 1
    assert "resource=" in opened.read_text()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_claude_code_on_a_broken_server_beside_doctor(case: str, tmp_path: Path) -> None:
    switches, link, says = BROKEN[case]
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home, browser)
    with running_protected(switches) as (url, _):
        install(home, "--remote", url, "--sign-in", "oauth", "-c", "claude-code", "--name", "team", "--no-verify")
        login = _claude(env, "mcp", "login", "team", tty=True)
        report = doctor(url, env)
    assert says in login.stdout, output(login)
    assert report["broken"]["id"] == link, report
    said = next(line for line in login.stdout.splitlines() if says in line)
    print(f"\n[{case}] claude mcp login: {said.strip()}\n[{case}] doctor: {report['broken']['detail']}")


def test_our_bridge_and_mcp_remote_list_the_same_tools(protected: tuple[str, Flow], tmp_path: Path) -> None:
    """The bridge we write for Claude Desktop behaves like mcp-remote: signs in, then lists the same tools."""
    import anyio
    from mcp import Client, StdioServerParameters

    url, _ = protected
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home, browser)
    server = str(Path(sys.executable).parent / "clerk-mcp-server")

    async def ours() -> list[str]:
        params = StdioServerParameters(command=server, args=["--bridge", url], env=env)
        async with Client(params) as client:
            return [t.name for t in (await client.list_tools()).tools]

    mine = anyio.run(ours)
    theirs = anyio.run(_mcp_remote_tools, url, env)
    assert sorted(mine) == sorted(theirs) and len(mine) == 24


# ------------------------------------------------------------------------------------------------ Codex


def _codex_status(env: dict[str, str], home: Path) -> dict:
    from realclients import LineRPC

    rpc = LineRPC([client_bin("codex"), "app-server"], env=env, cwd=home)
    try:
        rpc.request("initialize", {"clientInfo": {"name": "clerk-mcp-setup-tests", "version": "0"}})
        rpc.send({"method": "initialized"})
        listed = rpc.request("mcpServerStatus/list", {}, timeout=45)
    finally:
        rpc.close()
    return {s["name"]: s for s in listed["data"]}


def _codex_env(home: Path, browser: Path) -> dict[str, str]:
    return {**_env(home, browser), "CODEX_HOME": str(home / ".codex")}


def test_codex_signs_in_to_the_entry_we_wrote(protected: tuple[str, Flow], tmp_path: Path) -> None:
    url, flow = protected
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _codex_env(home, browser)
    result = install(home, "--remote", url, "-c", "codex", "--name", "team", "--no-verify")
    assert any("codex mcp login team" in n for n in result["notes"]), result["notes"]
    assert (home / ".codex" / "config.toml").read_text() == f'[mcp_servers.team]\nurl = "{url}"\n'
    assert _codex_status(env, home)["team"]["authStatus"] == "notLoggedIn"
    login = run([client_bin("codex"), "mcp", "login", "team"], env=env, cwd=home, timeout=90)
    assert "Successfully logged in to MCP server 'team'" in login.stdout, output(login)
    status = _codex_status(env, home)["team"]
    assert status["authStatus"] == "oAuth" and not status.get("toolsError"), status
    assert "listUsers" in status["tools"] and len(status["tools"]) == 24
    assert flow.state.counts == {"register": 1, "authorize": 1, "token": 1}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_codex_on_a_broken_server_beside_doctor(case: str, tmp_path: Path) -> None:
    """Measured: Codex 0.169 refuses with DCR off but signs in despite metadata naming another resource
    (it does not check `resource`); the doctor flags both."""
    switches, link, _ = BROKEN[case]
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _codex_env(home, browser)
    with running_protected(switches) as (url, _):
        install(home, "--remote", url, "--sign-in", "oauth", "-c", "codex", "--name", "team", "--no-verify")
        login = run([client_bin("codex"), "mcp", "login", "team"], env=env, cwd=home, timeout=90)
        report = doctor(url, env)
    assert report["broken"]["id"] == link, report
    if case == "dcr-off":
        assert login.returncode != 0 and "Dynamic client registration not supported" in login.stderr, output(login)
        said = next(line for line in login.stderr.splitlines() if "Registration failed" in line)
    else:
        assert "Successfully logged in" in login.stdout, output(login)
        said = "Successfully logged in (no resource check)"
    print(f"\n[{case}] codex mcp login: {said.strip()}\n[{case}] doctor: {report['broken']['detail']}")


# ------------------------------------------------------------------------------------------------ Gemini CLI


def test_gemini_signs_in_to_the_entry_we_wrote(protected: tuple[str, Flow], tmp_path: Path) -> None:
    """Gemini signs in at start-up of a headless turn (only because our entry has oauth.enabled); `gemini mcp
    list` then connects with the stored token. The turn's model is a dead loopback port, so it is stopped once
    the sign-in is done (`gemini mcp list` sends initialize and ping only, not tools/list)."""
    import os
    import signal
    import time

    url, flow = protected
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    install(home, "--remote", url, "-c", "gemini", "--name", "team", "--no-verify")
    settings = home / ".gemini" / "settings.json"
    data = json.loads(settings.read_text())
    assert data["mcpServers"]["team"] == {"type": "http", "url": url, "oauth": {"enabled": True}}
    data["security"] = {"auth": {"selectedType": "gemini-api-key"}}  # a model key, so a turn starts at all
    settings.write_text(json.dumps(data))
    env = {**_env(home, browser), "GEMINI_API_KEY": "dummy", "GOOGLE_GEMINI_BASE_URL": "http://127.0.0.1:9"}
    before = run([client_bin("gemini"), "mcp", "list"], env=env, cwd=home)
    assert "requires authentication" in before.stdout + before.stderr, output(before)
    turn = subprocess.Popen(
        [str(client_bin("gemini")), "--approval-mode", "yolo", "-p", "hi"],
        env=env,
        cwd=home,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    try:
        assert turn.stdin is not None
        turn.stdin.write("y\n")  # Gemini asks before it opens the browser
        turn.stdin.close()
        deadline = time.monotonic() + 60
        while flow.state.counts.get("token", 0) < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        # The token answer is sent before Gemini stores it (~/.gemini/mcp-oauth-tokens.json, in its bundle):
        # stopping the turn in between left `mcp list` unauthenticated once under load. Wait for the store.
        tokens = home / ".gemini" / "mcp-oauth-tokens.json"
        while "team" not in (tokens.read_text() if tokens.exists() else "") and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        os.killpg(turn.pid, signal.SIGKILL)
        turn.wait(timeout=10)
    assert flow.state.counts.get("register") == 1 and flow.state.counts.get("token") == 1, flow.state.counts
    after = run([client_bin("gemini"), "mcp", "list"], env=env, cwd=home)
    assert f"✓ team: {url} (http) - Connected" in after.stdout + after.stderr, output(after)


# ------------------------------------------------------------------------------------------------ MCP Inspector 2.x


def _inspector2() -> tuple[Path, Path]:
    """Inspector 2.x and the Node 24 it needs (install_clients.sh puts them in inspector2/ and node24/)."""
    from realclients import CLIENTS_DIR, in_ci

    exe = CLIENTS_DIR / "inspector2" / "node_modules" / ".bin" / "mcp-inspector"
    node = CLIENTS_DIR / "node24" / "node_modules" / ".bin" / "node"
    if not (exe.exists() and node.exists()):
        reason = f"MCP Inspector 2.x or Node 24 not installed under {CLIENTS_DIR}: run install_clients.sh"
        if in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return exe, node.parent


def _inspect(env: dict[str, str], config: Path, node_dir: Path) -> subprocess.CompletedProcess[str]:
    exe, _ = _inspector2()
    env = {**env, "PATH": f"{env['PATH'].split(':', 1)[0]}:{node_dir}:{env['PATH'].split(':', 1)[1]}"}
    env |= {"MCP_AUTO_OPEN_ENABLED": "true", "MCP_INSPECTOR_SECRET_STORE": "memory"}
    cmd = [exe, "--cli", "--config", config, "--server", "team", "--method", "tools/list", "--format", "json"]
    return run(cmd, env=env, timeout=90)  # its callback port is fixed (6276): these runs never overlap


def test_inspector2_signs_in_to_the_entry_we_wrote(protected: tuple[str, Flow], tmp_path: Path) -> None:
    _, node_dir = _inspector2()
    url, flow = protected
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    install(home, "--remote", url, "-c", "claude-code", "--name", "team", "--no-verify")
    listed = _inspect(_env(home, browser), home / ".claude.json", node_dir)
    assert listed.returncode == 0, output(listed)
    names = [t["name"] for t in json.loads(listed.stdout)["result"]["tools"]]
    assert "listUsers" in names and len(names) == 24
    assert flow.state.counts == {"register": 1, "authorize": 1, "token": 1}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_inspector2_on_a_broken_server_beside_doctor(case: str, tmp_path: Path) -> None:
    _, node_dir = _inspector2()
    switches, link, says = BROKEN[case]
    browser, _ = stand_in(tmp_path / "browser")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home, browser)
    with running_protected(switches) as (url, _):
        install(home, "--remote", url, "--sign-in", "oauth", "-c", "claude-code", "--name", "team", "--no-verify")
        listed = _inspect(env, home / ".claude.json", node_dir)
        report = doctor(url, env)
    assert listed.returncode != 0 and says in listed.stdout + listed.stderr, output(listed)
    assert report["broken"]["id"] == link, report
    said = next(line for line in (listed.stdout + listed.stderr).splitlines() if says in line).strip()
    print(f"\n[{case}] mcp-inspector 2.12: {said}\n[{case}] doctor: {report['broken']['detail']}")
