"""Claude Code user entries go through `claude mcp add-json` when `claude` is installed (here a stand-in that
records its calls and edits ~/.claude.json the way the real one does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SETUP = str(Path(sys.executable).parent / "clerk-mcp-setup")

FAKE_CLAUDE = """#!{python}
import json, os, sys
home = os.environ["HOME"]
with open(os.path.join(home, "claude-calls.log"), "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
path = os.path.join(home, ".claude.json")
data = json.load(open(path)) if os.path.exists(path) else {{}}
_, _, verb, _, scope, name, *rest = sys.argv
servers = data.setdefault("mcpServers", {{}})
if verb == "remove":
    if name not in servers:
        sys.exit(1)
    del servers[name]
elif verb == "add-json":
    servers[name] = json.loads(rest[0])
json.dump(data, open(path, "w"), indent=2)
"""


def test_user_scope_install_uses_the_claude_cli(isolated_home: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "claude"
    fake.write_text(FAKE_CLAUDE.format(python=sys.executable))
    fake.chmod(0o755)
    (isolated_home / ".claude.json").write_text(json.dumps({"numStartups": 3, "projects": {}}))
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [SETUP, "--client", "claude-code", "--key-storage", "env", "--yes"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    calls = [json.loads(line) for line in (isolated_home / "claude-calls.log").read_text().splitlines()]
    assert [c[:4] for c in calls] == [["mcp", "remove", "--scope", "user"], ["mcp", "add-json", "--scope", "user"]]
    data = json.loads((isolated_home / ".claude.json").read_text())
    assert data["numStartups"] == 3
    assert data["mcpServers"]["clerk"]["env"] == {"CLERK_SECRET_KEY": "${CLERK_SECRET_KEY}"}
    assert "backup" in result.stdout

    plain = subprocess.run(
        [
            SETUP,
            "--client",
            "claude-code",
            "--key-storage",
            "plain",
            "--secret-key",
            "sk_test_abcdefghijkl1234",
            "--yes",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.returncode == 0, plain.stderr
    assert len((isolated_home / "claude-calls.log").read_text().splitlines()) == 2  # a plain key never goes on argv
