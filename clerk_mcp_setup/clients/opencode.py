"""opencode and Kilo Code: `mcp` in a JSONC `opencode.json`/`kilo.jsonc`, argv-list commands, `{env:NAME}`.

v1 keeps servers in `mcp.<name>`; opencode 2 moved them to `mcp.servers.<name>` (anomalyco/opencode#48201,
specs/v2/config.md "Group 9: integrations"). We read the file first and write the layout it already uses.
Sources: opencode.ai/docs/mcp-servers, opencode.ai/docs/config (the file is parsed as JSONC whatever its
extension), Kilo-Org/kilocode packages/kilo-docs/pages/automate/mcp/using-in-kilo-code.md (the Kilo Code
extension and CLI both read `~/.config/kilo/kilo.jsonc`, an opencode fork's layout), toolchain.md
("More CLI clients": measured here with opencode-ai 1.18.33 and @kilocode/cli 7.7.7).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, KeyPath, LaunchPolicy, Location, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.hosts import exists
from clerk_mcp_setup.clients.signin import SignIn

# `command` is one argv list, program first; a string command makes opencode refuse the whole file
# (toolchain.md, measured with opencode 1.18.33). `enabled` is left out: missing means enabled in v1
# (anomalyco/opencode#513) and v2 has no such key, only `disabled`.
SHAPE = EntryShape(stdio_type="local", args_key=None, env_key="environment", remote_type="remote")
SECRETS = Secrets(template="{env:NAME}", note='opencode replaces {env:NAME} with the variable\'s value, or "" if unset')
# opencode passes its whole environment plus the entry's `environment` (toolchain.md, measured).
LAUNCH = LaunchPolicy(inherit="all", unset_reference="empty", source="toolchain.md: measured with opencode-ai 1.18.33")


def _config_file(folder: str, names: Sequence[str]) -> Callable[[Env], PurePath]:
    def user_path(env: Env) -> PurePath:
        """`$XDG_CONFIG_HOME/<folder>/<name>` on every OS (opencode uses XDG paths on macOS and Windows too:
        opencode.ai/docs/config "Global config ~/.config/opencode/opencode.json"; on Windows it loads
        `~/.config/opencode`, not `%APPDATA%`: colbymchenry/codegraph#535). It reads config.json,
        opencode.json and opencode.jsonc (anomalyco/opencode#3407): the first of `names` that exists, else
        the first name."""
        directory = env.xdg_config_home() / folder
        for name in names:
            if exists(env, directory / name):
                return directory / name
        return directory / names[0]

    return user_path


class Opencode(Client):
    """opencode's one quirk: v1 and v2 keep servers at different depths."""

    def adapt(self, location: Location, current: Callable[[KeyPath], object]) -> Location:
        """`mcp.servers` when the file already uses the v2 layout (a map of entries, not an entry)."""
        servers = current((*location.key_path, "servers"))
        if isinstance(servers, dict) and not isinstance(servers.get("type"), str):
            return Location(
                location.client_id,
                location.scope,
                location.path,
                (*location.key_path, "servers"),
                location.syntax,
                "opencode 2 layout: servers go under mcp.servers",
            )
        return location


_OPENCODE_STEPS = ("Start a new opencode session; `opencode mcp list` shows `✓ clerk connected`.",)

OPENCODE = Opencode(
    id="opencode",
    name="opencode",
    syntax="jsonc",
    servers_key="mcp",
    user_path=_config_file("opencode", ("opencode.jsonc", "opencode.json")),
    project_file=("opencode.json",),
    shape=SHAPE,
    secrets=SECRETS,
    next_steps={
        "user": _OPENCODE_STEPS,
        "project": ("opencode reads opencode.json in the project without asking.", *_OPENCODE_STEPS),
    },
    quirks=(
        'Entries are {"type": "local", "command": [program, args…], "environment": {…}}; a string command is fatal.',
        "opencode 2 moved servers from mcp.<name> to mcp.servers.<name>; we follow the layout the file already has.",
    ),
    cli=OfficialCli(binary="opencode", add="opencode mcp add   (interactive)", list="opencode mcp list"),
    binaries=("opencode",),
    installs=lambda env: (env.home / ".opencode" / "bin" / "opencode",),  # the install script's target
    tool_cap_source=(
        "none documented: opencode.ai/docs/mcp-servers only warns that many MCP tools fill the context; "
        "no cap in anomalyco/opencode issues (checked 2026-11)"
    ),
    sign_in=SignIn(
        "opencode signs in when it first connects to '{name}'; or ahead: opencode mcp auth {name}.",
        source=(
            "measured here with opencode-ai 1.18.33: opencode mcp --help (auth: authenticate with an "
            "OAuth-enabled MCP server); anomalyco/opencode#5014 (OAuth for remote MCP, dynamic client registration)"
        ),
    ),
    launch=LAUNCH,
)

_KILO_STEPS = ("Restart the Kilo Code extension (or start a new `kilo` session); `kilo mcp list` shows the server.",)

KILO_CODE = Opencode(
    id="kilo-code",
    name="Kilo Code",
    syntax="jsonc",
    servers_key="mcp",
    user_path=_config_file("kilo", ("kilo.jsonc", "kilo.json")),
    project_file=(".kilo", "kilo.jsonc"),
    shape=SHAPE,
    # Kilo 7.7.7 skips a project .kilo/kilo.jsonc whose entry uses {env:NAME} (its log: ConfigInvalidError),
    # while the same reference in the user file works: measured with @kilocode/cli 7.7.7 `kilo mcp list`
    # (tests/integration/test_real_opencode.py). So project entries keep the key in the vault.
    secrets=replace(SECRETS, project_env=False),
    next_steps={"user": _KILO_STEPS, "project": _KILO_STEPS},
    quirks=(
        "The Kilo Code extension (7.x) and the kilo CLI share ~/.config/kilo/kilo.jsonc, in opencode's notation.",
        "Kilo Code 4.x kept servers in the editor's globalStorage/kilocode.kilo-code/settings/mcp_settings.json; "
        "that file is no longer read.",
    ),
    cli=OfficialCli(binary="kilo", add="kilo mcp add   (interactive)", list="kilo mcp list"),
    binaries=("kilo",),
    tool_cap_source=(
        "none documented: Kilo-Org/kilocode docs (automate/mcp) and its opencode base name no cap (checked 2026-11)"
    ),
    sign_in=SignIn(
        "run kilo mcp auth {name} (or start a kilo session) to sign in.",
        source=(
            "measured here with @kilocode/cli 7.7.7: kilo mcp --help (auth: authenticate with an OAuth-enabled "
            "MCP server); the extension shares the CLI's kilo.jsonc"
        ),
    ),
    launch=LaunchPolicy(
        inherit="all", unset_reference="empty", source="toolchain.md: measured with @kilocode/cli 7.7.7"
    ),
)
