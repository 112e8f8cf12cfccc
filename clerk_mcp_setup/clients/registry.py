"""Every client we know, in the order the wizard lists them, and lookup by id with a typo suggestion."""

from __future__ import annotations

import difflib

from clerk_mcp_setup.clients.amp import AMP
from clerk_mcp_setup.clients.antigravity import ANTIGRAVITY
from clerk_mcp_setup.clients.auggie import AUGGIE
from clerk_mcp_setup.clients.base import Client
from clerk_mcp_setup.clients.claude_code import CLAUDE_CODE
from clerk_mcp_setup.clients.claude_desktop import CLAUDE_DESKTOP
from clerk_mcp_setup.clients.cline import CLINE, ROO_CODE
from clerk_mcp_setup.clients.codex import CODEX
from clerk_mcp_setup.clients.continue_dev import CONTINUE
from clerk_mcp_setup.clients.copilot_cli import COPILOT_CLI
from clerk_mcp_setup.clients.crush import CRUSH
from clerk_mcp_setup.clients.cursor import CURSOR
from clerk_mcp_setup.clients.droid import DROID
from clerk_mcp_setup.clients.gemini import GEMINI
from clerk_mcp_setup.clients.goose import GOOSE
from clerk_mcp_setup.clients.hermes import HERMES
from clerk_mcp_setup.clients.kiro import KIRO
from clerk_mcp_setup.clients.lm_studio import LM_STUDIO
from clerk_mcp_setup.clients.openclaw import OPENCLAW
from clerk_mcp_setup.clients.opencode import KILO_CODE, OPENCODE
from clerk_mcp_setup.clients.qwen_code import QWEN_CODE
from clerk_mcp_setup.clients.trae import TRAE
from clerk_mcp_setup.clients.vscode import VSCODE, VSCODE_INSIDERS
from clerk_mcp_setup.clients.warp import WARP
from clerk_mcp_setup.clients.windsurf import WINDSURF
from clerk_mcp_setup.clients.zed import ZED
from clerk_mcp_setup.errors import UsageError

CLIENTS: tuple[Client, ...] = (
    CLAUDE_DESKTOP,
    CLAUDE_CODE,
    CURSOR,
    VSCODE,
    VSCODE_INSIDERS,
    WINDSURF,
    ZED,
    CODEX,
    GEMINI,
    # CLI agents, then editors and apps (issue 16): the wizard lists detected clients first anyway.
    OPENCODE,
    COPILOT_CLI,
    CLINE,
    QWEN_CODE,
    KILO_CODE,
    DROID,
    AMP,
    OPENCLAW,
    AUGGIE,
    CONTINUE,
    GOOSE,
    CRUSH,
    HERMES,
    ROO_CODE,
    KIRO,
    ANTIGRAVITY,
    TRAE,
    WARP,
    LM_STUDIO,
)
CLIENT_IDS: tuple[str, ...] = tuple(client.id for client in CLIENTS)
_BY_ID = {client.id: client for client in CLIENTS}


def get_client(client_id: str) -> Client:
    """The client with this id (case and surrounding space ignored); a typo gets the closest id suggested."""
    wanted = client_id.strip().lower()
    if wanted in _BY_ID:
        return _BY_ID[wanted]
    valid = ", ".join(CLIENT_IDS)
    close = difflib.get_close_matches(wanted, CLIENT_IDS, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? valid clients: {valid}" if close else f"valid clients: {valid}"
    raise UsageError(f"unknown client {client_id!r}", hint)
