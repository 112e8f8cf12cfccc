"""MCP clients as data: where each keeps its servers, how its entries look, and how to find it.

Nothing here reads or writes a config file's contents; the installer joins a client's `Location` and
entry dict with the lossless editor in `clerk_mcp_setup.files`.
"""

from __future__ import annotations

from clerk_mcp_setup.clients.base import Client, KeyPath, LaunchPolicy, Location, OfficialCli, Scope, Syntax
from clerk_mcp_setup.clients.detect import Detection, detect
from clerk_mcp_setup.clients.entries import Entry, EntryShape, Secrets
from clerk_mcp_setup.clients.env import PLATFORMS, Env, Glob, Platform, real_glob
from clerk_mcp_setup.clients.errors import AmbiguousLocationError, RemoteNotSupportedError, SecretReferenceError
from clerk_mcp_setup.clients.registry import CLIENT_IDS, CLIENTS, get_client

__all__ = [
    "CLIENTS",
    "CLIENT_IDS",
    "PLATFORMS",
    "AmbiguousLocationError",
    "Client",
    "Detection",
    "Entry",
    "EntryShape",
    "Env",
    "Glob",
    "KeyPath",
    "LaunchPolicy",
    "Location",
    "OfficialCli",
    "Platform",
    "RemoteNotSupportedError",
    "Scope",
    "SecretReferenceError",
    "Secrets",
    "Syntax",
    "detect",
    "get_client",
    "real_glob",
]
