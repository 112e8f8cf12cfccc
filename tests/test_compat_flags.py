"""Drop-in for real: started with @clerk/agent-toolkit's own flags, `--tools` selects exactly what the old
server selected (within its 19 tools), and its spellings of the key and URL options work.

The expected lists are the peer's tool table (/work/shared/reference/peers.md, "Its 19 tools"), and where
the peer is installed (.ci/clients, tests/integration/install_clients.sh) the real `local-mcp` is asked too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVER = str(Path(sys.executable).parent / "clerk-mcp-server")
PEER = REPO / ".ci" / "clients" / "node_modules" / ".bin" / "local-mcp"
KEY = "sk_test_compat0000000000"

# @clerk/agent-toolkit 0.3.15's tools by category, in its order (peers.md, "Its 19 tools").
PEER_TOOLS = {
    "users": [
        "getUserId",
        "getUser",
        "getUserCount",
        "updateUser",
        "updateUserPublicMetadata",
        "updateUserUnsafeMetadata",
    ],
    "organizations": [
        "getOrganization",
        "createOrganization",
        "updateOrganization",
        "updateOrganizationMetadata",
        "deleteOrganization",
        "createOrganizationMembership",
        "updateOrganizationMembership",
        "updateOrganizationMembershipMetadata",
        "deleteOrganizationMembership",
        "createOrganizationInvitation",
        "revokeOrganizationInvitation",
    ],
    "invitations": ["createInvitation", "revokeInvitation"],
}
ALL = [name for names in PEER_TOOLS.values() for name in names]
OLD_STYLE = ["-y", "@clerk/agent-toolkit", "-p", "local-mcp"]

CASES: list[tuple[list[str], list[str]]] = [
    (["--tools", "users"], PEER_TOOLS["users"]),
    (["--tools=users"], PEER_TOOLS["users"]),
    (["--tools", "*"], ALL),
    (["--tools", "users.*"], PEER_TOOLS["users"]),
    (["--tools", "users.getUser"], ["getUser"]),
    (["--tools", "users.getUser", "organizations"], ["getUser", *PEER_TOOLS["organizations"]]),
    (["--tools", "users.getUser", "--tools", "invitations"], ["getUser", *PEER_TOOLS["invitations"]]),
    (["-t", "organizations", "invitations.revokeInvitation"], [*PEER_TOOLS["organizations"], "revokeInvitation"]),
    ([], ALL),
]


def list_tools(argv: list[str]) -> list[str]:
    """Tool names a server lists over stdio (raw JSON-RPC, as a client sees them)."""
    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
    }
    messages = [init, {"jsonrpc": "2.0", "method": "notifications/initialized"}]
    messages.append({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
        proc.stdin.flush()
        while True:
            line = proc.stdout.readline()
            assert line, f"{argv[0]} exited before answering tools/list"
            answer = json.loads(line)
            if answer.get("id") == 2:
                return [t["name"] for t in answer["result"]["tools"]]
    finally:
        proc.kill()
        proc.wait()


def ours(*args: str) -> list[str]:
    out = subprocess.run([SERVER, *args, "--list-tools", "--json"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return [row["name"] for row in json.loads(out.stdout)]


@pytest.mark.parametrize(("flags", "expected"), CASES, ids=lambda v: " ".join(v) if v and v[0][0] == "-" else None)
@pytest.mark.parametrize("prefix", [OLD_STYLE, ["-p=local-mcp"], ["-y"], ["@clerk/agent-toolkit@0.3.15"]])
def test_old_style_invocation_selects_what_the_old_server_did(
    prefix: list[str], flags: list[str], expected: list[str]
) -> None:
    assert ours(*prefix, *flags) == expected


def test_without_the_old_flags_our_grammar_is_unchanged() -> None:
    users = ours("--tools", "users")
    assert set(PEER_TOOLS["users"]) < set(users) and "listUsers" in users and "deleteUser" in users
    assert len(ours("--tools", "*")) > 100


def test_a_tool_outside_the_old_19_is_refused_with_the_reason() -> None:
    out = subprocess.run(
        [SERVER, *OLD_STYLE, "--tools", "users.deleteUser", "--list-tools"], capture_output=True, text=True
    )
    assert out.returncode == 2 and out.stdout == ""
    assert "users.deleteUser" in out.stderr and "19 tools" in out.stderr and "drop those flags" in out.stderr


def test_old_spellings_of_key_and_url_are_accepted(tmp_path: Path) -> None:
    """`--secretKey`, `--apiUrl` (yargs camelCase) and `--publishableKey` start the server instead of exit 2."""
    names = list_tools(
        [
            SERVER,
            *OLD_STYLE,
            "--secretKey",
            KEY,
            "--apiUrl",
            "http://127.0.0.1:9",
            "--publishableKey",
            "pk_test_Y29tcGF0LmNsZXJrLmFjY291bnRzLmRldiQ",
            "--tools",
            "users",
            "--audit-log",
            "off",
        ]
    )
    assert names == PEER_TOOLS["users"]
    bad = subprocess.run([SERVER, "--apiUrl", "ftp://x", "--list-tools"], capture_output=True, text=True)
    assert bad.returncode == 2 and "http" in bad.stderr  # the alias is validated like --api-url


PEER_CASES = [["--tools", "users"], ["--tools", "*"], ["--tools", "users.getUser", "organizations"]]


@pytest.mark.skipif(not PEER.exists(), reason="the peer is installed by tests/integration/install_clients.sh")
@pytest.mark.parametrize("flags", PEER_CASES, ids=" ".join)
def test_same_tools_as_the_real_peer(flags: list[str]) -> None:
    peer = list_tools([str(PEER), "--secret-key", KEY, "--api-url", "http://127.0.0.1:9", *flags])
    mine = list_tools([SERVER, *OLD_STYLE, "--secret-key", KEY, "--api-url", "http://127.0.0.1:9", *flags])
    assert mine == peer
