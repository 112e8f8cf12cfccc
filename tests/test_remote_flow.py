"""The whole flow offline: install a remote OAuth server into a URL client and Claude Desktop (bridge), `verify`
says "sign-in required, issuer X" (not a failure), `login` by entry name, `verify` lists tools through both,
`status` shows the sign-in, a revoked sign-in sends the person back to `login`. No secret in files or output."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from oauth_helpers import browser

from clerk_mcp_setup.auth.store import VaultTokenStorage
from clerk_mcp_setup.cli import main
from clerk_mcp_setup.server.sandbox.oauth_flow import running_protected


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script, log = browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    return log


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    out = capsys.readouterr()
    return code, json.loads(out.out)


def test_install_verify_login_status_revoke(
    isolated_home: Path, capsys: pytest.CaptureFixture[str], _env: Path
) -> None:
    with running_protected() as (url, flow):
        base = url.removesuffix("/mcp")
        code = main(["--remote", url, "--name", "team", "-c", "cursor", "-c", "claude-desktop", "--yes"])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert not _env.exists(), "installing must not open a browser"

        code, data = _json(capsys, "verify")
        assert code == 0
        states = {r["client"]: r for r in data["verify"]}
        for client in ("cursor", "claude-desktop"):
            assert states[client]["status"] == "sign-in-required", states[client]
            assert f"issuer {base}" in " ".join(states[client]["evidence"])
        assert flow.state.counts.get("register", 0) == 0, "a check must not register a client"

        code, data = _json(capsys, "status")
        assert {e["sign_in"] for e in data["entries"]} == {"not-signed-in"}
        assert main(["verify"]) == 0
        text = capsys.readouterr().out
        assert f"· cursor (user) 'team': 127.0.0.1:{url.split(':')[2].split('/')[0]} needs you to sign in first" in text
        assert "Run: clerk-mcp-setup login" in text and "0 tools" not in text

        assert main(["login", "team"]) == 0
        capsys.readouterr()
        code, data = _json(capsys, "verify")
        results = data["verify"]
        assert code == 0 and all(r["status"] == "ok" and r["tools"] == 24 for r in results), results
        code, data = _json(capsys, "status")
        assert {e["sign_in"] for e in data["entries"]} == {"signed-in"}

        tokens = VaultTokenStorage(url).load()["tokens"]
        for path in isolated_home.rglob("*"):
            if path.is_file() and path.name != "vault.json":
                text = path.read_bytes()
                assert tokens["access_token"].encode() not in text and tokens["refresh_token"].encode() not in text

        httpx.post(f"{base}/__sandbox/oauth", json={"revoke_all": True})
        storage = VaultTokenStorage(url)
        record = storage.load()
        record["expires_at"] = time.time() - 5
        storage.save(record)
        code, data = _json(capsys, "verify")
        results = data["verify"]
        assert all(r["status"] == "sign-in-required" for r in results), results
        assert any("expired or was revoked" in " ".join(r["evidence"]) for r in results)
        assert any("clerk-mcp-setup login" in " ".join(r["evidence"]) for r in results)
    assert len(_env.read_text().splitlines()) == 1  # only `login` opened the browser


def test_verify_names_the_broken_link_of_a_failing_remote_entry(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A remote entry whose server answers 403 without a challenge fails verify, with doctor's diagnosis."""
    from clerk_mcp_setup.server.sandbox.oauth_flow import Switches

    with running_protected(Switches(challenge="none")) as (url, _):
        assert (
            main(["--remote", url, "--sign-in", "oauth", "-c", "cursor", "--name", "team", "--yes", "--no-verify"]) == 0
        )
        capsys.readouterr()
        code, data = _json(capsys, "verify")
    (result,) = data["verify"]
    assert code == 4 and result["status"] == "unauthorized", result
    assert "doctor: challenge: HTTP 403 instead of 401 for a request without a token" in result["evidence"]
    assert any(e.startswith("doctor fix: An OAuth-protected MCP server must answer 401") for e in result["evidence"])
