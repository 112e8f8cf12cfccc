"""Amp: servers under the single key `"amp.mcpServers"` (one key with a dot in it) of `settings.json`.

Sources: ampcode.com/manual ("amp.mcpServers" in `~/.config/amp/settings.json`, `.amp/settings.json` in a
workspace), toolchain.md "More CLI clients" (measured with @ampcode/cli 0.0.1790142911): `$XDG_CONFIG_HOME`
is honoured, `${X}` is expanded, workspace servers need a hash-bound approval, the server gets Amp's whole
environment but AMP_API_KEY.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def user_path(env: Env) -> PurePath:
    """`$XDG_CONFIG_HOME/amp/settings.json` (Windows `%APPDATA%\\amp\\settings.json`)."""
    base = env.appdata() if env.platform == "win32" else env.xdg_config_home()
    return base / "amp" / "settings.json"


_LOAD = "Start a new Amp thread; `amp mcp doctor clerk` shows whether it connects."

AMP = Client(
    id="amp",
    name="Amp",
    syntax="json",
    servers_key="amp.mcpServers",
    user_path=user_path,
    project_file=(".amp", "settings.json"),
    shape=EntryShape(),
    # home: ${HOME} in a project command because ${NAME} expands in entries (the note below); not yet measured in
    # the command itself (tests/test_travel.py checks what we write and how verify resolves it).
    secrets=Secrets(template="${NAME}", home="${HOME}", note="Amp expands ${NAME} in entries"),
    next_steps={
        "user": (_LOAD,),
        "project": (
            "Amp asks you to approve workspace servers (the approval is bound to the entry): approve it.",
            _LOAD,
        ),
    },
    quirks=('The servers key is the literal "amp.mcpServers": one key containing a dot, not nested objects.',),
    binaries=("amp",),
    tool_cap_source=("no cap found searching ampcode.com docs and its issues (2026-11)"),
    sign_in_checked=(
        "measured here with amp 0.0.1790142911: amp mcp oauth login --help registers OAuth client "
        "credentials for a server by hand (client id, auth/token URLs); no automatic sign-in documented"
    ),
    launch=LaunchPolicy(inherit="all", unset_reference="literal", source="toolchain.md: measured with @ampcode/cli"),
)
