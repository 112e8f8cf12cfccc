"""`clerk-mcp-setup doctor`: one sandbox switch per broken link of the sign-in chain, each named with its fix;
`login`/`logout` through the CLI; our own `clerk-mcp-server --transport http --oauth-issuer` passes the doctor
and lists its tools once signed in. Tokens never reach the output."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from oauth_helpers import browser
from server_helpers import free_port, http_server

from clerk_mcp_setup.auth.store import VaultTokenStorage
from clerk_mcp_setup.cli import main
from clerk_mcp_setup.errors import EXIT_VERIFY
from clerk_mcp_setup.server.sandbox.oauth_flow import Switches, running_protected

SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")


@pytest.fixture(autouse=True)
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script, log = browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    return log


def doctor_json(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(["doctor", url, "--json"])
    return code, json.loads(capsys.readouterr().out)


BROKEN = [
    (dict(dcr=False), "registration", "no registration_endpoint", "Dynamic client registration in the Clerk Dashboard"),
    (dict(prm="missing"), "resource", "no protected-resource metadata", "/.well-known/oauth-protected-resource/"),
    (
        dict(prm="wrong-path"),
        "resource",
        "/mcp/.well-known/oauth-protected-resource, where clients do not look",
        "Serve it at",
    ),
    (dict(prm="wrong-resource"), "resource", "names https://other.example/mcp", "--resource-url"),
    (dict(as_metadata=False), "authorization-server", "no authorization-server metadata", "Frontend API URL"),
    (dict(s256=False), "pkce", "['plain']", "PKCE S256"),
    (dict(challenge="no-header"), "challenge", "401 without a `WWW-Authenticate", "resource_metadata"),
    (dict(challenge="none"), "challenge", "HTTP 403 instead of 401", "answer 401"),
]


@pytest.mark.parametrize(("switches", "link", "cause", "fix"), BROKEN, ids=[b[1] + "-" + str(b[0]) for b in BROKEN])
def test_doctor_names_the_first_broken_link(
    switches: dict, link: str, cause: str, fix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_protected(Switches(**switches)) as (url, _):
        code, data = doctor_json(url, capsys)
        assert main(["doctor", url]) == EXIT_VERIFY
        text = capsys.readouterr().out
    assert code == EXIT_VERIFY and not data["ok"]
    assert data["broken"]["id"] == link and cause in data["broken"]["detail"] and fix in data["broken"]["fix"]
    assert data["links"][-1]["status"] == "broken"  # nothing checked past the first broken link
    assert f"✘ {link}" in text and f"First broken link: {link}." in text and "fix: " in text


def test_doctor_on_a_healthy_server_says_sign_in_required_then_lists_tools(
    capsys: pytest.CaptureFixture[str], stand_in: Path
) -> None:
    with running_protected() as (url, flow):
        code, data = doctor_json(url, capsys)
        assert code == 0 and data["ok"] and data["sign_in"] == "required"
        assert not stand_in.exists() and flow.state.counts == {}, "doctor opened a browser or registered a client"
        assert data["issuer"] == url.removesuffix("/mcp") and data["tools"] is None
        assert main(["login", url]) == 0
        out = capsys.readouterr()
        assert "Signed in to" in out.out and "24 tools" in out.out
        code, data = doctor_json(url, capsys)
        tokens = VaultTokenStorage(url).load()["tokens"]
        assert code == 0 and data["sign_in"] == "signed-in" and "listUsers" in data["tools"]
        assert main(["logout", url]) == 0
        out2 = capsys.readouterr()
        assert "Signed out" in out2.out and "revoked" in out2.out
        assert flow.state.refresh == {}  # the refresh token was revoked at the authorization server
        assert VaultTokenStorage(url).state().state == "not-signed-in"
    for secret in (tokens["access_token"], tokens["refresh_token"]):
        assert secret not in out.out + out.err + out2.out + out2.err + json.dumps(data)


def test_doctor_names_a_token_for_another_audience(capsys: pytest.CaptureFixture[str]) -> None:
    with running_protected(Switches(audience="wrong")) as (url, _):
        assert main(["login", url]) == 1
        err = capsys.readouterr().err
        assert "refused the token its authorization server had just issued" in err and "doctor" in err
        code, data = doctor_json(url, capsys)
    assert code == EXIT_VERIFY and data["broken"]["id"] == "token"
    assert "audience is https://other.example/mcp" in data["broken"]["detail"]


def test_doctor_address_links(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = doctor_json("http://example.com/mcp", capsys)
    assert code == EXIT_VERIFY and data["broken"]["id"] == "https" and "Use HTTPS" in data["broken"]["fix"]
    code, data = doctor_json("https://no-such-host.invalid/mcp", capsys)
    assert data["broken"]["id"] == "dns"
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, data = doctor_json(f"http://127.0.0.1:{port}/mcp", capsys)
    assert data["broken"]["id"] == "tcp" and "cannot connect" in data["broken"]["detail"]


def test_login_by_an_unknown_name_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["login", "nope"]) == 2
    assert "No installed remote entry is named 'nope'" in capsys.readouterr().err


@pytest.fixture
def our_server() -> Iterator[str]:
    """`clerk-mcp-server --transport http --oauth-issuer` with the sandbox as its Clerk instance."""
    with running_protected() as (issuer_mcp, _):
        issuer = issuer_mcp.removesuffix("/mcp")
        port = free_port()
        resource = f"http://127.0.0.1:{port}/mcp"
        with http_server("--demo", "--oauth-issuer", issuer, "--resource-url", resource, port=port):
            yield resource


def test_our_own_http_server_passes_the_doctor(our_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = doctor_json(our_server, capsys)
    assert code == 0 and data["sign_in"] == "required", data
    assert main(["login", our_server]) == 0
    capsys.readouterr()
    code, data = doctor_json(our_server, capsys)
    assert code == 0 and data["sign_in"] == "signed-in" and "listUsers" in data["tools"]
