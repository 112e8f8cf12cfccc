"""Headless OAuth sign-in for the real-client tier: a browser stand-in and the protected sandbox.

The stand-in is used as `$BROWSER` and put first on PATH as `xdg-open`, `www-browser`, `x-www-browser` and
`open` (mcp-remote's bundled xdg-open and Node's `open` look for those): it fetches the authorize URL, follows
the 302 to the client's loopback callback (retrying a refused connection briefly), logs the URL, and exits.
"""

from __future__ import annotations

import sys
from pathlib import Path

from oauth_helpers import BROWSER_SCRIPT

# The same stand-in the in-process sign-in tests use (tests/oauth_helpers.py), under every name a client tries.
NAMES = ("browser", "xdg-open", "www-browser", "x-www-browser", "open", "sensible-browser")


def stand_in(directory: Path) -> tuple[Path, Path]:
    """Write the stand-in under each name into `directory`; return (the directory, the log of opened URLs)."""
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "opened.log"
    for name in NAMES:
        path = directory / name
        path.write_text(BROWSER_SCRIPT.format(python=sys.executable, log=str(log)))
        path.chmod(0o755)
    return directory, log


def browser_env(directory: Path, path: str) -> dict[str, str]:
    return {"PATH": f"{directory}:{path}", "BROWSER": str(directory / "browser")}
