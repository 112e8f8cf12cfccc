"""`clerk-mcp-setup login | logout | doctor`: sign in to a remote MCP server ahead of time, forget the sign-in,
and find the first broken link of a server's sign-in chain. A face: it parses, calls `auth`/`verify.doctor`,
and prints (results on stdout, progress on stderr, `--json` for scripts)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import Any

from clerk_mcp_setup.errors import EXIT_OK, EXIT_VERIFY, UsageError
from clerk_mcp_setup.output import emit

_URL = re.compile(r"^https?://", re.IGNORECASE)


def parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"clerk-mcp-setup {command}")
    p.add_argument("target", metavar="NAME|URL", help="an installed remote entry's name, or the server's URL")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    if command == "login":
        p.description = (
            "Sign in to a remote MCP server now (the browser opens), so a client's first start does not wait on "
            "a browser. Tokens go to the vault, never into a config file."
        )
        p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS", help="wait for the browser")
    elif command == "logout":
        p.description = "Forget a remote server's sign-in (tokens and client registration) and revoke its token."
    else:
        p.description = (
            "Walk a remote MCP server's sign-in chain (address, HTTPS, 401 challenge, resource metadata, "
            "authorization server, registration, PKCE, token) and name the first broken link with its fix."
        )
        p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per request (default 10)")
    return p


def resolve_target(target: str) -> tuple[str, str | None]:
    """(URL, entry name) for a URL or the name of an installed remote entry."""
    if _URL.match(target):
        return target, None
    from clerk_mcp_setup.install.manifest import Manifest

    urls = sorted({r.remote_url for r in Manifest.load().records if r.name == target and r.remote_url})
    if not urls:
        raise UsageError(
            f"No installed remote entry is named {target!r}.",
            "Give the server's URL instead, or see `clerk-mcp-setup status` for the installed names.",
        )
    if len(urls) > 1:
        raise UsageError(f"Entries named {target!r} point at several URLs: {', '.join(urls)}.", "Give the URL.")
    return urls[0], target


def apply_preset(args: argparse.Namespace) -> None:
    """`--server clerk-hosted` is `--remote https://mcp.clerk.com/mcp --sign-in oauth --name clerk-docs`."""
    from clerk_mcp_setup.install.remote import CLERK_HOSTED_NAME, CLERK_HOSTED_URL

    if getattr(args, "server", "bundled") == "clerk-hosted":
        clash = [
            flag
            for flag, on in (
                ("--remote", args.remote),
                ("--demo", args.demo),
                ("--secret-key", args.secret_key or args.secret_key_stdin),
                ("--header", args.header),
            )
            if on
        ]
        if clash:
            raise UsageError(
                f"--server clerk-hosted cannot go with {', '.join(clash)}.",
                "Clerk's hosted server needs no key: you sign in with your Clerk account.",
            )
        args.remote = CLERK_HOSTED_URL
        args.sign_in = "oauth"
        args.name = args.name or CLERK_HOSTED_NAME
    args.name = args.name or "clerk"
    if args.via_bridge and not args.remote:
        raise UsageError("--via-bridge only applies to a remote server (--remote URL or --server clerk-hosted).")


def remote_fields(args: argparse.Namespace, has_headers: bool) -> dict[str, object]:
    """The request's sign-in fields: whether the URL asks for OAuth (asked of the server when `auto`)."""
    if not args.remote:
        return {}
    from clerk_mcp_setup.clients import get_client

    via = tuple(dict.fromkeys(args.via_bridge))
    for client_id in via:
        if client_id != "all":
            get_client(client_id)  # an unknown id fails here, with the list of known ones
    mode = args.sign_in
    if mode == "auto":
        if has_headers:
            mode = "none"
        else:
            from clerk_mcp_setup.auth.probe import asks_for_sign_in

            mode = "oauth" if asks_for_sign_in(args.remote) is not False else "none"
    return {"remote_auth": mode, "via_bridge": via}


def sign_in_state(record: Any) -> str | None:
    """`signed-in`, `expired`, `not-signed-in` or `revoked` for a remote entry that signs in; None otherwise."""
    if not record.remote_url or record.remote_auth != "oauth":
        return None
    from clerk_mcp_setup.auth.store import VaultTokenStorage

    return VaultTokenStorage(record.remote_url).state().state


def _say(text: str) -> None:
    print(f"clerk-mcp-setup: {text}", file=sys.stderr, flush=True)


def login(args: argparse.Namespace) -> int:
    import anyio

    from clerk_mcp_setup.auth import signin

    url, name = resolve_target(args.target)

    async def run() -> signin.LoginResult:
        return await signin.login(url, name=name or url, timeout=args.timeout, say=_say)

    result = anyio.run(run)
    data = {"url": url, "signed_in": True, "issuer": result.issuer, "tools": result.tools}
    text = f"Signed in to {url} (issuer {result.issuer}); {len(result.tools)} tools. Tokens are in the vault."
    emit(data, text, args.json)
    return EXIT_OK


def logout(args: argparse.Namespace) -> int:
    from clerk_mcp_setup.auth.signin import logout as forget

    url, _ = resolve_target(args.target)
    revoked = _revoke(url)
    had = forget(url)
    data = {"url": url, "forgotten": had, "revoked": revoked}
    text = f"Signed out of {url}." if had else f"There was no sign-in for {url}."
    if revoked:
        text += " The refresh token was revoked at the authorization server."
    emit(data, text, args.json)
    return EXIT_OK


def _revoke(url: str) -> bool:
    """Best effort RFC 7009 revocation of the stored refresh token, where the server offers it."""
    import httpx

    from clerk_mcp_setup.auth.store import VaultTokenStorage

    record = VaultTokenStorage(url).load()
    endpoint = (record.get("oauth_metadata") or {}).get("revocation_endpoint")
    token = (record.get("tokens") or {}).get("refresh_token")
    client_id = (record.get("client") or {}).get("client_id")
    if not (endpoint and token and client_id):
        return False
    try:
        response = httpx.post(
            endpoint, data={"token": token, "token_type_hint": "refresh_token", "client_id": client_id}, timeout=10
        )
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def doctor(args: argparse.Namespace) -> int:
    from clerk_mcp_setup.verify.doctor import diagnose, render

    url, name = resolve_target(args.target)
    diagnosis = diagnose(url, name=name, timeout=args.timeout)
    emit(diagnosis.to_dict(), render(diagnosis), args.json)
    return EXIT_OK if diagnosis.ok else EXIT_VERIFY


def main(command: str, argv: Sequence[str]) -> int:
    import logging

    # The SDK logs its own OAuth failures with tracebacks; the typed error we print says it better.
    logging.getLogger("mcp").addHandler(logging.NullHandler())
    args = parser(command).parse_args(list(argv))
    return {"login": login, "logout": logout, "doctor": doctor}[command](args)
