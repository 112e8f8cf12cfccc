"""Continue: a YAML list `mcpServers:` of `{name, command, args, env}` in `~/.continue/config.yaml`.

Sources: docs.continue.dev/customize/deep-dives/mcp and docs.continue.dev/reference (config.yaml: top-level
`name`, `version`, `schema` are required; `mcpServers` is a list; remote `type: streamable-http` + `url`;
secrets as `${{ secrets.NAME }}`), `$CONTINUE_GLOBAL_DIR` moves `~/.continue`; toolchain.md "More CLI
clients" (measured with @continuedev/cli 1.5.47: `cn` aborts if a server fails, and an unset secret keeps
the server from loading). Block files in `.continue/mcpServers/` are not written.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def config_dir(env: Env) -> PurePath:
    value = env.var("CONTINUE_GLOBAL_DIR")
    return env.path(value) if value else env.home / ".continue"


def user_path(env: Env) -> PurePath:
    return config_dir(env) / "config.yaml"


CONTINUE = Client(
    id="continue",
    name="Continue",
    syntax="yaml",
    servers_key="mcpServers",
    user_path=user_path,
    # cn sends a remote server's headers only from `requestOptions.headers`, not a top-level `headers`:
    # measured with @continuedev/cli 1.5.47 against a bearer-protected server (tests/integration/test_real_agents.py);
    # docs.continue.dev/reference#mcpservers lists requestOptions among a server's fields.
    shape=EntryShape(remote_type="streamable-http", headers_key="requestOptions.headers"),
    secrets=Secrets(
        template="${{ secrets.NAME }}", note="Continue fills ${{ secrets.NAME }} from its secrets or the environment"
    ),
    next_steps={"user": ("Reload Continue (or start `cn`); the server shows under Tools → MCP.",)},
    quirks=(
        "mcpServers is a list of items that carry their name; other items keep their text and order.",
        "A new config.yaml needs name, version and schema at the top: we write them when we create the file.",
    ),
    binaries=("cn",),
    config_dir=config_dir,
    servers_list=True,
    new_file={"name": "Local Config", "version": "1.0.0", "schema": "v1"},
    tool_cap_source=("no cap found searching docs.continue.dev and continuedev/continue issues (2026-11)"),
    sign_in_checked=("no OAuth sign-in for a URL entry found searching docs.continue.dev and its issues (2026-11)"),
    launch=LaunchPolicy(
        inherit="all", unset_reference="fail", source="toolchain.md: measured with @continuedev/cli 1.5.47"
    ),
)
