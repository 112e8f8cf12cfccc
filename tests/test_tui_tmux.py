"""The real `clerk-mcp-setup` console script in a real terminal (tmux): a demo install into Cursor by keys alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SETUP = Path(sys.executable).parent / "clerk-mcp-setup"
TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (Debian: apt-get install tmux)")


class Terminal:
    """One private tmux server (its own socket) running one program in a 100×30 window."""

    def __init__(self, command: str, cwd: Path, env: dict[str, str]) -> None:
        self.socket = f"clerk-tui-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.tmux("new-session", "-d", "-x", "100", "-y", "30", "-c", str(cwd), command)

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [str(TMUX), "-L", self.socket, *args], capture_output=True, text=True, env=self.env, timeout=20
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.15)

    def wait_for(self, text: str, timeout: float = 40.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(isolated_home: Path, tmp_path: Path) -> Iterator[Terminal]:
    (isolated_home / ".cursor").mkdir()  # Cursor's folder: detected, so preselected
    env = {
        "HOME": str(isolated_home),
        "PATH": f"{SETUP.parent}:/usr/bin:/bin",
        "TERM": "xterm-256color",
        "CLERK_MCP_VAULT": "file",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "TMUX_TMPDIR": str(tmp_path),
    }
    command = f"{SETUP}; echo EXIT=$?; sleep 60"
    term = Terminal(command, tmp_path, env)
    yield term
    term.close()


def test_demo_install_into_cursor_with_keys_alone(terminal: Terminal, isolated_home: Path) -> None:
    config = isolated_home / ".cursor" / "mcp.json"
    shown = terminal.wait_for("show all")  # detected clients first; the other 27 behind the toggle
    assert any("[x]" in line and "Cursor" in line for line in shown.splitlines()), shown
    terminal.keys("C-n")
    terminal.wait_for("How should the server reach Clerk")
    terminal.keys("Down", "Enter", "C-n")  # the demo
    terminal.wait_for("Which tools may the assistant use")
    terminal.keys("C-n")
    terminal.wait_for("Nothing has been written yet")
    assert not config.exists()
    terminal.keys("w")
    terminal.wait_for("entries work")
    entry = json.loads(config.read_text())["mcpServers"]["clerk"]
    assert entry["args"] == ["--demo"] and Path(entry["command"]).is_absolute()
    terminal.keys("Enter")
    after = terminal.wait_for("EXIT=")
    assert "EXIT=0" in after
    assert "✔ cursor (user) 'clerk'" in after and "next (Cursor)" in after
