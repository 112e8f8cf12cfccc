"""Prove an entry works: read it back from the file as written, start it as its client would, list its tools.

"Start it as its client would" means the entry's exact command, args and env, with the references that
client resolves filled in, in a GUI-like environment (PATH=/usr/bin:/bin, HOME, nothing else inherited), so a
command that only works from the user's shell fails here as it would in Claude Desktop. Several entries are
checked at once; each has its own deadline, so a hung server cannot stall the rest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import anyio

from clerk_mcp_setup.clients import Client, entries, get_client
from clerk_mcp_setup.clients.base import LaunchPolicy
from clerk_mcp_setup.errors import ClerkMcpError
from clerk_mcp_setup.files import read_snapshot
from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.secrets import mask_text

Status = Literal[
    "ok",
    "command-not-found",
    "exited-early",
    "timed-out",
    "protocol-error",
    "unauthorized",
    "wrong-tools",
    "not-reachable",
    "entry-missing",
    "not-started",
    "error",
    "sign-in-required",
]
GUI_PATH = "/usr/bin:/bin"  # a GUI app's PATH when started from the Dock/Start menu (not the shell's)
# What a desktop session gives every app it starts (the keyring needs D-Bus; Windows needs its system dirs).
SESSION_VARS = (
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_RUNTIME_DIR",
    "SYSTEMROOT",
    "WINDIR",
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
    "TEMP",
    "TMP",
)
HINTS: dict[str, str] = {
    "command-not-found": "GUI clients do not use your shell's PATH: the entry needs an absolute path to an existing "
    "program. Run `clerk-mcp-setup refresh` to rewrite it with this installation's path.",
    "exited-early": "The server stopped during start-up; its last stderr lines are above.",
    "timed-out": "The server did not answer in time. A slow first start (a cold uvx cache) can do this; run verify "
    "again, or raise --timeout.",
    "protocol-error": "Something printed non-MCP text on stdout; stdout must carry only JSON-RPC.",
    "unauthorized": "The secret key was rejected: store a fresh one from the Clerk Dashboard → API keys "
    "(clerk-mcp-setup --client … --secret-key-stdin).",
    "wrong-tools": "The server lists other tools than the entry asks for; run `clerk-mcp-setup refresh`.",
    "not-reachable": "Nothing answered at that URL: check the address and that the team server is running.",
    "entry-missing": "The entry is no longer in the file; install it again (clerk-mcp-setup --client … --name …).",
    "not-started": "Not started: the entry was changed since clerk-mcp-setup wrote it, and starting it would run "
    "whatever it names now. `clerk-mcp-setup refresh --force` writes ours again; `clerk-mcp-setup verify --name "
    "NAME --allow-edited` starts it as it is.",
    "sign-in-required": "The server is reachable and asks for sign-in: run `clerk-mcp-setup login NAME` (or sign "
    "in from the client); `clerk-mcp-setup doctor NAME` checks the whole chain.",
}


@dataclass
class VerifyResult:
    client: str
    scope: str
    name: str
    path: str
    status: Status
    seconds: float = 0.0
    tools: int = 0
    protocol_version: str | None = None
    server_version: str | None = None
    evidence: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """A reachable server that waits for a sign-in is its own state, not a failure."""
        return self.status in ("ok", "sign-in-required")

    @property
    def hint(self) -> str | None:
        return HINTS.get(self.status)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok, "hint": self.hint}


@dataclass
class Launch:
    """An entry turned into what will actually be started or connected to."""

    argv: list[str] | None = None
    env: dict[str, str] = field(default_factory=dict)
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    secrets: tuple[str, ...] = ()
    key_unknown: bool = False  # the key is a reference only the client can fill (a VS Code input)


class _Failed(Exception):
    def __init__(self, status: Status, *evidence: str) -> None:
        super().__init__(status)
        self.status = status
        self.evidence = list(evidence)


# -------------------------------------------------------------------------------------- references


def resolve_refs(
    client: Client, text: str, environ: Mapping[str, str], notes: list[str], home: str | None = None
) -> str | None:
    """Fill the references `client` itself fills; None when the value cannot be known here (VS Code inputs).

    `home` is the folder a `${userHome}` names (VS Code and Cursor take it from os.homedir(), which is $HOME
    on Linux and macOS); `${HOME}` in the other clients is an ordinary environment reference.
    """
    if client.secrets.home == "${userHome}":
        text = text.replace("${userHome}", home if home is not None else environ.get("HOME", str(Path.home())))
    if re.search(r"\$\{input:[^}]+\}", text):
        notes.append("the key is a VS Code input that only VS Code knows; checked without it")
        return None

    def env_value(name: str, default: str | None = None, literal: str = "") -> str:
        value = environ.get(name)
        if value is None:
            if default is not None:
                return default
            if client.launch.unset_reference == "literal":
                notes.append(f"${name} is not set here; {client.name} would pass the literal text {literal}")
                return literal
            if client.launch.unset_reference == "fail":
                raise _Failed("error", f"${name} is not set; {client.name} would not start the server")
            notes.append(f"${name} is not set here; the client would start the server without it")
            return ""
        return value

    text = re.sub(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env_value(m.group(1), None, m.group(0)), text)
    if client.id in ("claude-code", "gemini"):
        text = re.sub(
            r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}",
            lambda m: env_value(m.group(1), m.group(2), m.group(0)),
            text,
        )
    if client.id == "gemini":
        text = re.sub(r"\$([A-Za-z_][A-Za-z0-9_]*)", lambda m: env_value(m.group(1)), text)
    template = client.secrets.template
    if template and client.id not in ("claude-code", "gemini"):  # the record's own form: {env:X}, ${{ secrets.X }}…
        pattern = re.escape(template).replace("NAME", r"([A-Za-z_][A-Za-z0-9_]*)")
        text = re.sub(pattern, lambda m: env_value(m.group(1), None, m.group(0)), text)
    return text


def launch_for(client: Client, entry: Mapping[str, Any], home: str, environ: Mapping[str, str]) -> Launch:
    """What the client would start (or connect to) for this entry."""
    launch = Launch()
    entry = entries.normalise(client.shape, entry)  # opencode's argv list, Goose's cmd/envs/uri, Auggie's words
    url = entry.get("url") or entry.get("serverUrl") or entry.get("httpUrl")
    if url:
        launch.url = str(resolve_refs(client, str(url), environ, launch.notes, home) or url)
        headers = dict(entry.get("headers") or entry.get("http_headers") or {})
        for name, var in dict(entry.get("env_http_headers") or {}).items():
            headers[name] = environ.get(var, "")
        if entry.get("bearer_token_env_var"):
            headers["Authorization"] = f"Bearer {environ.get(entry['bearer_token_env_var'], '')}"
        for name, value in headers.items():
            resolved = resolve_refs(client, str(value), environ, launch.notes, home)
            if resolved is not None:
                launch.headers[name] = resolved
        launch.secrets = tuple(v for v in launch.headers.values() if len(v) > 8)
        return launch
    command = entry.get("command")
    if isinstance(command, dict):  # Zed's obsolete nested shape
        command = command.get("path")
    if not isinstance(command, str) or not command:
        raise _Failed("error", "the entry has neither a command nor a URL")
    args = [resolve_refs(client, str(a), environ, launch.notes, home) or "" for a in entry.get("args") or []]
    launch.env = base_environment(client.launch, home, environ)
    for name in entry.get("env_vars") or []:  # Codex passes these through by name
        if name in environ:
            launch.env[name] = environ[name]
    for name, value in dict(entry.get("env") or {}).items():
        resolved = resolve_refs(client, str(value), environ, launch.notes, home)
        if resolved is not None:
            launch.env[name] = resolved
        else:
            launch.key_unknown = True
    launch.argv = [resolve_refs(client, command, environ, launch.notes, home) or command, *args]
    launch.secrets = tuple(v for k, v in launch.env.items() if "KEY" in k or "TOKEN" in k or "SECRET" in k)
    return launch


def base_environment(policy: LaunchPolicy, home: str, environ: Mapping[str, str]) -> dict[str, str]:
    """What a client under `policy` gives every server before the entry's own env is added."""
    if policy.inherit == "all":
        strip = tuple(part.upper() for part in policy.strip_names)
        return {k: v for k, v in environ.items() if not any(part in k.upper() for part in strip)}
    if policy.inherit == "allow-list":
        return {k: environ[k] for k in policy.allow if k in environ} | (
            {"HOME": home} if "HOME" in policy.allow else {}
        )
    env = {"HOME": home, "PATH": GUI_PATH}
    return env | {k: environ[k] for k in SESSION_VARS if k in environ}


def find_command(command: str, path: str = GUI_PATH) -> str:
    """The program the client would run: an absolute path as is, else a lookup on the PATH it gives servers."""
    if os.path.isabs(command):
        if os.path.isfile(command) and os.access(command, os.X_OK):
            return command
        raise _Failed(
            "command-not-found",
            f"tried {command}: " + ("not executable" if os.path.exists(command) else "no such file"),
        )
    found = shutil.which(command, path=path)
    if not found:
        raise _Failed(
            "command-not-found",
            f"'{command}' is not on {'a GUI' if path == GUI_PATH else 'the'} client's PATH ({path}); "
            f"your shell finds it at {shutil.which(command) or 'nowhere either'}",
        )
    return found


# -------------------------------------------------------------------------------------------- checking


def read_entry(record: Record) -> dict[str, Any]:
    """Our entry as it is in the file now (not what we meant to write)."""
    from clerk_mcp_setup.install.installer import _location_of, parse

    path = Path(record.path)
    snapshot = read_snapshot(path)
    if not snapshot.exists:
        raise _Failed("entry-missing", f"{path} does not exist")
    entry = parse(_location_of(record, path), snapshot.data, path).get(record.entry_path)
    if not isinstance(entry, dict):
        raise _Failed("entry-missing", f"no '{record.name}' entry under {'.'.join(record.key_path)} in {path}")
    return entry


def launch_of(record: Record, environ: Mapping[str, str]) -> Launch:
    """The recorded entry, read from its file now, as its client would start it."""
    return launch_for(get_client(record.client), read_entry(record), environ.get("HOME", str(Path.home())), environ)


def expected_tools(record: Record) -> set[str] | None:
    """The tool names the entry's options select; None when the entry does not decide (a remote server)."""
    if record.remote_url:
        return None
    from clerk_mcp_setup.scope import served_names

    patterns = None if record.tools_default else record.tools
    return set(served_names(patterns, read_only=record.read_only))


async def _session(launch: Launch, errlog: Any, check_key: bool, state: Any) -> tuple[Any, list[str], str | None]:
    """Connect, initialize, list tools (and optionally make one read-only call)."""
    from mcp import Client

    from clerk_mcp_setup.verify.transport import spawn_stdio

    statuses: list[int] = []  # the SDK turns an HTTP 401 into a bare "error response"; keep the status
    if launch.url:
        from mcp.client.streamable_http import streamable_http_client

        async def seen(response: Any) -> None:
            statuses.append(response.status_code)

        http = await _http_client(launch, seen)
        transport: Any = streamable_http_client(launch.url, http_client=http)
    else:
        assert launch.argv
        program = find_command(launch.argv[0], launch.env.get("PATH", GUI_PATH))
        transport = spawn_stdio([program, *launch.argv[1:]], launch.env, errlog, state)
    key_error = None
    try:
        async with Client(transport) as client:
            listed = await client.list_tools()
            names = [t.name for t in listed.tools]
            if check_key:
                key_error = await _check_key(client, names)
            info = (client.protocol_version, client.server_info.version if client.server_info else None)
    except Exception as exc:
        raise _classify(exc, state, launch, statuses) from None
    finally:
        if launch.url:
            await http.aclose()
    return info, names, key_error


async def _http_client(launch: Launch, seen: Any) -> Any:
    """For a URL entry: a client that uses (and refreshes) the stored sign-in, never opening a browser."""
    import httpx2

    if any(h.lower() == "authorization" for h in launch.headers):
        return httpx2.AsyncClient(headers=launch.headers, timeout=30, event_hooks={"response": [seen]})
    from clerk_mcp_setup.auth.signin import SignInRequired, StoredOAuthProvider, require_sign_in
    from clerk_mcp_setup.auth.store import VaultTokenStorage

    assert launch.url
    storage = VaultTokenStorage(launch.url)
    try:
        await require_sign_in(launch.url, storage)
    except SignInRequired as exc:
        raise _Failed("sign-in-required", exc.message, exc.hint or "") from None
    provider = StoredOAuthProvider.checking(launch.url, storage)
    return httpx2.AsyncClient(auth=provider, headers=launch.headers, timeout=30, event_hooks={"response": [seen]})


async def _doctor_evidence(url: str, name: str) -> list[str]:
    """For a failing remote entry: the first broken link of its sign-in chain and its fix (verify/doctor.py)."""
    from clerk_mcp_setup.verify.doctor import diagnose

    diagnosis = await anyio.to_thread.run_sync(lambda: diagnose(url, name=name, timeout=5, list_tools=lambda _: []))
    broken = diagnosis.broken
    if broken is None:
        return []
    return [f"doctor: {broken.id}: {broken.detail}", *([f"doctor fix: {broken.fix}"] if broken.fix else [])]


def _sign_in(exc: BaseException) -> _Failed | None:
    """A sign-in the entry waits for (the URL's own, or the bridge's JSON-RPC error naming `login`)."""
    from clerk_mcp_setup.auth.signin import SignInRequired, explain

    found = explain(exc)
    if isinstance(found, SignInRequired):
        return _Failed("sign-in-required", found.message, found.hint or "")
    text = str(exc)
    if "clerk-mcp-setup login" in text:
        return _Failed("sign-in-required", text)
    return None


async def _check_key(client: Any, names: list[str]) -> str | None:
    """One read call that needs a valid key: getUserCount, directly or through @discover's read caller
    (skipped when the entry's scope has no getUserCount). The error text, or None."""
    if "getUserCount" in names:
        result = await client.call_tool("getUserCount", {})
    elif "callClerkRead" in names:
        result = await client.call_tool("callClerkRead", {"name": "getUserCount", "arguments": {}})
    else:
        return None
    if not result.is_error:
        return None
    text = result.content[0].text if result.content else "error"
    return None if '"code":"out_of_scope"' in text.replace(" ", "") else text


def clerk_message(text: str) -> str:
    """Clerk's own words from an error result (its long message, code and HTTP status), not raw JSON."""
    try:
        data = json.loads(text)
    except ValueError:
        return text[:300]
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("long_message", "message", "code", "status"):
                if key in node and key not in found and isinstance(node[key], str | int):
                    found[key] = node[key]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    words = found.get("long_message") or found.get("message")
    if not words:
        return text[:300]
    extra = ", ".join(str(found[k]) if k != "status" else f"HTTP {found[k]}" for k in ("code", "status") if k in found)
    return f"Clerk says: {words}" + (f" ({extra})" if extra else "")


def _classify(exc: BaseException, state: Any, launch: Launch, statuses: Sequence[int] = ()) -> _Failed:
    if isinstance(exc, _Failed):
        return exc
    signed = _sign_in(exc)
    if signed is not None:
        return signed
    if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        return _classify(exc.exceptions[0], state, launch, statuses)
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, FileNotFoundError | PermissionError):
        return _Failed("command-not-found", text)
    if state.junk:
        return _Failed("protocol-error", *[f"stdout: {line}" for line in state.junk[:3]])
    if launch.url:
        low = text.lower()
        denied = [code for code in statuses if code in (401, 403)]
        if denied:
            return _Failed("unauthorized", f"HTTP {denied[0]} from {launch.url}", text)
        if "401" in low or "unauthorized" in low:
            return _Failed("unauthorized", text)
        if "connect" in low or "refused" in low or "name or service" in low:
            return _Failed("not-reachable", text)
        return _Failed("protocol-error", text)
    if state.exited_early:
        return _Failed("exited-early", f"exit code {state.returncode}" if state.returncode is not None else text)
    return _Failed("protocol-error", text)


async def verify_record(
    record: Record, *, timeout: float = 15.0, check_key: bool = False, environ: Mapping[str, str] | None = None
) -> VerifyResult:
    """Check one installed entry end to end; never raises for the entry's own failures."""
    environ = os.environ if environ is None else environ
    result = VerifyResult(record.client, record.scope, record.name, record.path, "ok")
    from clerk_mcp_setup.verify.transport import ProcessState

    started = time.perf_counter()
    launch = Launch()
    limit = timeout
    state = ProcessState()
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errlog:
        try:
            launch = launch_of(record, environ)
            if record.bridged and launch.argv:  # check the bridge's sign-in; never open a browser from verify
                launch.env["CLERK_MCP_SIGN_IN"] = "never"
            result.notes = launch.notes
            if check_key and launch.key_unknown:
                result.notes.append("--check-key skipped: the key cannot be checked without VS Code")
            limit = _time_limit(record, timeout)
            with anyio.fail_after(limit):
                check = check_key and not launch.key_unknown
                (protocol, version), names, key_error = await _session(launch, errlog, check, state)
            result.tools, result.protocol_version, result.server_version = len(names), protocol, version
            wanted = expected_tools(record)
            if wanted is not None and set(names) != wanted:
                missing, extra = sorted(wanted - set(names)), sorted(set(names) - wanted)
                raise _Failed(
                    "wrong-tools", f"missing: {', '.join(missing) or '-'}", f"unexpected: {', '.join(extra) or '-'}"
                )
            if key_error:
                status: Status = "unauthorized" if '"status":401' in key_error.replace(" ", "") else "error"
                raise _Failed(status, f"getUserCount: {clerk_message(key_error)}")
        except TimeoutError:
            if state.junk:  # it answered, but not in JSON-RPC
                result.status, result.evidence = "protocol-error", [f"stdout: {line}" for line in state.junk[:3]]
            else:
                result.status, result.evidence = "timed-out", [f"no answer within {limit:g} s"]
        except _Failed as failure:
            result.status, result.evidence = failure.status, failure.evidence
        except ClerkMcpError as exc:
            result.status, result.evidence = "error", [exc.render()]
        if not result.ok:
            errlog.seek(0)
            tail = [line.rstrip() for line in errlog.read().splitlines() if line.strip()][-5:]
            result.evidence += [f"stderr: {line}" for line in tail]
    if not result.ok and record.remote_auth == "oauth" and result.status not in ("entry-missing", "not-started"):
        result.evidence += await _doctor_evidence(record.remote_url, record.name)
    result.seconds = round(time.perf_counter() - started, 3)
    result.evidence = [mask_text(e, launch.secrets) for e in result.evidence]
    return result


def _time_limit(record: Record, timeout: float) -> float:
    """The client's own start-up timeout when it is shorter (Codex gives a server 10 s), else `timeout`."""
    own = get_client(record.client).launch.startup_timeout
    return min(timeout, own) if own else timeout


def _signature(record: Record, environ: Mapping[str, str]) -> tuple[Any, ...] | None:
    """What decides an entry's outcome: entries with the same signature start the very same process.

    None when the entry cannot be read here (it is then checked, and reported, on its own).
    """
    try:
        launch = launch_of(record, environ)
    except (_Failed, ClerkMcpError):
        return None
    wanted = expected_tools(record)
    return (
        tuple(launch.argv or ()),
        tuple(sorted(launch.env.items())),
        launch.url,
        tuple(sorted(launch.headers.items())),
        launch.key_unknown,
        frozenset(wanted) if wanted is not None else None,
    )


async def verify_all(
    records: Sequence[Record],
    *,
    timeout: float = 15.0,
    check_key: bool = False,
    concurrency: int = 4,
    environ: Mapping[str, str] | None = None,
    on_event: Callable[[int, VerifyResult | None], None] | None = None,
) -> list[VerifyResult]:
    """Verify every record, at most `concurrency` at a time, results in the records' order.

    Entries that would start exactly the same process (one install into eight clients usually writes eight
    identical entries) are started once and share the outcome, so verifying a full install costs one start.
    `on_event(i, None)` is called when record i starts and `on_event(i, result)` when it ends (live displays).
    """
    env = os.environ if environ is None else environ
    groups: dict[Any, list[int]] = {}
    for i, record in enumerate(records):
        signature = _signature(record, env)
        groups.setdefault(("alone", i) if signature is None else signature, []).append(i)
    results: list[VerifyResult | None] = [None] * len(records)
    limiter = anyio.CapacityLimiter(max(1, concurrency))

    async def one(indexes: list[int]) -> None:
        async with limiter:
            for i in indexes:
                if on_event:
                    on_event(i, None)
            first = await verify_record(records[indexes[0]], timeout=timeout, check_key=check_key, environ=environ)
        for i in indexes:
            r = records[i]
            results[i] = replace(
                first, client=r.client, scope=r.scope, name=r.name, path=r.path, notes=list(first.notes)
            )
            if on_event:
                on_event(i, results[i])

    async with anyio.create_task_group() as tg:
        for indexes in groups.values():
            tg.start_soon(one, indexes)
    return [r for r in results if r is not None]


def run_verify(records: Sequence[Record], **kwargs: Any) -> list[VerifyResult]:
    """Synchronous entry point for the faces."""
    return anyio.run(lambda: verify_all(records, **kwargs))


def record_outcome(records: Sequence[Record], results: Sequence[VerifyResult]) -> None:
    """Remember in the manifest when each entry was verified and whether it worked (CLI and wizard alike)."""
    from datetime import UTC, datetime

    from clerk_mcp_setup.install.installer import mark_verified

    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    mark_verified(
        {(r.client, r.path, tuple(r.key_path), r.name): v.ok for r, v in zip(records, results, strict=True)}, stamp
    )
