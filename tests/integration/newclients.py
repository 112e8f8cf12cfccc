"""Shared set-up for the CLI clients of issue 16: one home per client with three entries OUR installer
wrote (a real `clerk-mcp-setup` subprocess), so one run of the client proves all three:

- `clerk`: user scope, the default key storage (the vault), pointed at the sandbox;
- `clerk-project` (project scope) or `clerk-env` (user scope, where the client has no project file):
  `--key-storage env`, the client expands its `${CLERK_SECRET_KEY}` form from its own environment (for a
  client with no such form, `second="plain"`: `clerk-plain`, the key in its 0600 user file);
- `clerk-remote`: `--remote` at our own `clerk-mcp-server --transport http` on 127.0.0.1, with the bearer
  token it demands in a `--header`, so a client that drops the header fails to connect. Installed with
  `--key-storage plain` so the header stays in the entry and the client's own HTTP transport carries it
  (with the default storage the token goes to the vault and the entry becomes a stdio `--bridge`, which
  the stdio entries already cover).
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
    home: Path, client: str, sandbox: Sandbox, remote: Remote, *, project: bool, second: str = "env", **extra_env: str
) -> Home:
    """The three installs; `project=False` puts the env-storage entry in user scope as `clerk-env`."""
    proj = (home / "project").resolve()
    proj.mkdir(parents=True, exist_ok=True)
    common = ("--client", client, "--no-verify")
    found: dict[str, Path] = {}

    def record(result: dict[str, Any], name: str) -> None:
        found[name] = written_paths(result)[client]

    record(install(home, *common, "--secret-key-stdin", "--api-url", sandbox.url, input=sandbox.key + "\n"), "clerk")
    store = (*common, "--key-storage", second, "--api-url", sandbox.url)
    key = {"input": sandbox.key + "\n"} if second == "plain" else {}
    if second == "plain":
        store = (*store, "--secret-key-stdin")
    if project:
        name, test = "clerk-project", f"project_{second}"
        record(install(home, *store, "--project", str(proj), "--name", name, cwd=proj, **key), name)
    else:
        name, test = f"clerk-{second}", f"user_{second}"
        record(install(home, *store, "--name", name, **key), name)
    header = ("--header", f"Authorization: Bearer {remote.token}", "--key-storage", "plain")
    record(install(home, *common, "--name", "clerk-remote", "--remote", remote.url, *header), "clerk-remote")
    names = {"user_vault": "clerk", test: name, "remote": "clerk-remote"}
    env = client_env(home, CLERK_SECRET_KEY=sandbox.key, **extra_env)
    return Home(home, proj, names, found, env)


def plain(text: str) -> str:
    """Client output without colour codes."""
    return ANSI.sub("", text)
