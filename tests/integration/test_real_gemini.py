"""Gemini CLI (the real `gemini`) connects to the server clerk-mcp-setup wrote, user and project scope.

`gemini mcp list` starts each configured server (initialize + ping, no tools/list) and reports on stderr.
"""

from __future__ import annotations

import re

import pytest
from realclients import SERVER, client_bin, client_env, install, output, run, written_paths

pytestmark = pytest.mark.clients


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> str:
    exe = client_bin("gemini")
    home = tmp_path_factory.mktemp("gemini-home")
    project = (home / "project").resolve()
    project.mkdir()
    user = install(home, "--client", "gemini", "--demo")
    assert written_paths(user) == {"gemini": home / ".gemini" / "settings.json"}
    shared = install(home, "--client", "gemini", "--demo", "--project", str(project), "--name", "clerk-project")
    assert written_paths(shared) == {"gemini": project / ".gemini" / "settings.json"}
    result = run([exe, "mcp", "list"], env=client_env(home, GEMINI_CLI_TRUST_WORKSPACE="true"), cwd=project)
    assert result.returncode == 0, output(result)
    return result.stderr + result.stdout


@pytest.mark.parametrize("name", ["clerk", "clerk-project"])
def test_gemini_mcp_list_connects(listing: str, name: str) -> None:
    pattern = rf"^✓ {re.escape(name)}: {re.escape(str(SERVER))} --demo \(stdio\) - Connected$"
    assert re.search(pattern, listing, flags=re.M), listing
