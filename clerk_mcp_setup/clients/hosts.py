"""The editors a VS Code extension (Cline, Roo Code) can live in, and the extension's settings file in each.

An extension keeps its files in `<editor user dir>/User/globalStorage/<publisher.name>/`; the editor's
user dir follows VS Code's rule (see `vscode.app_data`) with the editor's own folder name. Sources:
Cline docs (docs.cline.bot/mcp/configuring-mcp-servers), Roo docs (docs.roocode.com/features/mcp/using-mcp-in-roo),
folder names as each editor creates them (VSCodium: github.com/VSCodium/vscodium `product.json` dataFolderName
is for extensions; its user dir is "VSCodium"; Cursor and Windsurf: measured by installers such as add-mcp).
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.vscode import app_data

# (editor, user-dir folder) in the order we prefer when nothing tells us which the person uses.
EDITORS: tuple[tuple[str, str], ...] = (
    ("VS Code", "Code"),
    ("VS Code Insiders", "Code - Insiders"),
    ("VSCodium", "VSCodium"),
    ("Cursor", "Cursor"),
    ("Windsurf", "Windsurf"),
)


def storage_dirs(env: Env, extension: str) -> list[tuple[str, PurePath]]:
    """Each editor's globalStorage folder for `extension`, whether or not it exists."""
    return [(editor, app_data(env) / folder / "User" / "globalStorage" / extension) for editor, folder in EDITORS]


def exists(env: Env, path: PurePath) -> bool:
    """Whether `path` exists, asked through `env.glob` so tests can hand in a fake file system."""
    return bool(env.glob(path.parent, path.name))
