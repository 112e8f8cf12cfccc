"""The pinned client versions, read from install_clients.sh (the one place they live), and test names
that carry them (`test_opencode_1_18_33_user_vault`), so a report says which client version proved what."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from realclients import CLIENTS_DIR, client_bin

_SCRIPT = Path(__file__).with_name("install_clients.sh")


def _pins() -> dict[str, str]:
    block = re.search(r"^PACKAGES=\((.*?)^\)", _SCRIPT.read_text(encoding="utf-8"), flags=re.M | re.S)
    assert block, f"no PACKAGES=( … ) list in {_SCRIPT}"
    specs = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    return {spec.rpartition("@")[0]: spec.rpartition("@")[2] for spec in specs if spec}


PINS = _pins()
NODE24_BIN = CLIENTS_DIR / "node24" / "node_modules" / ".bin"


def pinned(package: str) -> str:
    return PINS[package]


def installed_bin(name: str, package: str) -> Path:
    """The client's executable, after checking the installed package is the pinned version."""
    exe = client_bin(name)
    manifest = CLIENTS_DIR / "node_modules" / package / "package.json"
    version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if version != pinned(package):
        pytest.fail(f"{package} {version} is installed, {pinned(package)} is pinned: rerun install_clients.sh")
    return exe


def versioned(namespace: dict[str, Any], client: str, package: str, **tests: Callable[..., None]) -> None:
    """Define `test_<client>_<version>_<name>` for each test in the module namespace."""
    tag = re.sub(r"[^0-9A-Za-z]+", "_", pinned(package)).strip("_")
    for name, fn in tests.items():
        fn.__name__ = fn.__qualname__ = f"test_{client}_{tag}_{name}"
        namespace[fn.__name__] = fn
