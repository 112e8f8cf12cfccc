"""Cline and Roo Code: an `mcpServers` JSON file in the extension's globalStorage of every editor hosting it.

Cline: `<editor>/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`, and the Cline
CLI's `~/.cline/data/settings/cline_mcp_settings.json` (`$CLINE_DIR` moves `~/.cline`,
`$CLINE_MCP_SETTINGS_PATH` names the file) — docs.cline.bot/mcp/configuring-mcp-servers, clients.md
"More clients", toolchain.md (measured with cline 3.0.65). A `url` without `"type": "streamableHttp"` means
SSE to Cline. Cline drops the whole file on a comment or trailing comma: strict JSON.
Roo Code: `…/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json` and `.roo/mcp.json`;
remote `"type": "streamable-http"`; `${env:NAME}` in entries (docs.roocode.com/features/mcp/using-mcp-in-roo).
We write to every host where the extension is present (its globalStorage folder exists).
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy, Location, Scope
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.hosts import exists, storage_dirs
from clerk_mcp_setup.clients.signin import SignIn

CLINE_FILE = "cline_mcp_settings.json"


class ExtensionClient(Client):
    """An extension hosted by several editors (plus, for Cline, a CLI): one file per host where it is present."""

    extension: str = ""
    file_name: str = ""

    def candidates(self, env: Env) -> list[tuple[str, PurePath]]:
        """(where, file) for every host, present or not, in our order of preference."""
        return [(editor, folder / "settings" / self.file_name) for editor, folder in storage_dirs(env, self.extension)]

    def locations(
        self, scope: Scope, env: Env, project: PurePath | str | None = None, variant: str | None = None
    ) -> tuple[Location, ...]:
        if scope != "user":
            return super().locations(scope, env, project, variant)
        present = [
            Location(self.id, "user", path, (self.servers_key,), self.syntax, f"{self.name} in {where}")
            for where, path in self.candidates(env)
            if exists(env, path.parent.parent)
        ]
        return tuple(present) or (super().location("user", env),)


def _cli_file(env: Env) -> PurePath:
    """The Cline CLI's file: `$CLINE_MCP_SETTINGS_PATH`, else `$CLINE_DIR` (default `~/.cline`)/data/settings/…."""
    explicit = env.var("CLINE_MCP_SETTINGS_PATH")
    if explicit:
        return env.path(explicit)
    root = env.var("CLINE_DIR")
    return (env.path(root) if root else env.home / ".cline") / "data" / "settings" / CLINE_FILE


class Cline(ExtensionClient):
    extension = "saoudrizwan.claude-dev"
    file_name = CLINE_FILE

    def candidates(self, env: Env) -> list[tuple[str, PurePath]]:
        return [*super().candidates(env), ("the Cline CLI", _cli_file(env))]


_CLINE_STEPS = ("Cline reloads the file when it changes: open Cline's MCP Servers view to see the server.",)

CLINE = Cline(
    id="cline",
    name="Cline",
    syntax="json",
    servers_key="mcpServers",
    user_path=_cli_file,  # the default when no editor hosts Cline yet
    # `timeout` (seconds): without it the Cline CLI gives a server 3 s to answer `initialize` and then skips it
    # ("MCP request to \"clerk\" (initialize) timed out after 3s. Increase the \"timeout\" field"), which a
    # Python server's cold start on a busy machine can exceed (measured here with cline 3.0.65, `cline --json`,
    # tests/integration/test_real_agents.py); 60 is the extension's documented default.
    shape=EntryShape(remote_type="streamableHttp", stdio_extra={"timeout": 60}),
    secrets=Secrets(note="Cline expands no references (toolchain.md): the key goes in the entry's env or the vault"),
    next_steps={"user": _CLINE_STEPS},
    quirks=(
        'A remote entry needs "type": "streamableHttp"; a bare "url" is taken as SSE.',
        "Cline discards the whole file on a comment or a trailing comma: it must stay strict JSON.",
        "The extension keeps a file per editor (VS Code, Insiders, VSCodium, Cursor, Windsurf): "
        "we write each one present.",
    ),
    binaries=("cline",),
    installs=lambda env: [folder for _, folder in storage_dirs(env, Cline.extension)],
    config_dir=lambda env: _cli_file(env).parent.parent.parent,
    tool_cap_source=(
        "none documented by Cline (searched its docs and cline/cline issues, 2026-11); with its 'VS Code LM API' "
        "provider Copilot's 128-per-request limit may apply, unconfirmed"
    ),
    sign_in=SignIn(
        "open Cline's MCP Servers view and press Authenticate on '{name}'; the browser opens.",
        source="cline/cline#7376 (OAuth 2.1 for remote MCP servers, merged; Authenticate button)",
    ),
    launch=LaunchPolicy(inherit="all", unset_reference="none", source="toolchain.md: measured with cline 3.0.65"),
)


class RooCode(ExtensionClient):
    extension = "rooveterinaryinc.roo-cline"
    file_name = "mcp_settings.json"


def _roo_default(env: Env) -> PurePath:
    return RooCode.candidates(ROO_CODE, env)[0][1]


_ROO_STEPS = ("Roo Code reloads the file when it changes: open Roo's MCP Servers settings to see the server.",)

ROO_CODE = RooCode(
    id="roo-code",
    name="Roo Code",
    syntax="json",
    servers_key="mcpServers",
    user_path=lambda env: _roo_default(env),
    project_file=(".roo", "mcp.json"),
    shape=EntryShape(remote_type="streamable-http"),
    secrets=Secrets(template="${env:NAME}", note="Roo Code expands ${env:NAME} in entries"),
    next_steps={"user": _ROO_STEPS, "project": _ROO_STEPS},
    quirks=('A remote entry needs "type": "streamable-http" ("sse" is the other one).',),
    installs=lambda env: [folder for _, folder in storage_dirs(env, RooCode.extension)],
    tool_cap_source=(
        "none: Roo Code warns past 60 enabled tools but sends them all (RooCodeInc/Roo-Code#11616); "
        "the 128 in RooCodeInc/Roo-Code#12004 is a model's limit, not Roo's"
    ),
    sign_in_checked=(
        "RooCodeInc/Roo-Code#7296 and #8119: Roo does not start the OAuth flow on a 401 (open "
        "enhancement, checked 2026-11)"
    ),
    launch=LaunchPolicy(inherit="gui", unset_reference="none", source="a VS Code extension: the editor's environment"),
)
