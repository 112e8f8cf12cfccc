"""Shared fixtures: an isolated home for every test, and Clerk's OpenAPI spec when it is present."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SPEC_PATH = REPO.parent / "shared" / "clerk-bapi" / "2026-05-12.yml"

_HOME_VARS = (
    "HOME",
    "USERPROFILE",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "APPDATA",
    "LOCALAPPDATA",
    "CLAUDE_CONFIG_DIR",
    "CODEX_HOME",
    "GEMINI_CLI_HOME",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every home-like variable at a fresh temp dir so no test touches the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for var in _HOME_VARS[2:]:
        monkeypatch.delenv(var, raising=False)
    for var in ("CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_USER_ID"):
        monkeypatch.delenv(var, raising=False)
    return home


_spec_cache: dict[str, Any] = {}


@pytest.fixture(scope="session")
def bapi_spec() -> dict[str, Any]:
    """Clerk's Backend API spec from ../shared; skipped with a reason where absent (a user's machine)."""
    if not SPEC_PATH.exists():
        pytest.skip(f"Clerk's OpenAPI spec not found at {SPEC_PATH} (only CI and developers have ../shared)")
    if "spec" not in _spec_cache:
        import yaml

        with SPEC_PATH.open(encoding="utf-8") as fh:
            _spec_cache["spec"] = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return _spec_cache["spec"]
