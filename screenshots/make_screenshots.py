"""Screenshots of every screen, from the real app: an SVG and a PNG each, in this folder.

Usage: python screenshots/make_screenshots.py [--size 100x30]
Runs the wizard headless in a throwaway home staged with a Cursor config and a Claude Desktop folder, drives
it with the keys a person would press (a key into Cursor and Claude Desktop, stored in the vault), really
writes and verifies, then opens the manager. PNGs need `rsvg-convert` (Debian: librsvg2-bin).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEY = "sk_test_ScreenshotKey0123456789abcd"


def stage_home() -> Path:
    """A fresh home: Cursor with one other server, Claude Desktop's folder, a project; an empty PATH."""
    home = Path(tempfile.mkdtemp(prefix="clerk-shots-"))
    os.environ.update({"HOME": str(home), "CLERK_MCP_VAULT": "file"})
    for var in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "CLERK_SECRET_KEY"):
        os.environ.pop(var, None)
    (home / ".cursor").mkdir()
    (home / ".cursor" / "mcp.json").write_text(
        '{\n  "mcpServers": {\n    "github": {\n      "command": "/usr/local/bin/github-mcp"\n    }\n  }\n}\n'
    )
    (home / ".config" / "Claude").mkdir(parents=True)
    (home / "my-app").mkdir()
    (home / "empty-path").mkdir()
    return home


def to_png(svg: Path) -> Path | None:
    """rsvg-convert, after turning Textual's no-break spaces into spaces it keeps (else runs of them collapse)."""
    tool = shutil.which("rsvg-convert")
    if tool is None:
        return None
    text = svg.read_text(encoding="utf-8").replace("&#160;", " ")
    text = re.sub(r"<svg ", '<svg xml:space="preserve" ', text, count=1)
    with tempfile.NamedTemporaryFile("w", suffix=".svg", delete=False, encoding="utf-8") as fixed:
        fixed.write(text)
    png = svg.with_suffix(".png")
    subprocess.run([tool, "--zoom", "1", fixed.name, "-o", str(png)], check=True)
    os.unlink(fixed.name)
    return png


async def shoot(size: tuple[int, int]) -> list[Path]:
    home = stage_home()
    from clerk_mcp_setup.clients import Env
    from clerk_mcp_setup.clients.env import running_platform
    from clerk_mcp_setup.tui.app import WizardApp

    env = Env(running_platform(), {"PATH": str(home / "empty-path")}, home)
    app = WizardApp(env=env, project=home / "my-app")
    written: list[Path] = []

    async with app.run_test(size=size) as pilot:

        async def snap(name: str) -> None:
            await pilot.pause(0.3)
            written.append(Path(app.save_screenshot(f"{name}.svg", path=str(HERE))))

        async def until(condition: object) -> None:
            for _ in range(600):
                if condition():  # type: ignore[operator]
                    return
                await pilot.pause(0.05)
            raise RuntimeError("the app did not get there")

        await pilot.pause()
        await pilot.press("down", "down")
        await snap("01-clients")
        await pilot.press("ctrl+n")
        await pilot.press("tab", *KEY)
        await snap("02-key")
        await pilot.press("ctrl+n")
        await pilot.press("home", "right", "down", "down", "down")
        await snap("03-tools")
        await pilot.press("ctrl+n")
        await snap("04-review")
        await pilot.press("w")
        await until(lambda: getattr(app.screen, "finished", False))
        await snap("05-apply")
        await pilot.press("m")
        await snap("06-manage")
        await pilot.press("u")
        await snap("07-uninstall-review")
        await pilot.press("escape", "f1")
        await snap("08-help")
        await pilot.press("escape", "ctrl+p")
        await snap("09-command-palette")
        await pilot.press("escape")
    shutil.rmtree(home, ignore_errors=True)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100x30", help="terminal COLUMNSxLINES (default 100x30)")
    args = parser.parse_args()
    cols, lines = (int(n) for n in args.size.split("x"))
    for svg in asyncio.run(shoot((cols, lines))):
        png = to_png(svg)
        print(svg.relative_to(HERE.parent), "and", png.relative_to(HERE.parent) if png else "no PNG (no rsvg-convert)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
