"""Project files travel: the key is each teammate's own, and the plan says what a teammate needs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from installer_helpers import linux, request
from verify_helpers import DEFAULT_TOOLS

from clerk_mcp_setup.clients import Client, get_client
from clerk_mcp_setup.clients.registry import CLIENTS
from clerk_mcp_setup.errors import UsageError
from clerk_mcp_setup.install import installer, ownership, portable, repair, travel
from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.verify import core as verify
from clerk_mcp_setup.verify.core import verify_record


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


# ------------------------------------------------------------------ a command that resolves on every machine

SERVER_SCRIPT = Path(sys.executable).parent / "clerk-mcp-server"


@pytest.fixture
def standard(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Launcher:
    """clerk-mcp-server at ~/.local/bin, where `uv tool install` / `pipx install` put it (a link to this venv's)."""
    monkeypatch.setenv("CLERK_MCP_VAULT", "file")
    monkeypatch.setenv("CLERK_MCP_SETUP_NO_CLAUDE_CLI", "1")
    bin_dir = isolated_home / ".local" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "clerk-mcp-server").symlink_to(SERVER_SCRIPT)
    return Launcher(str(bin_dir / "clerk-mcp-server"))


def _project(client: str, project: Path, launcher: Launcher, storage: str = "env") -> installer.Plan:
    plan = installer.plan_install(request(client, "project", project, storage=storage), linux(Path.home()), launcher)
    travel.add_notes(plan)
    installer.apply(plan)
    return plan


PORTABLE = {
    "cursor": (
        (".cursor", "mcp.json"),
        '{\n  "mcpServers": {\n    "clerk": {\n      "command": "${userHome}/.local/bin/clerk-mcp-server",\n'
        '      "args": [],\n      "env": {\n        "CLERK_SECRET_KEY": "${env:CLERK_SECRET_KEY}"\n      }\n    }\n'
        "  }\n}\n",
    ),
    "vscode": (
        (".vscode", "mcp.json"),
        '{\n  "servers": {\n    "clerk": {\n      "type": "stdio",\n'
        '      "command": "${userHome}/.local/bin/clerk-mcp-server",\n      "args": [],\n      "env": {\n'
        '        "CLERK_SECRET_KEY": "${env:CLERK_SECRET_KEY}"\n      }\n    }\n  }\n}\n',
    ),
    "claude-code": (
        (".mcp.json",),
        '{\n  "mcpServers": {\n    "clerk": {\n      "type": "stdio",\n'
        '      "command": "${HOME}/.local/bin/clerk-mcp-server",\n      "args": [],\n      "env": {\n'
        '        "CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"\n      }\n    }\n  }\n}\n',
    ),
}


@pytest.mark.parametrize("client", sorted(PORTABLE))
def test_project_entry_names_the_server_through_the_clients_home_variable(
    client: str, standard: Launcher, tmp_path: Path
) -> None:
    parts, expected = PORTABLE[client]
    plan = _project(client, tmp_path, standard)
    assert tmp_path.joinpath(*parts).read_text() == expected
    assert not any("this machine" in n for n in plan.changes[0].notes), "nothing to warn about: it travels"
    [record] = plan.changes[0].records
    assert installer.entry_state(record) == "ok", "the recorded hash is of what we wrote"
    entry = json.loads(expected)["mcpServers" if client != "vscode" else "servers"]["clerk"]
    assert ownership.runs_our_server(entry), "scan and the write-ahead log recognise it as ours"
    again = installer.plan_install(request(client, "project", tmp_path, storage="env"), linux(Path.home()), standard)
    assert [c.action for c in again.changes] == ["unchanged"], "installing again changes nothing"
    refresh = installer.plan_refresh([record], launcher=standard)
    assert refresh.changes and not any("edited since" in n for n in refresh.notes)
    installer.apply(refresh)
    assert tmp_path.joinpath(*parts).read_text() == expected


def test_user_scope_keeps_the_absolute_path(standard: Launcher) -> None:
    plan = installer.plan_install(request("cursor", storage="env"), linux(Path.home()), standard)
    installer.apply(plan)
    entry = json.loads(Path(plan.changes[0].path).read_text())["mcpServers"]["clerk"]
    assert entry["command"] == standard.command, "GUI clients get an absolute path in their own files"


@pytest.mark.parametrize(("client", "storage", "name"), [("zed", "vault", "Zed"), ("codex", "env", "Codex CLI")])
def test_clients_without_a_home_variable_keep_the_path_and_warn(
    client: str, storage: str, name: str, standard: Launcher, tmp_path: Path
) -> None:
    plan = _project(client, tmp_path, standard, storage)
    change = plan.changes[0]
    text = Path(change.path).read_text()
    assert f'"{standard.command}"' in text and "${" not in text and "userHome" not in text
    assert any(
        f"Its command {standard.command} names this machine's home folder, and {name} cannot" in n for n in change.notes
    ), change.notes


def test_a_launcher_outside_the_standard_folder_keeps_todays_warning(standard: Launcher, tmp_path: Path) -> None:
    venv = Launcher(str(SERVER_SCRIPT))
    plan = _project("cursor", tmp_path, venv)
    entry = json.loads((tmp_path / ".cursor" / "mcp.json").read_text())["mcpServers"]["clerk"]
    assert entry["command"] == str(SERVER_SCRIPT)
    [warning] = [n for n in plan.changes[0].notes if "exists on this machine only" in n]
    assert "uv tool install clerk-mcp-setup" in warning and "pipx install clerk-mcp-setup" in warning
    # a folder that merely starts like the standard one is not it
    assert portable.command(get_client("cursor"), str(Path.home() / ".local" / "bin2" / "clerk-mcp-server")) == str(
        Path.home() / ".local" / "bin2" / "clerk-mcp-server"
    )
    assert portable.command(get_client("cursor"), str(Path.home() / ".local" / "bin" / "x" / "s")).startswith("/")


@pytest.mark.parametrize("client", ["cursor", "claude-code"])
async def test_a_portable_entry_verifies_here_and_names_the_resolved_path_on_a_teammates_machine(
    client: str, standard: Launcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _project(client, tmp_path / "project", standard, "demo")
    [record] = plan.changes[0].records
    assert "${" in json.loads(Path(record.path).read_text())["mcpServers"]["clerk"]["command"]
    result = await verify_record(record, timeout=30)
    assert result.ok, result
    assert result.tools == len(DEFAULT_TOOLS), "the server started from ~/.local/bin listed its tools"

    teammate = tmp_path / "teammate"
    teammate.mkdir()
    monkeypatch.setenv("HOME", str(teammate))
    missing = await verify_record(record, timeout=10)
    assert missing.status == "command-not-found", missing
    assert missing.evidence[0] == f"tried {teammate}/.local/bin/clerk-mcp-server: no such file"


def test_verify_resolves_only_the_home_form_the_client_expands() -> None:
    notes: list[str] = []
    env = {"HOME": "/home/mate"}
    assert (
        verify.resolve_refs(get_client("cursor"), "${userHome}/.local/bin/s", env, notes) == "/home/mate/.local/bin/s"
    )
    assert verify.resolve_refs(get_client("vscode"), "${userHome}/s", env, notes, "/h") == "/h/s"
    assert verify.resolve_refs(get_client("claude-code"), "${HOME}/s", env, notes) == "/home/mate/s"
    assert verify.resolve_refs(get_client("claude-code"), "${userHome}/s", env, notes) == "${userHome}/s"
    assert verify.resolve_refs(get_client("zed"), "${userHome}/s", env, notes) == "${userHome}/s"


PROJECT_CLIENTS = [c for c in CLIENTS if c.project_file]


@pytest.mark.parametrize("client", PROJECT_CLIENTS, ids=lambda c: c.id)
def test_every_project_client_writes_a_command_it_resolves_itself(
    client: Client, standard: Launcher, tmp_path: Path
) -> None:
    """Clients whose record names a home variable get it, and verify turns it back into this machine's path;
    every other client keeps the absolute path."""
    storage = "env" if client.secrets.env_reference and client.secrets.project_env else "vault"
    plan = installer.plan_install(
        request(client.id, "project", tmp_path, storage=storage), linux(Path.home()), standard
    )
    [change] = plan.changes
    command = travel._command(change.edits)
    if client.secrets.home is None:
        assert command in (standard.command, None), command  # None: a shape whose command is not a plain string
        return
    assert command == f"{client.secrets.home}/.local/bin/clerk-mcp-server"
    mate = {"HOME": "/home/mate", "PATH": "/usr/bin"}
    assert verify.resolve_refs(client, command, mate, []) == "/home/mate/.local/bin/clerk-mcp-server"


def test_refresh_knows_a_portable_command_whose_program_vanished(standard: Launcher, tmp_path: Path) -> None:
    """`${userHome}/.local/bin/clerk-mcp-server` names this home here: when it is gone and would be written again,
    refresh says so with the fix; an edited portable entry's `refresh --force` diff shows the portable command."""
    plan = _project("cursor", tmp_path, standard)
    [record] = plan.changes[0].records
    Path(standard.command).unlink()
    with pytest.raises(repair.RepairError) as caught:
        repair.plan_refresh([record], env=linux(Path.home()), launcher=standard)
    assert f"runs {standard.command}, which no longer exists" in caught.value.message

    config = tmp_path / ".cursor" / "mcp.json"
    data = json.loads(config.read_text())
    data["mcpServers"]["clerk"]["args"] = ["--read-only"]
    config.write_text(json.dumps(data))
    edited = repair.plan_refresh([record], env=linux(Path.home()), launcher=standard)
    [diff] = [n for n in edited.notes if "refresh --force` would write" in n]
    assert '"command": "${userHome}/.local/bin/clerk-mcp-server"' in diff and standard.command not in diff
