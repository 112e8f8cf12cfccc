"""`clerk-mcp-setup`: the installer's command line.

It parses arguments into an installer request, shows the plan, and applies it; results go to stdout,
messages to stderr, `--json` gives data. With no arguments on a terminal it opens the wizard (Textual is
imported only then, so the non-interactive paths stay fast).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence

from clerk_mcp_setup import __version__
from clerk_mcp_setup.errors import EXIT_CONFIG, EXIT_FAILURE, EXIT_USAGE, ClerkMcpError, UsageError
from clerk_mcp_setup.pipes import quiet_on_closed_pipe
from clerk_mcp_setup.secrets import STORAGES

SUBCOMMANDS = ("status", "verify", "refresh", "uninstall", "restore", "manage", "migrate")
SIGN_IN_COMMANDS = ("login", "logout", "doctor")  # remote servers' OAuth sign-in (signin_commands.py)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="show the diff of every file; write nothing")
    parser.add_argument("-y", "--yes", action="store_true", help="apply without asking")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _verify_options(parser: argparse.ArgumentParser, optional: bool) -> None:
    if optional:
        parser.add_argument("--no-verify", action="store_true", help="do not start the written entries to check them")
    parser.add_argument("--check-key", action="store_true", help="also make one read-only API call with the key")
    parser.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS", help="per entry (default 20)")
    parser.add_argument(
        "--allow-edited",
        action="store_true",
        help="also start entries changed since clerk-mcp-setup wrote them (runs whatever they now name)",
    )


def install_parser() -> argparse.ArgumentParser:
    from clerk_mcp_setup.clients import CLIENT_IDS

    p = argparse.ArgumentParser(
        prog="clerk-mcp-setup",
        description="Install the bundled Clerk MCP server into your AI clients without damaging their config "
        "files. With no arguments on a terminal, opens the wizard.",
        epilog="Other commands: clerk-mcp-setup status | verify | refresh | uninstall | restore | migrate | manage | "
        "login | logout | doctor (each has --help). "
        "The server itself: clerk-mcp-server --help.",
    )
    p.add_argument("--version", action="version", version=f"clerk-mcp-setup {__version__}")
    p.add_argument(
        "-c",
        "--client",
        action="append",
        default=[],
        metavar="ID",
        help=f"client to install into (repeatable): {', '.join(CLIENT_IDS)}",
    )
    p.add_argument("--all-detected", action="store_true", help="every client found on this machine")
    p.add_argument("--scope", choices=("user", "project", "local"), help="config scope (default user)")
    p.add_argument(
        "--project", nargs="?", const=".", metavar="DIR", help="project scope, in DIR (default: the current directory)"
    )
    p.add_argument("--name", help="entry name (default clerk; e.g. clerk-dev beside clerk-prod)")
    p.add_argument(
        "--profile",
        metavar="NAME[,NAME]",
        help="VS Code profiles to write (default: the active one; 'all' for every profile)",
    )
    p.add_argument(
        "-t",
        "--tools",
        nargs="+",
        action="extend",
        metavar="PATTERN",
        help="tool scope, the server's --tools grammar (default: @default, the 19 agent-toolkit tools + 5 list tools)",
    )
    p.add_argument("--read-only", action="store_true", help="only tools that change nothing")
    key = p.add_argument_group("the secret key")
    key.add_argument("--secret-key", metavar="KEY", help="the key (prefer --secret-key-stdin or $CLERK_SECRET_KEY)")
    key.add_argument("--secret-key-stdin", action="store_true", help="read the key from standard input")
    key.add_argument("--key-env", metavar="VAR", help="the client reads the key from environment variable VAR")
    key.add_argument(
        "--key-storage",
        choices=STORAGES,
        help="vault (default: OS keyring or a private file), input (VS Code prompts), env, plain, none",
    )
    key.add_argument("--force-plain-text", action="store_true", help="allow a plain-text key in a project file")
    key.add_argument(
        "--use-stored-key",
        metavar="SLOT",
        help="use a key already in the vault (`clerk-mcp-setup status` lists them) instead of giving one",
    )
    p.add_argument("--remote", metavar="URL", help="point clients at a team's HTTP server instead")
    p.add_argument("--header", action="append", default=[], metavar="'K: V'", help="header for --remote")
    remote = p.add_argument_group("remote servers with sign-in (OAuth)")
    remote.add_argument(
        "--server",
        choices=("bundled", "clerk-hosted"),
        default="bundled",
        help="clerk-hosted: Clerk's hosted MCP server (https://mcp.clerk.com/mcp, SDK snippets; sign-in), "
        "named clerk-docs unless --name, beside the bundled server",
    )
    remote.add_argument(
        "--sign-in",
        choices=("auto", "oauth", "none"),
        default="auto",
        help="whether the --remote URL asks for OAuth sign-in (auto: ask the server)",
    )
    remote.add_argument(
        "--via-bridge",
        action="append",
        default=[],
        metavar="ID",
        help="give client ID (or 'all') our signing-in bridge instead of its own URL entry",
    )
    p.add_argument(
        "--secret-header",
        action="append",
        default=[],
        metavar="NAME",
        help="treat header NAME as a secret (Authorization, *token*, *key*… and credential-looking values already are)",
    )
    p.add_argument("--api-url", metavar="URL", help="Clerk Backend API URL the server uses")
    p.add_argument("--demo", action="store_true", help="install the server in demo mode (sandbox data, no key)")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace an entry under this name that clerk-mcp-setup did not write (backed up; uninstall restores it)",
    )
    p.add_argument("--force", action="store_true", help="write config files that are marked read-only")
    _verify_options(p, optional=True)
    _common(p)
    return p


def sub_parser(command: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"clerk-mcp-setup {command}")
    if command == "status":
        p.add_argument("--json", action="store_true")
        p.add_argument("--verify", action="store_true", help="also start every entry and list its tools")
        _verify_options(p, optional=False)
        p.description = "What is installed where, and which clients this machine has."
        return p
    if command == "verify":
        p.description = "Start every installed entry as its client would and list its tools."
        p.add_argument("-c", "--client", action="append", default=[], metavar="ID")
        p.add_argument("--name")
        p.add_argument("--json", action="store_true")
        _verify_options(p, optional=False)
        return p
    if command == "migrate":
        from clerk_mcp_setup.migrate_cli import add_arguments

        add_arguments(p)
        _common(p)
        return p
    if command == "manage":
        p.description = "Open the wizard's manager: installed entries with refresh, verify, uninstall, restore."
        return p
    if command == "restore":
        p.description = "Put a backup of a config file back (the current file is backed up first)."
        p.add_argument("file", help="the config file to restore")
        p.add_argument("--backup", help="which backup (default: the newest)")
        p.add_argument("--list", action="store_true", help="list the backups of FILE")
        _common(p)
        return p
    p.description = {
        "refresh": "Re-render installed entries (new paths after an upgrade, new options).",
        "uninstall": "Remove the entries clerk-mcp-setup wrote.",
    }[command]
    p.add_argument("-c", "--client", action="append", default=[], metavar="ID")
    p.add_argument("--name")
    p.add_argument("--force", action="store_true", help="also entries edited by hand since, and read-only files")
    if command == "uninstall":
        p.add_argument("--purge-key", action="store_true", help="also delete the key from the vault")
    else:
        _verify_options(p, optional=True)
    _common(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """The console script: the command, quiet when its output pipe closes early."""
    return quiet_on_closed_pipe(_main, argv)


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args_list:
            return _no_arguments()
        if args_list[0] == "manage":
            sub_parser("manage").parse_args(args_list[1:])
            return _no_arguments(start="manage")
        if args_list[0] in SIGN_IN_COMMANDS:
            from clerk_mcp_setup import signin_commands

            return signin_commands.main(args_list[0], args_list[1:])
        if args_list[0] == "migrate":
            from clerk_mcp_setup import migrate_cli

            return migrate_cli.run(sub_parser("migrate").parse_args(args_list[1:]))
        if args_list[0] in SUBCOMMANDS:
            args = sub_parser(args_list[0]).parse_args(args_list[1:])
            from clerk_mcp_setup import commands

            return getattr(commands, args_list[0])(args)
        args = install_parser().parse_args(args_list)
        from clerk_mcp_setup import commands
        from clerk_mcp_setup.signin_commands import apply_preset

        apply_preset(args)

        return commands.install(args, read_key=_read_key(args))
    except ClerkMcpError as exc:
        return _fail(exc.message, exc.hint, exc.exit_code or EXIT_FAILURE, "--json" in args_list)
    except BrokenPipeError:
        raise  # our reader went away (`| head`): main() exits quietly, this is no disk error
    except OSError as exc:  # a permission or disk error outside the safe-write paths: no traceback
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(
            f"{exc.strerror or exc}{where}; nothing more was written",
            "check the permissions of that path (and of the config and state directories) and the free disk space",
            EXIT_CONFIG,
            "--json" in args_list,
        )
    except KeyboardInterrupt:
        print("clerk-mcp-setup: cancelled; nothing more was written.", file=sys.stderr)
        return 130


def _fail(message: str, hint: str | None, code: int, as_json: bool) -> int:
    """An error as the person asked for output: text on stderr, or JSON on stdout under --json."""
    if as_json:
        print(json.dumps({"error": {"message": message, "hint": hint, "exit_code": code}}, indent=2))
    else:
        print(f"clerk-mcp-setup: {message}" + (f"\nhint: {hint}" if hint else ""), file=sys.stderr)
    return code


def _no_arguments(start: str = "clients") -> int:
    if sys.stdin.isatty() and sys.stdout.isatty():
        try:
            from clerk_mcp_setup.tui.app import run_wizard
        except ImportError:
            print(
                "clerk-mcp-setup: the wizard is not part of this build yet; use --client (see --help).", file=sys.stderr
            )
            return EXIT_USAGE
        return run_wizard(start)
    if start == "manage":
        print("clerk-mcp-setup: manage needs a terminal; use status, refresh, uninstall, restore.", file=sys.stderr)
        return EXIT_USAGE
    install_parser().print_help(sys.stderr)
    print("\nclerk-mcp-setup: no terminal for the wizard; pass --client … --yes (or --dry-run).", file=sys.stderr)
    return EXIT_USAGE


def _read_key(args: argparse.Namespace) -> str | None:
    """The key from --secret-key-stdin, --secret-key or $CLERK_SECRET_KEY; asked for on a terminal if needed."""
    if args.secret_key_stdin:
        key = sys.stdin.readline().strip()
        if not key:
            raise UsageError("--secret-key-stdin was given but standard input was empty.")
        return key
    if args.secret_key:
        return str(args.secret_key).strip()
    env_key = os.environ.get("CLERK_SECRET_KEY", "").strip()
    if env_key:
        return env_key
    storage = args.key_storage or ("env" if args.key_env else "vault")
    needs = storage in ("vault", "plain") and not args.demo and not args.remote and not args.dry_run
    if needs and storage == "vault" and (args.use_stored_key or _stored_keys_exist()):
        return None  # the installer lists the stored keys and the person chooses (commands.install)
    if needs and sys.stdin.isatty():
        return getpass.getpass("Clerk secret key (sk_live_… or sk_test_…, input hidden): ").strip() or None
    return None


def _stored_keys_exist() -> bool:
    """Whether installed entries use stored keys (then the person chooses one instead of typing a key)."""
    from clerk_mcp_setup.install.keys import stored_keys
    from clerk_mcp_setup.install.manifest import Manifest

    return bool(stored_keys(Manifest.load().records))
