"""Helpers for the sign-in tests: a browser stand-in and the environment a signed-in process needs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# A `$BROWSER` stand-in: fetch the authorize URL, follow the 302 to the client's loopback callback (urllib
# follows redirects), retrying a refused connection briefly, and record the URL it was given.
BROWSER_SCRIPT = """#!{python}
import sys, time, urllib.request, urllib.error
url = sys.argv[-1]
with open({log!r}, "a") as fh:
    fh.write(url + "\\n")
for _ in range(50):
    try:
        urllib.request.urlopen(url, timeout=10).read()
        break
    except urllib.error.HTTPError:
        break
    except OSError:
        time.sleep(0.1)
"""


def browser(tmp: Path) -> tuple[Path, Path]:
    """Write the stand-in; return (its path, the log of URLs it opened)."""
    log = tmp / "browser.log"
    script = tmp / "browser"
    script.write_text(BROWSER_SCRIPT.format(python=sys.executable, log=str(log)))
    script.chmod(0o755)
    return script, log


def signed_in_env(browser_path: Path) -> dict[str, str]:
    """What a spawned bridge needs: our HOME, the file vault, the browser stand-in."""
    return {
        "HOME": os.environ["HOME"],
        "PATH": os.environ.get("PATH", ""),
        "CLERK_MCP_VAULT": "file",
        "BROWSER": str(browser_path),
    }
