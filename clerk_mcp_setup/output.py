"""Output helpers shared by the command-line faces (cli.py parses, commands.py acts): one place, no circle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def emit(data: dict[str, Any], text: str, as_json: bool) -> None:
    """Results on stdout: JSON for scripts, text for people."""
    print(json.dumps(data, indent=2) if as_json else text)


def project_dir(value: str | None) -> Path | None:
    """A project directory as given on the command line, made absolute (None when not given)."""
    return Path(value).expanduser().resolve() if value else None
