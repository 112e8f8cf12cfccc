"""Shared by the `test_verify_*` suites: entries written straight into a Cursor file, with their manifest
records, and tiny stand-in servers (Python scripts) that fail in one precise way each."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from clerk_mcp_setup.install.manifest import Manifest, Record
from clerk_mcp_setup.scope import resolve

PYTHON = sys.executable
BIN = Path(sys.executable).parent
SETUP = str(BIN / "clerk-mcp-setup")
SERVER = str(BIN / "clerk-mcp-server")
DEFAULT_TOOLS = [t.name for t in resolve(None)]

# A minimal stdio MCP server: answers initialize and tools/list, nothing else; starts in milliseconds.
FAKE_SERVER = """
import json, sys
TOOLS = {tools!r}
for line in sys.stdin:
    message = json.loads(line)
    if "id" not in message:
        continue
    if message["method"] == "initialize":
        result = {{
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {{"tools": {{}}}},
            "serverInfo": {{"name": "fake", "version": "9.9.9"}},
        }}
    elif message["method"] == "tools/list":
        result = {{"tools": [{{"name": n, "inputSchema": {{"type": "object"}}}} for n in TOOLS]}}
    else:
        reply = {{"jsonrpc": "2.0", "id": message["id"], "error": {{"code": -32601, "message": "no"}}}}
        print(json.dumps(reply), flush=True)
        continue
    print(json.dumps({{"jsonrpc": "2.0", "id": message["id"], "result": result}}), flush=True)
"""

SCRIPTS = {
    "hang": "import time\ntime.sleep(120)\n",
    "exit3": "import sys\nprint('starting clerk…', file=sys.stderr)\n"
    "print('fatal: cannot open the database', file=sys.stderr)\nsys.exit(3)\n",
    "junk_then_wait": "import time\nprint('Clerk MCP server listening on stdio', flush=True)\ntime.sleep(120)\n",
    "junk_then_exit": "print('Clerk MCP server v1 ready')\n",
    # The environment exactly as exec gave it (Python itself adds LC_CTYPE to os.environ when coercing a C locale).
    "print_env": "import json, sys\nraw = open('/proc/self/environ', 'rb').read().split(b'\\0')\n"
    "env = dict(item.decode().split('=', 1) for item in raw if item)\n"
    "print('env: ' + json.dumps(env, sort_keys=True), file=sys.stderr)\nsys.exit(1)\n",
    "leak_key": "import os, sys\nprint('auth failed with key ' + os.environ['CLERK_SECRET_KEY'] + ' and token '\n"
    "      + os.environ['API_TOKEN'], file=sys.stderr)\nsys.exit(1)\n",
}


def script(home: Path, name: str, tools: list[str] | None = None) -> str:
    """Write one of the stand-in servers under `home` and return its path."""
    path = home / "servers" / f"{name}.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(FAKE_SERVER.format(tools=tools or DEFAULT_TOOLS) if name == "fake" else SCRIPTS[name])
    return str(path)


def python_entry(home: Path, name: str, **extra: Any) -> dict[str, Any]:
    """An entry that runs a stand-in server with this interpreter (an absolute path, as we write them)."""
    return {"command": PYTHON, "args": [script(home, name)], **extra}


def cursor_file(home: Path) -> Path:
    return home / ".cursor" / "mcp.json"


def write_cursor(home: Path, entries: dict[str, dict[str, Any]], **fields: Any) -> list[Record]:
    """Write `entries` as Cursor's user file and record each in the manifest as if we had installed it."""
    path = cursor_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mcpServers": entries}, indent=2))
    manifest = Manifest.load()
    records = []
    for name, entry in entries.items():
        record = Record(
            client="cursor",
            scope="user",
            path=str(path),
            key_path=["mcpServers"],
            name=name,
            entry_sha256="",
            installed_at="2026-01-01T00:00:00+00:00",
            key_storage="none",
            remote_url=str(entry.get("url", "")),
            **fields,
        )
        manifest.upsert(record)
        records.append(record)
    manifest.save()
    return records


def edit_cursor(home: Path, name: str, **changes: Any) -> None:
    """Change (or, with value None, drop) fields of one entry in Cursor's file, as a person would by hand."""
    edit_entry(cursor_file(home), name, **changes)


def edit_entry(path: Path, name: str, **changes: Any) -> None:
    """The same for any client whose file is JSON with `mcpServers`."""
    data = json.loads(path.read_text())
    entry = data["mcpServers"][name]
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    path.write_text(json.dumps(data, indent=2))
