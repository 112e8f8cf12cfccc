"""LM Studio: `mcpServers` in `~/.lmstudio/mcp.json`, in Cursor's notation.

Source: lmstudio.ai/docs/app/mcp ("Install new servers: mcp.json", Cursor's notation, `{url, headers}` for
remote servers); clients.md "More clients".
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env


def user_path(env: Env) -> PurePath:
    """`~/.lmstudio/mcp.json` on every OS."""
    return env.home / ".lmstudio" / "mcp.json"


LM_STUDIO = Client(
    id="lm-studio",
    name="LM Studio",
    syntax="json",
    servers_key="mcpServers",
    user_path=user_path,
    shape=EntryShape(),
    secrets=Secrets(note="LM Studio expands no references: the key goes in the entry's env or the vault"),
    next_steps={"user": ("LM Studio reloads mcp.json when it changes: enable the server in the chat's Program tab.",)},
    quirks=("Cursor's notation; LM Studio runs tools only for models that support tool use.",),
    binaries=("lms",),
    config_dir=lambda env: env.home / ".lmstudio",
    tool_cap_source=("no cap found searching lmstudio.ai/docs and lmstudio-ai issues (2026-11)"),
    sign_in_checked=("no OAuth sign-in found searching lmstudio.ai/docs and its issues (2026-11)"),
    launch=LaunchPolicy(inherit="gui", source="a desktop app started from the Dock/Start menu"),
)
