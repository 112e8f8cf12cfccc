"""Sign-in to a remote MCP server against the sandbox's authorization server: the SDK's OAuth client with our
loopback redirect and vault store, through a `$BROWSER` stand-in. Tokens land in the vault (nowhere else),
refresh works in a fresh process, and a revoked refresh token sends the person back to `login`."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client, StdioServerParameters
from oauth_helpers import browser, signed_in_env

from clerk_mcp_setup.auth import signin
from clerk_mcp_setup.auth.store import VaultTokenStorage, slot
from clerk_mcp_setup.server.sandbox.oauth_flow import Flow, Switches, running_protected
from clerk_mcp_setup.vault import Vault

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")


@pytest.fixture
def protected() -> Iterator[tuple[str, Flow]]:
    with running_protected(Switches()) as pair:
        yield pair


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    script, log = browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    return script, log


async def test_login_signs_in_and_keeps_tokens_only_in_the_vault(
    protected: tuple[str, Flow], stand_in: tuple[Path, Path], isolated_home: Path
) -> None:
    url, flow = protected
    result = await signin.login(url, timeout=30)
    assert "listUsers" in result.tools and result.issuer == url.removesuffix("/mcp")
    assert flow.state.counts == {"register": 1, "authorize": 1, "token": 1}
    opened = stand_in[1].read_text().splitlines()
    assert len(opened) == 1 and "code_challenge_method=S256" in opened[0] and "resource=" in opened[0]
    record = VaultTokenStorage(url).load()
    access, refresh = record["tokens"]["access_token"], record["tokens"]["refresh_token"]
    assert VaultTokenStorage(url).state().state == "signed-in"
    # the vault file holds them, 0600; no other file under HOME does
    vault = Vault.open().path
    assert vault.stat().st_mode & 0o777 == 0o600
    for path in isolated_home.rglob("*"):
        if path.is_file() and path != vault:
            data = path.read_bytes()
            assert access.encode() not in data and refresh.encode() not in data, path
    assert slot(url) in vault.read_text()


async def test_refresh_in_a_new_process_needs_no_browser(
    protected: tuple[str, Flow], stand_in: tuple[Path, Path]
) -> None:
    url, flow = protected
    flow.switches.access_ttl = 1
    await signin.login(url, timeout=30)
    time.sleep(1.2)
    assert VaultTokenStorage(url).state().state == "expired"
    flow.switches.access_ttl = 300
    tools = await signin.list_tools(url, interactive=False)  # a fresh provider: restores metadata from the vault
    assert "listUsers" in tools
    assert flow.state.counts["refresh"] == 1 and flow.state.counts["authorize"] == 1
    assert len(stand_in[1].read_text().splitlines()) == 1
    assert VaultTokenStorage(url).state().state == "signed-in"


async def test_revoked_refresh_token_sends_the_person_to_login(
    protected: tuple[str, Flow], stand_in: tuple[Path, Path]
) -> None:
    url, flow = protected
    flow.switches.access_ttl = 1
    await signin.login(url, timeout=30)
    httpx.post(url.removesuffix("/mcp") + "/__sandbox/oauth", json={"revoke_all": True})
    time.sleep(1.2)
    with pytest.raises(signin.SignInRequired) as info:
        await signin.list_tools(url, interactive=False, name="clerk-team")
    assert "expired or was revoked" in info.value.message
    assert info.value.hint == "Run: clerk-mcp-setup login clerk-team"
    assert VaultTokenStorage(url).state().state == "revoked"
    assert len(stand_in[1].read_text().splitlines()) == 1  # no browser popped up


async def test_bridge_signs_in_calls_and_then_explains_a_revoked_sign_in(
    protected: tuple[str, Flow], tmp_path: Path, isolated_home: Path
) -> None:
    url, flow = protected
    script, log = browser(tmp_path)
    params = StdioServerParameters(command=SERVER, args=["--bridge", url], env=signed_in_env(script))
    async with Client(params) as client:  # first start: the bridge signs in through the browser
        names = [t.name for t in (await client.list_tools()).tools]
        assert "listUsers" in names
        result = await client.call_tool("getUserId", {})
        assert result.structured_content == {"user_id": "user_2demoAmara"}
    assert len(log.read_text().splitlines()) == 1
    record = VaultTokenStorage(url, Vault.open("file")).load()
    assert record["tokens"]["access_token"]

    flow.switches.access_ttl = 1
    httpx.post(url.removesuffix("/mcp") + "/__sandbox/oauth", json={"revoke_all": True})
    # make the stored token expire now, as time would
    storage = VaultTokenStorage(url, Vault.open("file"))
    record = storage.load()
    record["expires_at"] = time.time() - 5
    storage.save(record)
    errlog = (tmp_path / "stderr.txt").open("w")
    async with Client(params) as client:
        from mcp.shared.exceptions import MCPError

        with pytest.raises(MCPError) as info:
            await client.list_tools()
    errlog.close()
    assert "clerk-mcp-setup login" in info.value.error.message
    assert "expired or was revoked" in info.value.error.message
    assert len(log.read_text().splitlines()) == 1  # the browser was not opened again


async def test_a_second_login_reuses_the_registration_and_its_loopback_port(
    protected: tuple[str, Flow], stand_in: tuple[Path, Path]
) -> None:
    url, flow = protected
    await signin.login(url, timeout=30)
    await signin.login(url, timeout=30)
    assert flow.state.counts["register"] == 1 and flow.state.counts["authorize"] == 2
    first, second = stand_in[1].read_text().splitlines()
    redirect = [q for q in first.split("&") if q.startswith("redirect_uri=")]
    assert redirect and redirect == [q for q in second.split("&") if q.startswith("redirect_uri=")]
