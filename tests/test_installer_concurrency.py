"""Two installs at once both land: real processes racing on one file, and a file rewritten between plan and apply."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from installer_helpers import LAUNCHER, linux, request

from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.files import ConfigChangedError
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.keys import slot_for
from clerk_mcp_setup.install.manifest import Manifest
from clerk_mcp_setup.vault import Vault

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")
OTHER = b'{\n  "mcpServers": {\n    "github": {\n      "command": "/usr/local/bin/github-mcp"\n    }\n  }\n}\n'


@pytest.fixture(autouse=True)
def _vault_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")


def _race(*names: str, storage: str) -> None:
    """Start one `clerk-mcp-setup` per name at the same moment and wait for all."""
    procs = []
    for name in names:
        args = [SETUP, "--client", "cursor", "--name", name, "--key-storage", storage, "--yes", "--json"]
        if storage == "vault":
            args.append("--secret-key-stdin")
        procs.append(subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for name, proc in zip(names, procs, strict=True):
        out, err = proc.communicate(f"sk_test_{name}0000000000key\n".encode(), timeout=60)
        assert proc.returncode == 0, err.decode()
        assert json.loads(out)["applied"] is True


def test_two_processes_installing_at_once_both_land(isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    rounds = [(("a", "b"), "env"), (("c", "d"), "vault"), (("e", "f"), "env")]
    for n, (names, storage) in enumerate(rounds):
        if n == 1:  # from the second round on, the file also holds a server of the person's own
            data = json.loads(config.read_text())
            assert set(data["mcpServers"]) == {"a", "b"}
            installer.apply(installer.plan_uninstall(Manifest.load().records))
            assert not config.exists() and not config.parent.exists(), "the .cursor folder we created is gone too"
            config.parent.mkdir()
            config.write_bytes(OTHER)
        _race(*names, storage=storage)
        servers = json.loads(config.read_text())["mcpServers"]  # valid JSON
        assert set(names) <= set(servers)
        recorded = {r.name for r in Manifest.load().records}
        assert set(names) <= recorded, "both processes' entries are in the manifest"
    vault = Vault.open()
    for name in ("c", "d"):
        key = f"sk_test_{name}0000000000key"
        assert vault.get(slot_for(name, key)) == key
    assert {r.name for r in Manifest.load().records} == {"c", "d", "e", "f"}
    installer.apply(installer.plan_uninstall(Manifest.load().records))
    assert config.read_bytes() == OTHER


def test_file_changed_between_plan_and_apply_is_replanned(isolated_home: Path) -> None:
    env = linux(isolated_home)
    config = isolated_home / ".cursor" / "mcp.json"
    config.parent.mkdir()
    config.write_bytes(b'{\n  "mcpServers": {}\n}\n')
    plan = installer.plan_install(request("cursor", storage="env"), env, LAUNCHER)
    # meanwhile another program adds its own server (and a setting) to the file
    config.write_bytes(b'{\n  "mcpServers": {\n    "github": {"command": "/gh"}\n  },\n  "theme": "dark"\n}\n')
    (applied,) = installer.apply(plan)
    assert applied.written
    data = json.loads(config.read_text())
    assert data["theme"] == "dark" and set(data["mcpServers"]) == {"github", "clerk"}
    assert '    "github": {"command": "/gh"},\n' in config.read_text()
    installer.apply(installer.plan_uninstall(Manifest.load().records))
    assert (
        config.read_bytes() == b'{\n  "mcpServers": {\n    "github": {"command": "/gh"}\n  },\n  "theme": "dark"\n}\n'
    )


def test_a_file_that_never_stops_changing_is_given_up(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = installer.plan_install(request("cursor", storage="env"), linux(isolated_home), LAUNCHER)

    def always_changed(*args: object, **kwargs: object) -> None:
        raise ConfigChangedError("changed since it was read")

    monkeypatch.setattr(installer, "write_atomic", always_changed)
    with pytest.raises(ClerkMcpError, match="kept changing"):
        installer.apply(plan)
    assert not (isolated_home / ".cursor" / "mcp.json").exists()
    assert Manifest.load().records == []


def test_manifest_saved_by_another_process_meanwhile_keeps_both(isolated_home: Path) -> None:
    env = linux(isolated_home)
    stale = Manifest.load()  # loaded before the other install recorded its entry
    installer.apply(installer.plan_install(request("cursor", storage="env", name="a"), env, LAUNCHER))
    installer.apply(installer.plan_install(request("cursor", storage="env", name="b"), env, LAUNCHER), stale)
    assert {r.name for r in Manifest.load().records} == {"a", "b"}
