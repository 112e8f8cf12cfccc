"""Qwen Code: Gemini CLI's settings layout in `~/.qwen/settings.json`, remote entries as `httpUrl`.

Sources: qwenlm.github.io/qwen-code-docs/en/tools/mcp-server, toolchain.md "More CLI clients" (measured with
@qwen-code/qwen-code 0.24.4): `url` means SSE and `httpUrl` streamable HTTP; `${X}` and `$X` are expanded (also
in args); a trailing comma crashes it (comments are fine, as in Gemini CLI); project servers in
`.qwen/settings.json` need a hash-bound `qwen mcp approve`.
"""

from __future__ import annotations

from pathlib import PurePath

from clerk_mcp_setup.clients.base import Client, LaunchPolicy, OfficialCli
from clerk_mcp_setup.clients.entries import EntryShape, Secrets
from clerk_mcp_setup.clients.env import Env
from clerk_mcp_setup.clients.signin import SignIn


def user_path(env: Env) -> PurePath:
    return env.home / ".qwen" / "settings.json"


_LOAD = "Start a new Qwen Code session; /mcp shows the server and its tools."

QWEN_CODE = Client(
    id="qwen-code",
    name="Qwen Code",
    syntax="jsonc_no_trailing_commas",
    servers_key="mcpServers",
    user_path=user_path,
    project_file=(".qwen", "settings.json"),
    shape=EntryShape(url_key="httpUrl"),
    # ${HOME} in a project command: measured here with Qwen Code 0.24.4, `qwen mcp list` shows
    # ${HOME}/.local/bin/clerk-mcp-server expanded to each HOME's path.
    secrets=Secrets(
        template="${NAME}", home="${HOME}", note="Qwen Code expands ${NAME} and $NAME anywhere in an entry"
    ),
    next_steps={
        "user": (_LOAD,),
        "project": (
            "Approve the project's server with `qwen mcp approve clerk` (approval is bound to the entry's hash).",
            _LOAD,
        ),
    },
    quirks=(
        'Remote entries use "httpUrl"; "url" is taken as SSE.',
        "A trailing comma makes settings.json fail to load.",
    ),
    cli=OfficialCli(
        binary="qwen",
        add="qwen mcp add -s {scope} {name} {command} {args}",
        remove="qwen mcp remove {name}",
        list="qwen mcp list",
        scopes=("user", "project"),
    ),
    binaries=("qwen",),
    tool_cap_source=(
        "none documented in qwenlm.github.io/qwen-code-docs (tools/mcp-server) or QwenLM/qwen-code "
        "issues (checked 2026-11)"
    ),
    sign_in=SignIn(
        "open /mcp in Qwen Code, choose '{name}' and authenticate; the browser opens.",
        source=(
            "measured here with @qwen-code/qwen-code 0.24.4: a 401 from a URL entry marks it as needing OAuth "
            "(chunks: supportsMcpOAuth, getMcpOAuthDialogInstruction: the /mcp dialog)"
        ),
    ),
    launch=LaunchPolicy(
        inherit="all", unset_reference="empty", source="toolchain.md: measured with @qwen-code/qwen-code 0.24.4"
    ),
)
