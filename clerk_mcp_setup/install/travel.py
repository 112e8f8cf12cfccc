"""Project files travel: a project-scope file is usually committed and read on a teammate's machine.

So for project scope the key is referenced through an environment variable by default (each teammate sets
their own), and the plan says what a teammate needs: the server installed, and their key. Where the entry's
command is in the standard tool-install folder and the client can name the home folder in a command, the
entry says `${userHome}/.local/bin/…` or `${HOME}/.local/bin/…` (portable.py); where it is a path only this
machine has (a checkout's virtual environment) or the client cannot say it, the plan warns.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from clerk_mcp_setup.clients import get_client
from clerk_mcp_setup.install import portable
from clerk_mcp_setup.install.installer import Plan, Target


def default_storage(chosen: str, explicit: str | None, targets: Sequence[Target]) -> str:
    """`env` for project scope when the person did not choose and every client can reference a variable."""
    if explicit or chosen != "vault" or not targets:
        return chosen
    if all(t.scope == "project" and t.client.secrets.env_reference and t.client.secrets.project_env for t in targets):
        return "env"
    return chosen


def add_notes(plan: Plan) -> None:
    """Per project file: who else reads it, how a teammate provides the key, and whether the command travels."""
    for change in plan.changes:
        project = [r for r in change.records if r.scope == "project"]
        if not project:
            continue
        record = project[0]
        change.notes.append(
            f"{change.path} is a project file, usually committed and read on teammates' machines: each "
            "teammate needs clerk-mcp-server installed (`uv tool install clerk-mcp-setup` or `pipx install "
            "clerk-mcp-setup`) and their own key"
            + (
                f" in ${record.key_env or 'CLERK_SECRET_KEY'} (the entry reads it from the environment)."
                if record.key_storage == "env"
                else f" in their vault slot '{record.vault_name}' (`clerk-mcp-setup --client {record.client} "
                "--project --secret-key-stdin` stores it)."
                if record.key_storage == "vault"
                else "."
            )
        )
        command = _command(change.edits)
        if not command or not os.path.isabs(command):
            continue  # a bare name, or written through the client's home reference (portable.py)
        if portable.standard_relative(command) is None:
            change.notes.append(
                f"Its command {command} exists on this machine only; on a teammate's machine it resolves only if "
                "installed at the same path. Installing with `uv tool install clerk-mcp-setup` or `pipx install "
                "clerk-mcp-setup` puts it in ~/.local/bin on every machine, and clients that can name the home "
                "folder in a command then get a command that resolves on each machine."
            )
        else:
            client = get_client(record.client)
            change.notes.append(
                f"Its command {command} names this machine's home folder, and {client.name} cannot refer to "
                "the home folder in a command: a teammate whose home folder differs has to edit the "
                "path in the entry."
            )


def _command(edits: list[tuple[tuple[str, ...], object]]) -> str | None:
    for _, value in edits:
        if isinstance(value, dict) and isinstance(value.get("command"), str):
            return str(value["command"])
    return None
