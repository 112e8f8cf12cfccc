"""How each client spells a server entry, and how an entry can point at a secret instead of holding it.

Entries are plain JSON-able dicts; the installer serialises them (JSON or TOML) and splices them in.
A key with nothing to say is left out, never written as null: clients reject or misread nulls, and an
installer that writes them (fastmcp's `"cwd": null`) damages entries it had no reason to touch.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlsplit

from clerk_mcp_setup.clients.errors import RemoteNotSupportedError, SecretReferenceError
from clerk_mcp_setup.errors import UsageError

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INPUT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")

Entry = dict[str, Any]


def check_env_name(name: str) -> str:
    """An environment variable name safe to put inside `${…}` (no braces, spaces or quotes)."""
    if not _ENV_NAME.match(name):
        raise UsageError(
            f"{name!r} is not an environment variable name", "use letters, digits and _, not starting with a digit"
        )
    return name


@dataclass(frozen=True, slots=True)
class Secrets:
    """The ways a client lets an entry name a secret rather than hold its value.

    `template` is how a string in the entry refers to environment variable NAME (`${env:NAME}`); `by_name`
    means the entry lists variable names and the client copies their values (Codex); `inputs_key` is
    where, in the same file, the client reads prompted inputs it keeps in its own secret store (VS Code's
    top-level `inputs` array). None of them: the value must sit in the entry (or in our vault).
    """

    template: str | None = None
    by_name: bool = False
    env_only: bool = False  # references expand in a local entry's env only, not in URLs or headers (Auggie)
    project_env: bool = True  # False: a project file whose entry references a variable is skipped (Kilo CLI)
    inputs_key: tuple[str, ...] | None = None
    note: str = ""
    # How the entry's command names the person's home folder, expanded by the client on each machine
    # (`${userHome}`, `${HOME}`); None: the client expands nothing there, so a command stays absolute.
    home: str | None = None

    @property
    def env_reference(self) -> bool:
        """The client can take a secret from an environment variable, by template or by name."""
        return self.template is not None or self.by_name

    @property
    def client_input(self) -> bool:
        """The client can prompt for the secret and keep it itself."""
        return self.inputs_key is not None

    @property
    def none(self) -> bool:
        """The client has no way to reference a secret: plaintext in the entry, or the vault."""
        return not (self.env_reference or self.client_input)

    def reference(self, name: str) -> str | None:
        """The string that stands for variable `name` inside an entry; None where there is no such string."""
        check_env_name(name)
        return self.template.replace("NAME", name) if self.template else None


@dataclass(frozen=True, slots=True)
class EntryShape:
    """The few spellings in which clients' entries differ."""

    stdio_type: str | None = None  # "stdio" where the client wants the transport spelt out
    remote: bool = True  # False: the client ignores URL entries in its file (Claude Desktop)
    remote_type: str | None = None  # "http" where a URL entry needs a type (Claude Code: required)
    url_key: str = "url"  # Windsurf: "serverUrl"
    headers_key: str = "headers"  # Codex: "http_headers"; a dotted path nests (Continue: "requestOptions.headers")
    type_key: str = "type"  # the key stdio_type / remote_type go under
    remote_type_key: str | None = None  # OpenClaw: "transport" for remote entries (default: type_key)
    command_key: str = "command"  # Goose: "cmd"
    args_key: str | None = "args"  # None: `command` is one argv list, program first (opencode, Kilo CLI)
    env_key: str = "env"  # opencode: "environment"; Goose: "envs"
    # Keys every entry carries (opencode `enabled`, Copilot CLI `tools: ["*"]`, Goose `enabled`/`timeout`).
    stdio_extra: Mapping[str, Any] = field(default_factory=dict)
    remote_extra: Mapping[str, Any] = field(default_factory=dict)
    name_key: str | None = None  # Goose: the entry repeats its own name under this key
    shell_line: bool = False  # the client runs command + args as one POSIX shell line (Auggie): quote them


def normalise(shape: EntryShape, entry: Mapping[str, Any]) -> Entry:
    """`entry` in the common spelling (`command` + `args`, `env`, `url`), for code that reads entries of any
    client (verification, ownership): opencode's argv list, Goose's `cmd`/`envs`/`uri`, Auggie's shell words."""
    out: Entry = dict(entry)
    command = entry.get(shape.command_key)
    if shape.args_key is None and isinstance(command, list) and command:
        out["command"], out["args"] = str(command[0]), [str(word) for word in command[1:]]
    elif shape.command_key != "command" and command is not None:
        out["command"] = command
    if shape.args_key not in (None, "args") and shape.args_key in entry:
        out["args"] = entry[shape.args_key]
    if shape.shell_line and isinstance(out.get("command"), str):  # what the client's shell makes of the line
        words = shlex.split(" ".join([out["command"], *[str(a) for a in out.get("args") or []]]))
        out["command"], out["args"] = words[0], words[1:]
    if shape.env_key != "env" and shape.env_key in entry:
        out["env"] = entry[shape.env_key]
    if shape.url_key not in ("url", "serverUrl", "httpUrl") and shape.url_key in entry:
        out["url"] = entry[shape.url_key]
    if "." in shape.headers_key:
        nested = _get_path(entry, shape.headers_key)
        if isinstance(nested, dict):
            out["headers"] = nested
    return out


def _get_path(entry: Mapping[str, Any], dotted: str) -> Any:
    value: Any = entry
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _set_path(entry: Entry, dotted: str, value: Any) -> None:
    """Put `value` at a dotted key path, creating the objects on the way (`requestOptions.headers`)."""
    *outer, last = dotted.split(".")
    for part in outer:
        entry = entry.setdefault(part, {})
    entry[last] = value


def _is_absolute(command: str) -> bool:
    return PurePosixPath(command).is_absolute() or PureWindowsPath(command).is_absolute()


def stdio_entry(
    client: str,
    shape: EntryShape,
    secrets: Secrets,
    command: str,
    args: Sequence[str],
    env: Mapping[str, str],
    pass_env: Sequence[str],
) -> Entry:
    """A local entry; `pass_env` names variables the client should fill from its own environment."""
    if not _is_absolute(command):
        raise ValueError(f"the server command must be an absolute path (GUI clients have no shell PATH): {command!r}")
    names = [check_env_name(name) for name in dict.fromkeys(pass_env)]
    clash = [name for name in names if name in env]
    if clash:
        raise UsageError(f"{', '.join(clash)} given both as a value and as a reference", "choose one of the two")
    entry: Entry = {shape.type_key: shape.stdio_type} if shape.stdio_type else {}
    argv = [command, *args]
    if shape.shell_line:
        argv = [shlex.quote(word) for word in argv]
    if shape.args_key is None:
        entry[shape.command_key] = argv
    else:
        entry[shape.command_key] = argv[0]
        entry[shape.args_key] = argv[1:]
    values = dict(env)
    if names and secrets.template:
        values.update({name: secrets.template.replace("NAME", name) for name in names})
    elif names and not secrets.by_name:
        raise _no_env_reference(client, secrets)
    if values:
        entry[shape.env_key] = values
    if names and secrets.by_name:
        entry["env_vars"] = names
    entry.update(shape.stdio_extra)
    return entry


def remote_entry(
    client: str,
    shape: EntryShape,
    secrets: Secrets,
    url: str,
    headers: Mapping[str, str],
    header_env: Mapping[str, str],
    bearer_env: str | None,
) -> Entry:
    """A URL entry; `header_env` maps header → variable holding its whole value, `bearer_env` a bearer token."""
    if not shape.remote:
        raise RemoteNotSupportedError(
            f"{client} does not read remote (URL) entries from its config file",
            "write a local stdio bridge entry that forwards to the URL instead",
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"not an http(s) URL: {url!r}", "give the server's full URL, e.g. https://host/mcp")
    for name in [*header_env.values(), *([bearer_env] if bearer_env else [])]:
        check_env_name(name)
    _check_header_clash(headers, header_env, bearer_env)
    if (header_env or bearer_env) and secrets.env_only:
        raise SecretReferenceError(
            f"{client} expands environment references in a local entry's env only, not in headers",
            "store the header's value in the entry, or use a local entry with the key in the vault",
        )
    if (header_env or bearer_env) and not secrets.env_reference:
        raise _no_env_reference(client, secrets)

    entry: Entry = {shape.remote_type_key or shape.type_key: shape.remote_type} if shape.remote_type else {}
    entry[shape.url_key] = url
    entry.update(shape.remote_extra)
    if secrets.by_name:
        if headers:
            _set_path(entry, shape.headers_key, dict(headers))
        if header_env:
            entry["env_http_headers"] = dict(header_env)
        if bearer_env:
            entry["bearer_token_env_var"] = bearer_env
        return entry
    values = dict(headers)
    for header, name in header_env.items():
        values[header] = secrets.reference(name) or ""
    if bearer_env:
        values["Authorization"] = f"Bearer {secrets.reference(bearer_env)}"
    if values:
        _set_path(entry, shape.headers_key, values)
    return entry


def _check_header_clash(headers: Mapping[str, str], header_env: Mapping[str, str], bearer_env: str | None) -> None:
    seen: set[str] = set()
    names = [*headers, *header_env, *(["Authorization"] if bearer_env else [])]
    for header in names:
        if header.lower() in seen:
            raise UsageError(f"header {header!r} is given more than once", "give each header one value")
        seen.add(header.lower())


def _no_env_reference(client: str, secrets: Secrets) -> SecretReferenceError:
    return SecretReferenceError(
        f"{client} cannot take a value from an environment variable in its config",
        secrets.note or "store the key in the entry itself or in the vault",
    )


def input_item(client: str, secrets: Secrets, input_id: str, description: str) -> Entry:
    """A VS Code `inputs` item: the client prompts once and keeps the value in its secret storage."""
    _check_inputs(client, secrets, input_id)
    return {"type": "promptString", "id": input_id, "description": description, "password": True}


def input_reference(client: str, secrets: Secrets, input_id: str) -> str:
    """The string that stands for an input's value inside an entry (`${input:id}`)."""
    _check_inputs(client, secrets, input_id)
    return f"${{input:{input_id}}}"


def _check_inputs(client: str, secrets: Secrets, input_id: str) -> None:
    if not secrets.client_input:
        raise SecretReferenceError(
            f"{client} has no prompted inputs for secrets", secrets.note or "use an environment variable or the vault"
        )
    if not _INPUT_ID.match(input_id):
        raise UsageError(f"{input_id!r} is not a usable input id", "use letters, digits, '.', '_' and '-'")
