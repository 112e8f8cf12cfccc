"""Read every supported client's config files (each scope) and list the server entries they hold.

`status` uses it to find our own entries that have no record ("found, not recorded"); `migrate` uses
it to find other Clerk servers' entries. Reading only: unreadable files are reported, never fatal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerk_mcp_setup.clients import CLIENTS, Client, Env, Location
from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.files import read_snapshot
from clerk_mcp_setup.install.installer import Doc, Target, parse


@dataclass
class Found:
    """One entry in one client's file."""

    target: Target
    location: Location
    path: Path
    name: str
    entry: Any

    @property
    def key_path(self) -> tuple[str, ...]:
        return tuple(self.location.key_path)


def locations(env: Env, project: Path | None) -> Iterator[tuple[Target, Location]]:
    """Every (client, scope) file on this machine: user scopes, and project/local scopes of `project`."""
    seen: set[tuple[Path, tuple[str, ...]]] = set()
    for client in CLIENTS:
        for scope in client.scopes:
            if scope != "user" and project is None:
                continue
            try:
                location = client.location(scope, env, project if scope != "user" else None)
                path = location.os_path()
            except (ClerkMcpError, ValueError):
                continue
            if (path, tuple(location.key_path)) in seen:
                continue
            seen.add((path, tuple(location.key_path)))
            yield Target(client, scope, project if scope != "user" else None), location


def read_doc(location: Location, path: Path) -> tuple[Any, Doc | None]:
    """The file's snapshot and document (None when it does not exist); raises ClerkMcpError if unreadable."""
    snapshot = read_snapshot(path)
    if not snapshot.exists:
        return snapshot, None
    return snapshot, parse(location, snapshot.data, path)


def entries(env: Env, project: Path | None, problems: list[str] | None = None) -> Iterator[Found]:
    """Every server entry in every supported file; unreadable files go to `problems` (when given)."""
    for target, location in locations(env, project):
        path = location.os_path()
        try:
            _, doc = read_doc(location, path)
        except ClerkMcpError as exc:
            if problems is not None:
                problems.append(exc.message)
            continue
        if doc is None:
            continue
        servers = doc.get(tuple(location.key_path))
        if not isinstance(servers, dict):
            continue
        for name, entry in servers.items():
            yield Found(target, location, path, str(name), entry)


def client_of(found: Found) -> Client:
    return found.target.client
