"""Writing Claude Code's entries through its own CLI when it is installed.

`~/.claude.json` is a large state file that Claude Code rewrites constantly; its own `claude mcp add-json`
is the writer least likely to race with it. We still plan the change by splicing (for the diff and the
checks), back the file up, and re-read it afterwards. Not used for project scope (`add-json --scope project`
drops unknown keys of `.mcp.json`) or for a plain-text key (it would sit in the process list).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from clerk_mcp_setup.errors import ClerkMcpError

DISABLE_ENV = "CLERK_MCP_SETUP_NO_CLAUDE_CLI"


def claude_binary() -> str | None:
    """The `claude` executable, unless disabled by the environment."""
    if os.environ.get(DISABLE_ENV):
        return None
    return shutil.which("claude")


def usable(scope: str, key_storage: str) -> bool:
    return scope in ("user", "local") and key_storage != "plain"


def _run(binary: str, args: list[str], cwd: Path | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_AUTOUPDATER": "1"}
    try:
        return subprocess.run(
            [binary, "mcp", *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClerkMcpError(f"`claude mcp {args[0]}` could not run: {exc}.") from None


def set_entry(binary: str, scope: str, name: str, entry: dict[str, Any] | None, project: Path | None) -> None:
    """Replace (or with `entry=None`, remove) one entry: `claude mcp remove` then `claude mcp add-json`."""
    cwd = project if scope == "local" else None
    _run(binary, ["remove", "--scope", scope, name], cwd)  # absent is fine: add-json refuses duplicates
    if entry is None:
        return
    added = _run(binary, ["add-json", "--scope", scope, name, json.dumps(entry)], cwd)
    if added.returncode != 0:
        raise ClerkMcpError(
            f"`claude mcp add-json --scope {scope} {name}` failed: {(added.stderr or added.stdout).strip()[:300]}",
            f"Set {DISABLE_ENV}=1 to have clerk-mcp-setup edit the file directly instead.",
        )
