"""The loopback redirect (RFC 8252 §7.3): a one-shot listener on 127.0.0.1 that catches the authorization
response, and the browser opened through Python's `webbrowser` (so `$BROWSER` is honoured).

The MCP SDK's OAuth client asks for a redirect handler and a callback handler but ships neither; this is the
small piece it leaves to the application. The standard library's `http.server` is enough for one request.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
from mcp.shared.auth import AuthorizationCodeResult

from clerk_mcp_setup.errors import ClerkMcpError

CALLBACK_PATH = "/callback"
_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Signed in</title>"
    b"<p>Signed in. You can close this tab and return to your AI client.</p>"
)


class SignInError(ClerkMcpError):
    """The sign-in could not finish (the person refused, the authorization server answered an error, timeout)."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != CALLBACK_PATH:
            self.send_error(404)
            return
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(_PAGE)
        if self.server.result is None:
            self.server.result = query
            self.server.done.set()

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(HTTPServer):
    result: dict[str, str] | None = None
    done: threading.Event


class LoopbackCallback:
    """Listens on 127.0.0.1 (a given port, else an ephemeral one) until the browser comes back."""

    def __init__(self, port: int = 0) -> None:
        try:
            self._server = _Server(("127.0.0.1", port), _Handler)
        except OSError:
            if not port:
                raise
            self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.done = threading.Event()
        self.port = self._server.server_address[1]
        self.redirect_uri = f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="oauth-callback", daemon=True)
        self._thread.start()

    async def wait(self, timeout: float) -> AuthorizationCodeResult:
        """The code, state and issuer of the authorization response; raises `SignInError` on an error or timeout."""
        done = self._server.done
        arrived = await anyio.to_thread.run_sync(done.wait, timeout, abandon_on_cancel=True)
        query = self._server.result or {}
        self._server.result = None  # ready for another round, should the server ask again
        done.clear()
        if not arrived:
            raise SignInError(
                f"No answer from the browser within {timeout:g} s.",
                "Finish signing in in the browser window, or run the login again.",
            )
        if "error" in query:
            detail = query.get("error_description") or query["error"]
            raise SignInError(f"The authorization server refused the sign-in: {detail}.")
        if not query.get("code"):
            raise SignInError("The authorization server sent no authorization code back.")
        return AuthorizationCodeResult(code=query["code"], state=query.get("state"), iss=query.get("iss"))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown()
            self._server.server_close()


def open_browser(url: str) -> None:
    """Open `url` with Python's `webbrowser` in a child process whose output goes nowhere.

    A child, because a `$BROWSER` script inherits our stdout, which in the bridge is the MCP channel.
    """
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "webbrowser", "-t", url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=os.environ.copy(),
        )
