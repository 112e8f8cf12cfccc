"""The vault's file backend: private permissions, atomic updates, clear errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from clerk_mcp_setup.vault import Vault, VaultError, vault_file


@pytest.fixture
def vault(monkeypatch: pytest.MonkeyPatch) -> Vault:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    return Vault.open()


def test_file_backend_round_trip(vault: Vault, isolated_home: Path) -> None:
    assert vault.backend == "file"
    assert str(vault.path).startswith(str(isolated_home))
    assert vault.get("clerk") is None
    vault.put("clerk", "sk_test_one")
    vault.put("clerk-prod", "sk_live_two")
    assert vault.get("clerk") == "sk_test_one" and vault.get("clerk-prod") == "sk_live_two"
    assert stat.S_IMODE(vault.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(vault.path.parent.stat().st_mode) == 0o700
    assert vault.delete("clerk") is True and vault.delete("clerk") is False
    assert vault.get("clerk") is None and vault.get("clerk-prod") == "sk_live_two"
    assert not [p for p in vault.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert "readable only by you" in vault.describe()


def test_default_path_is_in_the_user_config_dir(isolated_home: Path) -> None:
    assert vault_file().is_relative_to(isolated_home)
    assert vault_file().name == "vault.json"


@pytest.mark.parametrize("name", ["", "../x", "a b", "x" * 65, "-lead"])
def test_bad_names_are_refused(vault: Vault, name: str) -> None:
    with pytest.raises(VaultError, match="Invalid vault entry name"):
        vault.put(name, "sk_test_x")


def test_corrupt_file_is_an_error_not_a_reset(vault: Vault) -> None:
    vault.path.parent.mkdir(parents=True)
    vault.path.write_text("{not json")
    with pytest.raises(VaultError) as info:
        vault.put("clerk", "sk_test_x")
    assert "not valid JSON" in info.value.message and info.value.hint
    assert vault.path.read_text() == "{not json"


def test_backend_choice_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "cloud")
    with pytest.raises(VaultError, match="must be 'keyring' or 'file'"):
        Vault.open()
