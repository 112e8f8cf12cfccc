"""Goose (Block): YAML `extensions.<name>` in `config.yaml`, with `cmd`/`envs` and `uri` spellings.

Sources: block.github.io/goose/docs/getting-started/using-extensions ("config.yaml": `~/.config/goose/config.yaml`,
Windows `%APPDATA%\\Block\\goose\\config\\config.yaml`), goose's ExtensionConfig (crates/goose/src/agents/
extension.rs): stdio `{name, type: stdio, cmd, args, envs, enabled, timeout}`, remote
`{name, type: streamable_http, uri, headers, enabled, timeout}`. `envs` holds values; Goose expands no
references in them, so the key goes to our vault.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def config_dir(env: Env) -> PurePath:
    if env.platform == "win32":
        return env.appdata() / "Block" / "goose" / "config"
    return env.xdg_config_home() / "goose"


def user_path(env: Env) -> PurePath:
    return config_dir(env) / "config.yaml"


_EXTRA = {"enabled": True, "timeout": 300}

GOOSE = Client(
    id="goose",
    name="Goose",
    syntax="yaml",
    servers_key="extensions",
    user_path=user_path,
    shape=EntryShape(
        stdio_type="stdio",
        remote_type="streamable_http",
        command_key="cmd",
        env_key="envs",
        url_key="uri",
        name_key="name",
        stdio_extra=_EXTRA,
        remote_extra=_EXTRA,
    ),
    secrets=Secrets(note="Goose takes envs as values (env_keys reads its own keyring): the key goes in the vault"),
    next_steps={"user": ("Start a new Goose session; `goose info -v` lists the enabled extensions.",)},
    quirks=("Entries carry their own name, and Goose spells the command cmd, the environment envs, a URL uri.",),
    binaries=("goose",),
    config_dir=config_dir,
    tool_cap_source=(
        "none: goose only suggested staying under 5 extensions / 50 tools, and removed that warning "
        "(aaif-goose/goose#9910, #10841)"
    ),
    sign_in=SignIn(
        "goose opens your browser to sign in when it first connects to '{name}'.",
        source=(
            "aaif-goose/goose#8918 (a maintainer: streamable_http extensions fall back to OAuth when initialize "
            "gets an auth challenge); docs.unstructured.io/transform/install/goose (the browser opens on first connect)"
        ),
    ),
    launch=LaunchPolicy(inherit="all", source="goose CLI from a shell; Goose Desktop has a GUI's environment"),
)
