"""A client as a record: where its files are, how its entries look, what the person does afterwards.

Each client module builds one `Client`; nothing here reads or writes a config file. The installer
combines a client's `Location` (file, key path, syntax) and entry dict with the lossless file editor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Literal

from clerk_mcp_setup.clients import entries
from clerk_mcp_setup.clients.entries import Entry, EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env, running_platform
from clerk_mcp_setup.clients.signin import SignIn
from clerk_mcp_setup.errors import UsageError

Scope = Literal["user", "project", "local"]
Syntax = Literal["json", "jsonc", "jsonc_no_trailing_commas", "json5", "toml", "yaml"]
KeyPath = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Location:
    """One config file of one client and scope, and where in it the servers map lives.

    `path` is a pure path in the resolved platform's flavour; `os_path()` makes it a real `Path`.
    `note` carries a fact the person should see with the path (an MSIX install ignoring the classic file).
    """

    client_id: str
    scope: Scope
    path: PurePath
    key_path: KeyPath
    syntax: Syntax
    note: str | None = None

    def os_path(self) -> Path:
        """The path as a real `Path` on this machine; refuses a path resolved for another OS."""
        if isinstance(self.path, PurePosixPath) == (running_platform() == "win32"):
            raise ValueError(f"{self.path} was resolved for another operating system")
        return Path(self.path)


@dataclass(frozen=True, slots=True)
class OfficialCli:
    """The client's own commands for managing servers, and whether we drive them or edit the file ourselves.

    `driven`: the installer runs this CLI instead of editing the file (only Claude Code, whose state file
    the app rewrites under our feet). Otherwise we edit the file and show the command as an alternative,
    because a CLI gives us no dry-run diff, no backup and no byte-level guarantee about the rest of the
    file. `why` says which applies and why, in a sentence a person can read.
    """

    binary: str
    add: str
    remove: str | None = None
    list: str | None = None
    scopes: tuple[Scope, ...] = ("user",)
    note: str | None = None
    driven: bool = False
    why: str = (
        "We edit the file ourselves: the CLI gives no dry-run diff, no backup and no guarantee that the "
        "rest of the file keeps its bytes."
    )


@dataclass(frozen=True, slots=True)
class LaunchPolicy:
    """The environment a client gives the servers it starts, and how it treats what an entry references.

    `inherit`: "gui" — a desktop app started from the Dock/Start menu: HOME, a system PATH, the desktop
    session's variables and the entry's `env`; "all" — the client's whole environment (CLI clients run from
    a shell); "allow-list" — only the names in `allow` plus the entry's own `env` (Codex, Auggie, OpenClaw).
    `unset_reference`: what the client does with `${VAR}` when VAR is unset — leave the literal text
    ("literal", Claude Code), substitute "" ("empty", Gemini), refuse to start the server ("fail"), or the
    client has no references ("none"). `startup_timeout` is the client's default wait for initialize (s).
    `shell_line`: the client joins command and args into one shell line (Auggie). `source` names where
    these facts come from. `strip_names`: parts of names (any case) the client removes from what it passes on,
    unless the entry's env sets them (Gemini drops TOKEN, SECRET, KEY… variables).
    """

    inherit: Literal["gui", "all", "allow-list"] = "gui"
    allow: tuple[str, ...] = ()
    unset_reference: Literal["literal", "empty", "fail", "none"] = "none"
    strip_names: tuple[str, ...] = ()  # inherited variables whose names contain one of these are dropped (Gemini)
    startup_timeout: float | None = None
    shell_line: bool = False
    source: str = ""


UserPath = Callable[[Env], PurePath]
InstallDirs = Callable[[Env], Sequence[PurePath]]


def _no_installs(env: Env) -> Sequence[PurePath]:
    return ()


@dataclass(frozen=True, eq=False)
class Client:
    """One MCP client as data, plus the small functions that turn an `Env` into its paths.

    `user_path` gives the user-scope file; `project_file` is the project-scope file relative to a project
    directory (None: no project scope); `local` is Claude Code's per-project entry inside the user file.
    Identity is the id: clients are compared and hashed as the singletons they are.
    """

    id: str
    name: str
    syntax: Syntax
    servers_key: str
    user_path: UserPath
    shape: EntryShape
    secrets: Secrets
    project_file: tuple[str, ...] | None = None
    local: bool = False
    next_steps: Mapping[Scope, tuple[str, ...]] = field(default_factory=dict)
    quirks: tuple[str, ...] = ()
    cli: OfficialCli | None = None
    binaries: tuple[str, ...] = ()
    installs: InstallDirs = _no_installs
    config_dir: UserPath | None = None
    # The most tools the client offers the model (None: no known cap), and where that number comes from.
    tool_cap: int | None = None
    tool_cap_source: str = ""
    launch: LaunchPolicy = field(default_factory=LaunchPolicy)
    # How it signs in to an OAuth-protected URL by itself; None: it cannot, so it gets our signing-in bridge.
    sign_in: SignIn | None = None
    # With sign_in None: where we looked for a sign-in of its own, so the bridge is chosen, not defaulted.
    sign_in_checked: str = ""
    # Where the servers map sits when it is not one top-level key (OpenClaw `mcp.servers`).
    servers_path: KeyPath | None = None
    # Top-level keys a file we create must start with (Continue's config.yaml needs name/version/schema).
    new_file: Mapping[str, object] = field(default_factory=dict)
    # The servers container is a YAML list of items carrying their name (Continue), not a mapping.
    servers_list: bool = False

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Client) and other.id == self.id

    @property
    def scopes(self) -> tuple[Scope, ...]:
        """The scopes this client has, user first."""
        out: list[Scope] = ["user"]
        if self.project_file:
            out.append("project")
        if self.local:
            out.append("local")
        return tuple(out)

    def location(self, scope: Scope, env: Env, project: PurePath | str | None = None) -> Location:
        """Where `scope`'s entry goes on the machine `env`; project and local scopes need `project`."""
        if scope not in self.scopes:
            raise UsageError(f"{self.name} has no {scope!r} scope", f"{self.name} has: {', '.join(self.scopes)}")
        servers: KeyPath = self.servers_path or (self.servers_key,)
        if scope == "user":
            return self._at("user", self.user_path(env), servers)
        root = self._project_dir(scope, env, project)
        if scope == "project" and self.project_file:
            return self._at("project", root.joinpath(*self.project_file), servers)
        key = root.as_posix() if env.platform == "win32" else str(root)
        return self._at("local", self.user_path(env), ("projects", key, *servers))

    def locations(
        self, scope: Scope, env: Env, project: PurePath | str | None = None, variant: str | None = None
    ) -> tuple[Location, ...]:
        """Every file this scope's entry goes into: one, except where a client reads several (Cline in each
        editor that hosts it) or the person picked variants (VS Code profiles). `variant` is client-specific."""
        if variant:
            raise UsageError(f"{self.name} has no variants to choose from ({variant!r})", "leave out --profile")
        return (self.location(scope, env, project),)

    def adapt(self, location: Location, current: Callable[[KeyPath], object]) -> Location:
        """The location adjusted to the file as it is (`current(path)` reads it): opencode v1 or v2 layout."""
        return location

    def _at(self, scope: Scope, path: PurePath, key_path: KeyPath, note: str | None = None) -> Location:
        return Location(self.id, scope, path, key_path, self.syntax, note)

    def _project_dir(self, scope: Scope, env: Env, project: PurePath | str | None) -> PurePath:
        if project is None or str(project) == "":
            raise UsageError(f"the {scope} scope needs a project directory", "pass the project's folder")
        root = env.path(project)
        if not root.is_absolute():
            raise UsageError(f"the project directory must be absolute: {project}", "pass the full path")
        return root

    def stdio_entry(
        self,
        command: str,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        *,
        pass_env: Sequence[str] = (),
    ) -> Entry:
        """A local stdio entry. `pass_env` names variables the client fills from its own environment."""
        return entries.stdio_entry(self.name, self.shape, self.secrets, command, args, env or {}, pass_env)

    def remote_entry(
        self,
        url: str,
        headers: Mapping[str, str] | None = None,
        *,
        header_env: Mapping[str, str] | None = None,
        bearer_env: str | None = None,
    ) -> Entry:
        """A remote entry; raises `RemoteNotSupportedError` where the client needs a stdio bridge."""
        return entries.remote_entry(
            self.name, self.shape, self.secrets, url, headers or {}, header_env or {}, bearer_env
        )

    @property
    def supports_remote(self) -> bool:
        """Whether the client reads URL entries from its config file."""
        return self.shape.remote

    def env_reference(self, name: str) -> str | None:
        """How a string in an entry refers to environment variable `name`; None if the client has no such string."""
        return self.secrets.reference(name)

    def input_item(self, input_id: str, description: str) -> Entry:
        """The `inputs` item declaring a prompted secret (VS Code only)."""
        return entries.input_item(self.name, self.secrets, input_id, description)

    def input_reference(self, input_id: str) -> str:
        """The `${input:id}` string standing for a prompted secret (VS Code only)."""
        return entries.input_reference(self.name, self.secrets, input_id)

    def steps_after(self, scope: Scope) -> tuple[str, ...]:
        """What the person does after we write `scope`'s file."""
        return self.next_steps.get(scope, ())
