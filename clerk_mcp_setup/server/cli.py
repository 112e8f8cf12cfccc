"""`clerk-mcp-server`: the command line of the bundled Clerk MCP server.

Accepts every option of @clerk/agent-toolkit's `local-mcp` (so an old config works when only its
command changes), exits non-zero on a bad option instead of starting a server that dies silently,
and imports the MCP SDK only once it is really going to serve.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from clerk_mcp_setup import __version__
from clerk_mcp_setup.errors import EXIT_USAGE, ClerkMcpError, UsageError
from clerk_mcp_setup.pipes import quiet_on_closed_pipe
from clerk_mcp_setup.scope import GRAMMAR, is_discover, resolve, resolve_compat, served_names
from clerk_mcp_setup.server.catalog import Tool

if TYPE_CHECKING:
    from clerk_mcp_setup.server.app import ServerConfig
    from clerk_mcp_setup.server.http import HttpOptions

KEY_FORM = re.compile(r"^sk_(test|live)_[A-Za-z0-9]+$")
DEMO_KEY = "sk_test_demo0000000000000000"
_LEGACY_POSITIONAL = re.compile(r"^@clerk/agent-toolkit(@[\w.\-]+)?$")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clerk-mcp-server",
        description="Clerk's Backend API as MCP tools, over stdio. A drop-in replacement for "
        "@clerk/agent-toolkit's local-mcp server.",
        epilog=f"--tools patterns: {GRAMMAR}. Separate several by spaces or commas, or repeat the flag. "
        "Default: @default (the 19 agent-toolkit tools plus 5 list tools); '*' for all. Started with "
        "@clerk/agent-toolkit's flags (-y, -p local-mcp), --tools picks among its 19 tools, as it did.",
    )
    parser.add_argument(
        "-t", "--tools", nargs="+", action="extend", metavar="PATTERN", help="tools to expose (see below)"
    )
    parser.add_argument(
        "--secret-key",
        "--sk",
        "--secretKey",
        dest="secret_key",
        metavar="KEY",
        help="Clerk secret key (default: $CLERK_SECRET_KEY)",
    )
    parser.add_argument(
        "--api-url",
        "--apiUrl",
        dest="api_url",
        metavar="URL",
        help="Backend API base URL (default: $CLERK_API_URL or https://api.clerk.com)",
    )
    parser.add_argument(
        "--user-id", metavar="ID", help="the acting user that getUserId returns (default: $CLERK_USER_ID)"
    )
    parser.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per-request timeout for Clerk (default 20)"
    )
    parser.add_argument(
        "--key-env", metavar="VAR", help="read the secret key from environment variable VAR (default CLERK_SECRET_KEY)"
    )
    parser.add_argument(
        "--vault", metavar="NAME", help="read the secret key clerk-mcp-setup stored under NAME (OS keyring or file)"
    )
    parser.add_argument("--read-only", action="store_true", help="expose only tools that change nothing")
    parser.add_argument(
        "--allow-private-metadata",
        action="store_true",
        help="let private_metadata reach the model (stripped by default)",
    )
    parser.add_argument(
        "--confirm",
        choices=("none", "destructive", "writes"),
        default="destructive",
        help="ask before destructive and credential calls (default), before every write, or never",
    )
    parser.add_argument(
        "--confirm-ttl",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="how long a person has to answer a client's confirmation question (default 300)",
    )
    parser.add_argument(
        "--approval-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="stdio, client without elicitation: how long the approval page waits for the person (default 120)",
    )
    parser.add_argument(
        "--allow-fetch-host",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="image URLs (profileImageUrl, logos) may use plain http and private addresses for this host "
        "(repeatable; by default only public https addresses are fetched)",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="never open the approval page: calls needing confirmation are refused unless the client can ask",
    )
    parser.add_argument(
        "--audit-log",
        default="default",
        metavar="PATH|-|off",
        help="one JSON line per call; default: the user log dir's clerk-mcp-setup/audit.jsonl",
    )
    http = parser.add_argument_group("HTTP mode (a server for a team; see the README)")
    http.add_argument("--transport", choices=("stdio", "http"), default="stdio", help="default stdio")
    http.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    http.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    http.add_argument("--auth-token", help="require 'Authorization: Bearer TOKEN' on /mcp (or $CLERK_MCP_AUTH_TOKEN)")
    http.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="browser Origin allowed besides localhost (repeatable)",
    )
    http.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="Host header allowed besides localhost (repeatable; needed behind a proxy)",
    )
    http.add_argument("--max-concurrency", type=int, default=64, help="requests in flight before 503 (default 64)")
    http.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES", help="largest request body")
    http.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    http.add_argument(
        "--read-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="a request's headers, and then its body, must arrive within this (default 10); slower clients are "
        "disconnected",
    )
    http.add_argument("--oauth-issuer", metavar="URL", help="Sign in with Clerk: your instance's issuer URL")
    http.add_argument("--resource-url", metavar="URL", help="this server's public /mcp URL (for OAuth audience)")
    bridge = parser.add_argument_group("bridge mode (stdio in, a team's HTTP server out; for Claude Desktop)")
    bridge.add_argument("--bridge", metavar="URL", help="relay every request to the MCP server at URL")
    bridge.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'", help="header to send")
    bridge.add_argument(
        "--header-env",
        action="append",
        default=[],
        metavar="NAME=VAR",
        help="header NAME with the value of environment variable VAR",
    )
    bridge.add_argument(
        "--header-vault",
        action="append",
        default=[],
        metavar="NAME=SLOT",
        help="header NAME with the value clerk-mcp-setup stored in the vault under SLOT",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="serve a built-in sandbox with sample data; no Clerk account or key needed",
    )
    parser.add_argument("--list-tools", action="store_true", help="print the selected tools and exit")
    parser.add_argument("--json", action="store_true", help="with --list-tools: print JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")
    parser.add_argument("--version", action="version", version=f"clerk-mcp-server {__version__}")
    # Accepted and ignored so an `npx -y @clerk/agent-toolkit -p local-mcp …` entry keeps working.
    parser.add_argument("-p", "--package", help=argparse.SUPPRESS)
    parser.add_argument("-y", "--yes", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--publishable-key", "--publishableKey", help=argparse.SUPPRESS)
    parser.add_argument("legacy", nargs="*", help=argparse.SUPPRESS)
    return parser


def _print_tools(tools: Sequence[Tool], as_json: bool) -> None:
    if as_json:
        rows = [
            {
                "id": t.id,
                "name": t.name,
                "category": t.category,
                "risk": t.risk,
                "title": t.title,
                "description": t.description,
            }
            for t in tools
        ]
        print(json.dumps(rows, indent=2))
        return
    width = max((len(t.id) for t in tools), default=10)
    for t in tools:
        print(f"{t.id:<{width}}  {t.risk:<11}  {t.title}")
    print(f"{len(tools)} tools", file=sys.stderr)


def _find_key(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The key from --secret-key, else the vault entry named by --vault, else $CLERK_SECRET_KEY,
    with a sentence saying why there is none. An unexpanded reference (`${CLERK_SECRET_KEY}`) counts as none."""
    from clerk_mcp_setup.server.keyref import unfilled, unfilled_message

    key, missing = _find_raw_key(args)
    source = "--secret-key" if args.secret_key is not None else f"${args.key_env or 'CLERK_SECRET_KEY'}"
    name = unfilled(key) if key is not None else None
    if key is not None and name is not None:
        where = f"the vault slot '{args.vault}'" if args.vault and args.secret_key is None else source
        return None, unfilled_message(where, key, name)
    return key, missing


def _find_raw_key(args: argparse.Namespace) -> tuple[str | None, str | None]:
    if args.secret_key is not None:
        return args.secret_key, None
    if args.vault:
        from clerk_mcp_setup.vault import Vault

        vault = Vault.open()
        key = vault.get(args.vault)
        if key:
            return key, None
        return None, f"No secret key is stored under '{args.vault}' in {vault.describe()}."
    var = args.key_env or "CLERK_SECRET_KEY"
    env_key = os.environ.get(var)
    return env_key, None if env_key is not None else f"No secret key is set (${var} is empty)."


def _check(args: argparse.Namespace) -> None:
    unknown = [a for a in args.legacy if not _LEGACY_POSITIONAL.match(a)]
    if unknown:
        raise UsageError(f"Unexpected argument(s): {' '.join(unknown)}", "See `clerk-mcp-server --help`.")
    if not 0 < args.timeout <= 600:
        raise UsageError(f"--timeout must be between 0 and 600 seconds, got {args.timeout:g}.")
    if not 0 < args.approval_timeout <= 3600:
        raise UsageError(f"--approval-timeout must be between 0 and 3600 seconds, got {args.approval_timeout:g}.")
    api_url = args.api_url or os.environ.get("CLERK_API_URL")
    if api_url:
        from clerk_mcp_setup.server.api import normalize_api_url

        try:
            normalize_api_url(api_url)
        except ValueError as exc:
            raise UsageError(str(exc), "Pass e.g. --api-url https://api.clerk.com") from None


def legacy_invocation(args: argparse.Namespace) -> bool:
    """Started the way @clerk/agent-toolkit was (`npx -y @clerk/agent-toolkit -p local-mcp …`): an old config
    whose command alone changed, so its `--tools` keeps its old meaning."""
    return bool(args.package or args.yes or args.legacy)


def select_tools(args: argparse.Namespace) -> list[Tool]:
    """The tools to serve: the old server's 19 for an old-style invocation, our grammar otherwise."""
    pick = resolve_compat if legacy_invocation(args) else resolve
    return pick(args.tools, read_only=args.read_only)


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: the command, quiet when its output pipe closes early."""
    return quiet_on_closed_pipe(_main, argv)


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.bridge:
        return _serve_bridge(args)
    try:
        _check(args)
        tools = select_tools(args)
        if args.list_tools:
            _print_tools(tools, args.json)
            if is_discover(args.tools):
                listed = served_names(args.tools, read_only=args.read_only)
                _say(f"@discover: the client lists {', '.join(listed)}, which reach these {len(tools)} tools")
            return 0
        if args.transport == "http":
            return _serve_http(args, argv)
        secret_key, missing = (DEMO_KEY, None) if args.demo else _find_key(args)
    except ClerkMcpError as exc:
        print(f"clerk-mcp-server: {exc.render()}", file=sys.stderr)
        return exc.exit_code or EXIT_USAGE
    if secret_key and not args.demo and not KEY_FORM.match(secret_key):
        _say("warning: the secret key does not look like sk_test_… or sk_live_…; using it anyway.")
    if missing:
        _say(f"{missing} Tools are listed, and each call explains how to set a key.")
    return _serve(server_config(args, tools, secret_key, missing), args.verbose)


def _serve_bridge(args: argparse.Namespace) -> int:
    import anyio

    from clerk_mcp_setup.server.app import configure_logging
    from clerk_mcp_setup.server.bridge import parse_headers, serve_bridge
    from clerk_mcp_setup.server.header_vault import vault_headers

    try:
        if not re.match(r"^https?://[^/\s]+", args.bridge):
            raise UsageError(f"--bridge needs an http(s) URL, got {args.bridge!r}.")
        headers = parse_headers(args.header, args.header_env) | vault_headers(args.header_vault)
    except ClerkMcpError as exc:
        _say(exc.render())
        return exc.exit_code or EXIT_USAGE
    configure_logging(args.verbose, tuple(headers.values()))
    try:
        anyio.run(serve_bridge, args.bridge, headers)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the remote never answered: say so instead of a traceback
        from clerk_mcp_setup.server.results import redact

        _say(redact(f"could not bridge to {args.bridge}: {type(exc).__name__}: {exc}", tuple(headers.values())))
        return 1
    return 0


def _say(message: str) -> None:
    print(f"clerk-mcp-server: {message}", file=sys.stderr)


def server_config(
    args: argparse.Namespace, tools: Sequence[Tool], secret_key: str | None, missing: str | None
) -> ServerConfig:
    """The server's settings from the command line (shared by stdio, HTTP and HTTP workers)."""
    from clerk_mcp_setup.server.app import ServerConfig

    api_url = args.api_url or os.environ.get("CLERK_API_URL") or None
    user_id = args.user_id or os.environ.get("CLERK_USER_ID") or None
    transport = None
    if args.demo:
        import httpx

        from clerk_mcp_setup.server.sandbox import create_app
        from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

        transport = httpx.ASGITransport(app=create_app(secret_key=DEMO_KEY))
        api_url = "http://sandbox.invalid"
        user_id = user_id or DEMO_IDS["user"]
        _say("DEMO MODE — serving a local sandbox with sample data; nothing touches a real Clerk instance.")
    return ServerConfig(
        tools=tools,
        secret_key=secret_key,
        api_url=api_url,
        user_id=user_id,
        allow_private_metadata=args.allow_private_metadata,
        demo=args.demo,
        timeout=args.timeout,
        missing_key=missing,
        confirm=args.confirm,
        confirm_ttl=args.confirm_ttl,
        approval_timeout=args.approval_timeout,
        allow_fetch_hosts=tuple(args.allow_fetch_host),
        open_browser=not args.no_browser,
        audit_log=args.audit_log,
        discover=is_discover(args.tools),
        transport=transport,
    )


def _serve(config: ServerConfig, verbose: bool) -> int:
    import anyio

    from clerk_mcp_setup.server.app import configure_logging, serve_stdio

    configure_logging(verbose, (config.secret_key or "",))
    try:
        anyio.run(serve_stdio, config)
    except KeyboardInterrupt:
        return 130
    return 0


def http_setup(args: argparse.Namespace) -> tuple[ServerConfig, HttpOptions]:
    """Settings for HTTP mode: hosted when a key is found (flag, vault, env), public otherwise."""
    from clerk_mcp_setup.server.http import HttpOptions

    if args.oauth_issuer and not args.resource_url:
        raise UsageError(
            "--oauth-issuer needs --resource-url: without this server's own URL as the required token audience, "
            "a token your Clerk instance issued for any other application would be accepted here.",
            "Add --resource-url https://<this server's public host>/mcp (the URL clients connect to).",
        )
    tools = select_tools(args)
    secret_key, _ = (DEMO_KEY, None) if args.demo else _find_key(args)
    options = HttpOptions(
        host=args.host,
        port=args.port,
        auth_token=args.auth_token or os.environ.get("CLERK_MCP_AUTH_TOKEN") or None,
        allowed_origins=list(args.allowed_origin),
        allowed_hosts=list(args.allowed_host),
        max_body_bytes=args.max_body,
        max_concurrency=args.max_concurrency,
        read_timeout=args.read_timeout,
        oauth_issuer=args.oauth_issuer,
        resource_url=args.resource_url,
    )
    return server_config(args, tools, secret_key, None), options


def _worker_argv(argv: Sequence[str]) -> list[str]:
    """The options workers need, minus those that must not be repeated or must not sit in the environment."""
    out, skip = [], False
    for item in argv:
        if skip:
            skip = False
            continue
        name = item.split("=", 1)[0]
        if name in ("--workers", "--secret-key", "--sk", "--secretKey", "--auth-token", "--transport"):
            skip = "=" not in item
            continue
        out.append(item)
    return out


def _serve_http(args: argparse.Namespace, argv: Sequence[str]) -> int:
    import uvicorn

    from clerk_mcp_setup.server.app import configure_logging
    from clerk_mcp_setup.server.http import ENV_CONFIG, create_app, warn_if_exposed
    from clerk_mcp_setup.server.slow import uvicorn_options

    config, options = http_setup(args)
    configure_logging(args.verbose, tuple(s for s in (config.secret_key, options.auth_token) if s))
    warn_if_exposed(options)
    mode = "hosted" if config.secret_key else "public (each request sends X-Clerk-Secret-Key)"
    _say(f"serving {len(config.tools)} tools on http://{options.host}:{options.port}/mcp, {mode} mode")
    log_level = "info" if args.verbose else "warning"
    if args.workers > 1:
        os.environ[ENV_CONFIG] = json.dumps(_worker_argv(argv))
        if config.secret_key and not args.demo:
            os.environ["CLERK_SECRET_KEY"] = config.secret_key
        if options.auth_token:
            os.environ["CLERK_MCP_AUTH_TOKEN"] = options.auth_token
        from uvicorn.supervisors import Multiprocess

        from clerk_mcp_setup.server.sandbox.serve import bind_socket

        config_w = uvicorn.Config(
            "clerk_mcp_setup.server.http:app_from_env",
            factory=True,
            workers=args.workers,
            host=options.host,
            port=options.port,
            log_level=log_level,
            log_config=None,  # its lines go through our redacting handler (configure_logging)
            **uvicorn_options(options.read_timeout),
        )
        # Our own listener with proto=IPPROTO_TCP: uvicorn's multi-worker bind leaves TCP_NODELAY off.
        sock = bind_socket(options.host, options.port)
        sock.set_inheritable(True)
        Multiprocess(config_w, sockets=[sock]).run()
        return 0
    uvicorn.run(
        create_app(config, options),
        host=options.host,
        port=options.port,
        log_level=log_level,
        log_config=None,
        **uvicorn_options(options.read_timeout),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
