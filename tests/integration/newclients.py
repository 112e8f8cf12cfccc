"""Shared set-up for the CLI clients of issue 16: one home per client with three entries OUR installer
wrote (a real `clerk-mcp-setup` subprocess), so one run of the client proves all three:

- `clerk`: user scope, the default key storage (the vault), pointed at the sandbox;
- `clerk-project` (project scope) or `clerk-env` (user scope, where the client has no project file):
  `--key-storage env`, the client expands its `${CLERK_SECRET_KEY}` form from its own environment;
- `clerk-remote`: `--remote` at our own `clerk-mcp-server --transport http` on 127.0.0.1, with the bearer
  token it demands in a `--header`, so a client that drops the header fails to connect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from realclients import Sandbox, client_env, install, written_paths

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class Remote:
    """Our HTTP server (hosted mode against the sandbox) that wants `Authorization: Bearer token`."""

    url: str
    token: str


@dataclass
class Home:
    home: Path
    project: Path
    names: dict[str, str]  # test name (user_vault, project_env, user_env, remote) → entry name
    files: dict[str, Path] = field(default_factory=dict)  # entry name → the file our installer wrote
    env: dict[str, str] = field(default_factory=dict)  # what the client runs with


def install_entries(
    home: Path, client: str, sandbox: Sandbox, remote: Remote, *, project: bool, **extra_env: str
) -> Home:
    """The three installs; `project=False` puts the env-storage entry in user scope as `clerk-env`."""
    proj = (home / "project").resolve()
    proj.mkdir(parents=True, exist_ok=True)
    common = ("--client", client, "--no-verify")
    found: dict[str, Path] = {}

    def record(result: dict[str, Any], name: str) -> None:
        found[name] = written_paths(result)[client]

    record(install(home, *common, "--secret-key-stdin", "--api-url", sandbox.url, input=sandbox.key + "\n"), "clerk")
    env_args = (*common, "--key-storage", "env", "--api-url", sandbox.url)
    if project:
        second = "clerk-project"
        record(install(home, *env_args, "--project", str(proj), "--name", second, cwd=proj), second)
    else:
        second = "clerk-env"
        record(install(home, *env_args, "--name", second), second)
    header = f"Authorization: Bearer {remote.token}"
    record(install(home, *common, "--name", "clerk-remote", "--remote", remote.url, "--header", header), "clerk-remote")
    names = {"user_vault": "clerk", ("project_env" if project else "user_env"): second, "remote": "clerk-remote"}
    env = client_env(home, CLERK_SECRET_KEY=sandbox.key, **extra_env)
    return Home(home, proj, names, found, env)


def plain(text: str) -> str:
    """Client output without colour codes."""
    return ANSI.sub("", text)
