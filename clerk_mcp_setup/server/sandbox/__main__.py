"""`python -m clerk_mcp_setup.server.sandbox`: serve the sandbox in the foreground for benchmarks.

The first line on stdout is the base URL (without `/v1`), flushed before serving, so a script can
start it with `--port 0` and read where it listens.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import create_app
from .serve import base_url, bind_socket, make_server


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m clerk_mcp_setup.server.sandbox",
        description="A local fake of Clerk's Backend API with demo data.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--secret-key", help="accept only this bearer key (default: any sk_test_/sk_live_ key)")
    parser.add_argument("--empty", action="store_true", help="start with no demo data")
    args = parser.parse_args(argv)
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    url = base_url(args.host, sock.getsockname()[1])
    print(url, flush=True)
    print(
        f"sandbox: fake Clerk Backend API at {url}/v1 ({'empty' if args.empty else 'demo data'}); "
        f"controls at {url}/__sandbox/; Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    server = make_server(create_app(secret_key=args.secret_key, seed=not args.empty))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        return 130
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
