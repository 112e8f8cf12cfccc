"""VS Code profiles: every profile has its own `mcp.json`, and the person may be on any of them.

VS Code lists profiles in `User/globalStorage/storage.json` under `userDataProfiles` (`{location, name}`;
`location` is a folder name under `User/profiles/` or a `file://` URI) and remembers which profile each
window uses under `profileAssociations` (`workspaces` / `emptyWindows` → location, or
`__default__profile__`). Sources: microsoft/vscode src/vs/platform/userDataProfile/common/userDataProfile.ts
(PROFILES_KEY "userDataProfiles", PROFILE_ASSOCIATIONS_KEY "profileAssociations"); a non-default profile
reads `User/profiles/<id>/mcp.json` (DeusData/codebase-memory-mcp#431; clients.md "Checked again in 2026-11").
The active profile is the one most windows are associated with; with no associations, the default.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import unquote, urlsplit

from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.errors import UsageError

DEFAULT_ID = "__default__profile__"


@dataclass(frozen=True, slots=True)
class Profile:
    """One profile: its name, the folder holding its `mcp.json`, and whether windows use it now."""

    name: str
    folder: PurePath
    active: bool = False

    @property
    def default(self) -> bool:
        return self.name == "Default"


def profiles(env: Env, user_dir: PurePath) -> list[Profile]:
    """Every profile of the VS Code whose user folder is `user_dir`, Default first; exactly one is active."""
    try:
        data = json.loads(env.read(user_dir / "globalStorage" / "storage.json") or b"{}")
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    found: dict[str, tuple[str, PurePath]] = {DEFAULT_ID: ("Default", user_dir)}
    for item in data.get("userDataProfiles") or []:
        if not isinstance(item, dict) or not isinstance(item.get("location"), str) or not item.get("name"):
            continue
        location = item["location"]
        if location.startswith("file:"):
            folder = env.path(unquote(urlsplit(location).path).lstrip("/" if env.platform == "win32" else ""))
        else:
            folder = user_dir / "profiles" / location
        found[location] = (str(item["name"]), folder)
    associations = data.get("profileAssociations") or {}
    uses: Counter[str] = Counter()
    for group in ("workspaces", "emptyWindows"):
        table = associations.get(group) if isinstance(associations, dict) else None
        uses.update(v for v in (table or {}).values() if isinstance(v, str) and v in found)
    active = uses.most_common(1)[0][0] if uses else DEFAULT_ID
    return [Profile(name, folder, key == active) for key, (name, folder) in found.items()]


def choose(all_profiles: list[Profile], wanted: str | None, editor: str) -> list[Profile]:
    """The profiles `wanted` names (comma-separated, any case, or "all"); None: the active one."""
    if not wanted:
        return [p for p in all_profiles if p.active]
    if wanted.strip().lower() == "all":
        return list(all_profiles)
    by_name = {p.name.lower(): p for p in all_profiles}
    chosen, unknown = [], []
    for name in (n.strip() for n in wanted.split(",") if n.strip()):
        (chosen if name.lower() in by_name else unknown).append(by_name.get(name.lower(), name))
    if unknown:
        names = ", ".join(p.name for p in all_profiles)
        raise UsageError(f"{editor} has no profile named {', '.join(map(repr, unknown))}", f"its profiles: {names}")
    return list(dict.fromkeys(chosen))  # type: ignore[arg-type]
