"""Project files travel: the key is each teammate's own, and the plan says what a teammate needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from installer_helpers import linux, request

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.errors import UsageError
from clerk_mcp_setup.install import installer, travel
from clerk_mcp_setup.install.launch import Launcher


def test_project_scope_defaults_to_an_environment_reference() -> None:
    cursor = installer.Target(get_client("cursor"), "project", Path("/p"))
    zed = installer.Target(get_client("zed"), "project", Path("/p"))
    user = installer.Target(get_client("cursor"), "user")
    assert travel.default_storage("vault", None, (cursor,)) == "env"
    assert travel.default_storage("vault", "vault", (cursor,)) == "vault", "an explicit choice wins"
    assert travel.default_storage("vault", None, (zed,)) == "vault", "Zed cannot reference a variable"
    assert travel.default_storage("vault", None, (user,)) == "vault"


def test_notes_say_who_reads_the_file_and_warn_about_a_local_command(isolated_home: Path, tmp_path: Path) -> None:
    env = linux(isolated_home)
    local = installer.plan_install(request("cursor", "project", tmp_path, storage="env"), env, Launcher("/opt/x/bin/s"))
    travel.add_notes(local)
    notes = local.changes[0].notes
    assert any("teammates' machines" in n and "$CLERK_SECRET_KEY" in n for n in notes)
    assert any("/opt/x/bin/s exists on this machine only" in n for n in notes)

    portable = Launcher(str(Path.home() / ".local" / "bin" / "clerk-mcp-server"))
    plan = installer.plan_install(request("cursor", "project", tmp_path, storage="env"), env, portable)
    travel.add_notes(plan)
    assert not any("this machine only" in n for n in plan.changes[0].notes)

    user = installer.plan_install(request("cursor", storage="env"), env, portable)
    travel.add_notes(user)
    assert not user.changes[0].notes or not any("teammates" in n for n in user.changes[0].notes)


def test_kilo_project_files_keep_the_key_in_the_vault(isolated_home: Path, tmp_path: Path) -> None:
    """Kilo 7.7.7 skips a project file whose entry uses {env:NAME} (test_real_opencode measures it): the default
    for its project scope is the vault, and an explicit env choice is refused with the fix, nothing written."""
    kilo = installer.Target(get_client("kilo-code"), "project", Path("/p"))
    assert travel.default_storage("vault", None, (kilo,)) == "vault"
    assert travel.default_storage("vault", None, (installer.Target(get_client("kilo-code"), "user"),)) == "vault"
    with pytest.raises(UsageError) as refused:
        installer.plan_install(request("kilo-code", "project", tmp_path, storage="env"), linux(isolated_home))
    assert "ignores a project file" in refused.value.message and "--key-storage vault" in (refused.value.hint or "")
    assert not (tmp_path / ".kilo").exists()
    user = installer.plan_install(request("kilo-code", storage="env"), linux(isolated_home), Launcher("/x/s"))
    assert user.changes and user.changes[0].after is not None, "env references in Kilo's user file work"
