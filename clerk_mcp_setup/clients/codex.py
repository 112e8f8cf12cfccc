"""Codex CLI: `[mcp_servers.NAME]` tables in TOML, secrets passed by variable name, and an official CLI.

The user file is `$CODEX_HOME/config.toml` (default `~/.codex/config.toml`); `<project>/.codex/config.toml`
is read only in projects the person has trusted. Codex keeps its own settings in the same file.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients import launch
from clerk_mcp_setup.clients.base import Client, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def config_dir(env: Env) -> PurePath:
    """`$CODEX_HOME` when set and not empty, else `~/.codex`."""
    value = env.var("CODEX_HOME")
    return env.path(value) if value else env.home / ".codex"


def user_path(env: Env) -> PurePath:
    """The user `config.toml`."""
    return config_dir(env) / "config.toml"


_LOAD = "Start a new Codex session; `codex mcp list` shows the server."

CODEX = Client(
    id="codex",
    name="Codex CLI",
    syntax="toml",
    servers_key="mcp_servers",
    user_path=user_path,
    project_file=(".codex", "config.toml"),
    # Codex waits 10 s for a server to start by default (developers.openai.com/codex/mcp, `startup_timeout_sec`;
    # toolchain.md "Launch environments"); a cold Python start on a slow disk can take longer, so entries say 30.
    shape=EntryShape(headers_key="http_headers", stdio_extra={"startup_timeout_sec": 30}),
    secrets=Secrets(
        by_name=True,
        note="Codex copies variables by name: env_vars for a local server, env_http_headers or "
        "bearer_token_env_var for a remote one",
    ),
    next_steps={
        "user": (_LOAD,),
        "project": (
            "Codex reads .codex/config.toml only in trusted projects: trust this folder when Codex asks.",
            _LOAD,
        ),
    },
    quirks=(
        "An entry with neither command nor url makes the whole config.toml fail to load.",
        "Windows paths in TOML basic strings need escaped backslashes; a TOML writer handles it.",
        "Remote entries have no type key (streamable HTTP only): url, http_headers, env_http_headers, "
        "bearer_token_env_var.",
        "Codex writes config.toml with mode 0600; keep it that way.",
    ),
    cli=OfficialCli(
        binary="codex",
        add="codex mcp add {name} --env KEY=VALUE -- {command} {args}   |   codex mcp add {name} --url {url}",
        remove="codex mcp remove {name}",
        list="codex mcp list --json",
        note="Writes the user config.toml only.",
    ),
    binaries=("codex",),
    # No cap found in Codex's docs or issues (searched 2026-11).
    tool_cap=None,
    tool_cap_source="none found in Codex's docs or issues",
    launch=launch.CODEX,
    # github.com/openai/codex docs/config.md (`codex mcp login`); measured here with Codex 0.169.0.
    sign_in=SignIn("run codex mcp login {name} to sign in."),
    config_dir=config_dir,
)
