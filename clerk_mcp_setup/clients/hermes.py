"""Hermes Agent (Nous Research): YAML `mcp_servers.<name>` in `~/.hermes/config.yaml`.

Sources: hermes-agent.nousresearch.com/docs/user-guide/features/mcp (`command`, `args`, `env`; remote `url`,
`headers`), developer.mittwald.de ".../mcp/getting-connected/hermes-agent" (native Windows:
`%LOCALAPPDATA%\\hermes\\config.yaml`; `hermes mcp add/list/test`). `$HERMES_HOME` moves `~/.hermes`. Hermes
reads the file with PyYAML (YAML 1.1): our writer quotes strings such as "on" or "yes".
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def config_dir(env: Env) -> PurePath:
    value = env.var("HERMES_HOME")
    if value:
        return env.path(value)
    if env.platform == "win32":
        return env.local_appdata() / "hermes"
    return env.home / ".hermes"


def user_path(env: Env) -> PurePath:
    return config_dir(env) / "config.yaml"


HERMES = Client(
    id="hermes",
    name="Hermes Agent",
    syntax="yaml",
    servers_key="mcp_servers",
    user_path=user_path,
    shape=EntryShape(),
    secrets=Secrets(note="Hermes expands no references in entries: the key goes in the vault"),
    next_steps={"user": ("Restart Hermes; `hermes mcp test clerk` connects and counts the tools.",)},
    cli=OfficialCli(
        binary="hermes",
        add="hermes mcp add {name} --command {command} --args {args}   |   --url {url}",
        remove="hermes mcp remove {name}",
        list="hermes mcp list",
    ),
    quirks=("Hermes reads YAML 1.1: strings such as yes, on or 0777 must be quoted (we do).",),
    binaries=("hermes",),
    config_dir=config_dir,
    tool_cap_source=("no cap found searching Hermes Agent's docs and issues (2026-11)"),
    sign_in_checked=("no OAuth sign-in found searching Hermes Agent's docs and issues (2026-11)"),
    launch=LaunchPolicy(inherit="all", source="a terminal agent: its shell's environment"),
)
