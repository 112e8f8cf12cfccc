"""VS Code and VS Code Insiders: JSONC `mcp.json` with `servers` (not `mcpServers`) and prompted `inputs`.

The profile folder follows VS Code's own rule: `$VSCODE_APPDATA` on every OS, then `%APPDATA%` (Windows),
`~/Library/Application Support` (macOS) or `$XDG_CONFIG_HOME`/`~/.config` (Linux). Insiders is a separate
client with its own profile folder (`Code - Insiders`) and binary; both read `<project>/.vscode/mcp.json`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePath, PurePosixPath

from clerk_mcp_setup.clients import launch, vscode_profiles
from clerk_mcp_setup.clients.base import Client, Location, OfficialCli, Scope
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def app_data(env: Env) -> PurePath:
    """The folder VS Code keeps its per-user data folder in."""
    override = env.var("VSCODE_APPDATA")
    if override:
        return env.path(override)
    if env.platform == "win32":
        return env.appdata()
    if env.platform == "darwin":
        return env.home / "Library" / "Application Support"
    return env.xdg_config_home()


def _user_path(folder: str) -> Callable[[Env], PurePath]:
    def user_path(env: Env) -> PurePath:
        """The default profile's `mcp.json`."""
        return app_data(env) / folder / "User" / "mcp.json"

    return user_path


def _installs(app: str, program_dir: str, linux_dir: str) -> Callable[[Env], Sequence[PurePath]]:
    def installs(env: Env) -> Sequence[PurePath]:
        if env.platform == "darwin":
            return (PurePosixPath("/Applications") / app, env.home / "Applications" / app)
        if env.platform == "win32":
            return (env.local_appdata() / "Programs" / program_dir, env.program_files() / program_dir)
        return (PurePosixPath("/usr/share") / linux_dir, PurePosixPath("/snap") / linux_dir)

    return installs


class VsCode(Client):
    """VS Code's one quirk: the user file belongs to a profile, and the person may use several."""

    folder: str = "Code"

    def profiles(self, env: Env) -> list[vscode_profiles.Profile]:
        """Every profile, Default first, the active one marked."""
        return vscode_profiles.profiles(env, app_data(env) / self.folder / "User")

    def locations(
        self, scope: Scope, env: Env, project: PurePath | str | None = None, variant: str | None = None
    ) -> tuple[Location, ...]:
        """The active profile's `mcp.json`, or those of the profiles named in `variant` ("all" for every one)."""
        if scope != "user":
            return super().locations(scope, env, project, None)
        chosen = vscode_profiles.choose(self.profiles(env), variant, self.name)
        return tuple(
            Location(
                self.id,
                "user",
                profile.folder / "mcp.json",
                (self.servers_key,),
                self.syntax,
                None if profile.default else f"{self.name} profile '{profile.name}'",
            )
            for profile in chosen
        )


_STEPS = (
    "Run 'MCP: List Servers' from the Command Palette and start the server; VS Code asks you to trust it "
    "the first time, and asks for the secret once if it is a prompted input.",
)


def _vscode(client_id: str, name: str, folder: str, binary: str, app: str, program_dir: str) -> Client:
    client = VsCode(
        id=client_id,
        name=name,
        syntax="jsonc",
        servers_key="servers",
        user_path=_user_path(folder),
        project_file=(".vscode", "mcp.json"),
        shape=EntryShape(stdio_type="stdio", remote_type="http"),
        secrets=Secrets(
            template="${env:NAME}",
            # Predefined variables such as ${userHome} work in mcp.json server entries
            # (code.visualstudio.com/docs/copilot/reference/mcp-configuration; docs/reference/variables-reference).
            home="${userHome}",
            inputs_key=("inputs",),
            note="VS Code can prompt for the key once and keep it in its secret storage (inputs + ${input:id}); "
            "such servers run in the Local agent only, not the Copilot cloud agent",
        ),
        next_steps={"user": _STEPS, "project": _STEPS},
        quirks=(
            'Servers live in mcp.json under "servers"; the old settings.json "mcp" key is deprecated and '
            '"mcpServers" is wrong here.',
            "The file is JSONC (comments, trailing commas); a syntax error breaks every server.",
            'Prompted secrets are declared once under "inputs" and used as ${input:id}.',
            "Servers that need a prompted ${input:…} run in VS Code's Local agent only: the Copilot (cloud) "
            "agent does not receive them (code.visualstudio.com/docs/agents/reference/mcp-configuration).",
            "Each profile has its own mcp.json (User/profiles/<id>/mcp.json): we write the active profile's; "
            "--profile NAME[,NAME] or --profile all picks others.",
        ),
        cli=OfficialCli(
            binary=binary,
            add=binary + " --add-mcp '{json}'",
            note='Writes the user profile only; the JSON carries "name" beside the entry\'s fields.',
        ),
        binaries=(binary,),
        installs=_installs(app, program_dir, binary),
        # Copilot Chat refuses a request with more than 128 tools ("Cannot have more than 128 tools per
        # request": microsoft/vscode#255585, microsoft/vscode-copilot-release#11653 quotes the check).
        tool_cap=128,
        tool_cap_source="Copilot Chat: at most 128 tools per request (microsoft/vscode#255585, "
        "microsoft/vscode-copilot-release#11653)",
        launch=launch.VSCODE,
        # code.visualstudio.com/docs/copilot/customization/mcp-servers (authentication): VS Code runs the MCP
        # authorization flow for an http entry and keeps the tokens itself.
        sign_in=SignIn("VS Code asks you to sign in when it starts '{name}'; allow it and finish in the browser."),
    )
    object.__setattr__(client, "folder", folder)
    return client


VSCODE = _vscode("vscode", "VS Code", "Code", "code", "Visual Studio Code.app", "Microsoft VS Code")
VSCODE_INSIDERS = _vscode(
    "vscode-insiders",
    "VS Code Insiders",
    "Code - Insiders",
    "code-insiders",
    "Visual Studio Code - Insiders.app",
    "Microsoft VS Code Insiders",
)
