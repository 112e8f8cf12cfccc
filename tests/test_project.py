"""The project's promises about itself: README commands, CI, console scripts, lazy imports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_starts_with_two_setup_commands_and_ci_runs_the_test_one() -> None:
    install_run, install_test = readme_commands()
    assert "pip install" in install_run and "clerk-mcp-setup" in install_run
    assert "pip install" in install_test and "pytest" in install_test
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert install_test in ci.splitlines()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_console_scripts_answer_help() -> None:
    for script in ("clerk-mcp-setup", "clerk-mcp-server"):
        result = run(str(BIN / script), "--help")
        assert result.returncode == 0, result.stderr
        assert script in result.stdout
    result = run(sys.executable, "-m", "clerk_mcp_setup", "--help")
    assert result.returncode == 0 and "clerk-mcp-setup" in result.stdout


def test_cli_does_not_import_textual_or_mcp() -> None:
    code = (
        "import sys, clerk_mcp_setup.cli, clerk_mcp_setup.server.cli, clerk_mcp_setup.scope;"
        "print(sorted(m for m in ('textual', 'mcp', 'httpx') if m in sys.modules))"
    )
    result = run(sys.executable, "-c", code)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_bad_tools_pattern_exits_non_zero_with_the_valid_names() -> None:
    result = run(str(BIN / "clerk-mcp-server"), "--tools", "users.nope")
    assert result.returncode == 2
    assert "Did you mean" in result.stderr or "Tools in users" in result.stderr
    assert "getUserCount" in result.stderr


def test_import_contracts_hold() -> None:
    """DESIGN.md's arrows, as import-linter contracts in pyproject.toml: server ↛ installer, core ↛ faces,
    only the wizard imports Textual, no cycles between the package's parts."""
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
