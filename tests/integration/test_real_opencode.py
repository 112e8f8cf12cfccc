"""opencode and Kilo Code's CLI (an opencode fork) connect to the entries clerk-mcp-setup wrote.

`opencode mcp list` / `kilo mcp list`, run in the project, start every configured server (initialize and
tools/list) and print one `✓ NAME connected` line each. One run per client covers a user-scope vault
entry, a project-scope entry and a remote entry (see newclients.py).

Measured here (opencode-ai 1.18.33, 2026-11-30), `opencode mcp list` in the project printed:
    ●  ✓ clerk connected           …/clerk-mcp-server --api-url http://127.0.0.1:… --vault clerk-…
    ●  ✓ clerk-project connected   (--key-storage env: `{env:CLERK_SECRET_KEY}`)
    ●  ✓ clerk-remote connected    http://127.0.0.1:…/mcp
@kilocode/cli 7.7.7 `kilo mcp list` prints the same lines. Kilo rejects a project `.kilo/kilo.jsonc`
whose `environment` uses `{env:NAME}` (its log: `skipped config due to error ConfigInvalidError`; a
literal value loads). So the Kilo record says its project files take no variable references: a default
project install keeps the key in the vault (proven below), and `--key-storage env` is refused for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from newclients import Home, Remote, install_entries, plain
from pins import installed_bin, versioned
from realclients import SETUP, Sandbox, client_env, install, output, run

pytestmark = pytest.mark.clients


@dataclass
class Listing:
    home: Home
    text: str


def connected(listing: Listing, name: str) -> None:
    assert re.search(rf"^●\s+✓ {re.escape(name)} connected", listing.text, flags=re.M), listing.text


@pytest.fixture(scope="module")
def opencode(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Listing:
    exe = installed_bin("opencode", "opencode-ai")
    home = install_entries(tmp_path_factory.mktemp("opencode-home"), "opencode", sandbox, remote, project=True)
    assert home.files["clerk"] == home.home / ".config" / "opencode" / "opencode.jsonc"
    assert home.files["clerk-project"] == home.project / "opencode.json"
    result = run([exe, "mcp", "list"], env=home.env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    return Listing(home, plain(result.stdout + result.stderr))


def _opencode(key: str) -> Callable[[Listing], None]:
    def test(opencode: Listing) -> None:
        connected(opencode, opencode.home.names[key])

    return test


versioned(globals(), "opencode", "opencode-ai", **{k: _opencode(k) for k in ("user_vault", "project_env", "remote")})


@pytest.fixture(scope="module")
def kilo(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox, remote: Remote) -> Listing:
    exe = installed_bin("kilo", "@kilocode/cli")
    root = tmp_path_factory.mktemp("kilo-home")
    home = install_entries(root, "kilo-code", sandbox, remote, project=False)
    assert home.files["clerk"] == root / ".config" / "kilo" / "kilo.jsonc"
    # Project scope with the default storage, which for Kilo is the vault (Kilo skips a project file whose
    # entry uses {env:…}; see the module docstring and test_kilo_project_env_is_refused below).
    vault = ("--client", "kilo-code", "--no-verify", "--secret-key-stdin", "--api-url", sandbox.url)
    written = install(root, *vault, "--project", str(home.project), "--name", "clerk-project", input=sandbox.key)
    assert [c["path"] for c in written["changes"]] == [str(home.project / ".kilo" / "kilo.jsonc")]
    home.names["project_vault"] = "clerk-project"
    result = run([exe, "mcp", "list"], env=home.env, cwd=home.project, timeout=120)
    assert result.returncode == 0, output(result)
    return Listing(home, plain(result.stdout + result.stderr))


def _kilo(key: str) -> Callable[[Listing], None]:
    def test(kilo: Listing) -> None:
        connected(kilo, kilo.home.names[key])

    return test


def _kilo_project_env_refused(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox) -> None:
    """Kilo skips a project kilo.jsonc whose entry uses {env:NAME} (measured; ConfigInvalidError in its log), so
    the installer refuses env storage for Kilo's project file instead of writing an entry Kilo ignores."""
    root = tmp_path_factory.mktemp("kilo-env-home")
    project = root / "project"
    project.mkdir()
    env_args = ("--client", "kilo-code", "--no-verify", "--key-storage", "env", "--api-url", sandbox.url)
    result = run([SETUP, *env_args, "--project", str(project), "--yes"], env=client_env(root), cwd=project)
    assert result.returncode == 2, output(result)
    assert "ignores a project file" in result.stderr and "--key-storage vault" in result.stderr
    assert not (project / ".kilo").exists()


versioned(
    globals(),
    "kilo",
    "@kilocode/cli",
    **{k: _kilo(k) for k in ("user_vault", "user_env", "project_vault", "remote")},
    project_env_refused=_kilo_project_env_refused,
)
