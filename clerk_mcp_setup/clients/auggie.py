"""Augment's auggie CLI: `mcpServers` in `~/.augment/settings.json`; command and args run as one shell line.

Sources: docs.augmentcode.com/cli/integrations (MCP in settings.json), toolchain.md "More CLI clients"
(measured with @augmentcode/auggie 0.36.0): the server gets only `HOME LOGNAME PATH SHELL TERM USER` plus the
entry's env; `${X}` works in env only and an unset one keeps the server from starting; command and args are
joined into one shell line, so every word is quoted for a POSIX shell.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def user_path(env: Env) -> PurePath:
    return env.home / ".augment" / "settings.json"


_LOAD = "Start a new auggie session; the server is listed with ✅ when it connects."

AUGGIE = Client(
    id="auggie",
    name="Auggie",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".augment", "settings.json"),
    shape=EntryShape(remote_type="http", shell_line=True),
    secrets=Secrets(
        template="${NAME}",
        env_only=True,
        note="auggie expands ${NAME} in an entry's env only (not in headers); unset, the server does not start",
    ),
    next_steps={"user": (_LOAD,), "project": (_LOAD,)},
    quirks=(
        "auggie runs command and args as one shell line: we quote each word for a POSIX shell.",
        "The server gets only HOME LOGNAME PATH SHELL TERM USER and the entry's env.",
    ),
    binaries=("auggie",),
    config_dir=lambda env: env.home / ".augment",
    tool_cap_source=("no cap found searching docs.augmentcode.com and its issues (2026-11)"),
    sign_in_checked=(
        "measured here with auggie 0.36.0: auggie mcp add --help offers only headers for remote "
        "servers; no OAuth documented"
    ),
    launch=LaunchPolicy(
        inherit="allow-list",
        allow=("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"),
        unset_reference="fail",
        shell_line=True,
        source="toolchain.md: measured with @augmentcode/auggie 0.36.0",
    ),
)
