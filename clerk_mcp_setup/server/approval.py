"""The one-time approval page: how a local stdio server asks the person, outside the model's channel.

When the client cannot ask (no MCP elicitation), the call waits while a page on 127.0.0.1 opens in the
person's browser (Python's `webbrowser`, so `$BROWSER` is honoured) showing what will be affected, with
Approve and Deny as plain form buttons. The page's URL carries a secret made for this one call; it is
never written to a tool result, a log line or the audit log, so the model cannot reach it. The page checks
the Host header, compares the secret in constant time, accepts one answer per secret, refuses POSTs from
other origins and forbids caching and framing.

The server is the standard library's threaded HTTP server in a daemon thread: one small form needs no
framework, and a thread keeps the MCP event loop free (other calls and pings go on while a person decides).
"""

from __future__ import annotations

import hmac
import html
import json
import secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs

import anyio

Decision = Literal["approved", "denied", "timed-out", "no-browser"]
MAX_FORM_BYTES = 4096
_OPEN = "import sys, webbrowser; sys.exit(0 if webbrowser.open(sys.argv[1]) else 3)"
_HEADERS = {
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}


@dataclass
class Request:
    """One call waiting for a person: what the page shows, and the answer once given."""

    title: str
    summary: str
    arguments: dict[str, Any]
    answered: threading.Event = field(default_factory=threading.Event)
    answer: str | None = None


class ApprovalPage:
    """Serves pending approvals on an ephemeral 127.0.0.1 port, started at the first question."""

    def __init__(self, timeout: float = 120.0, open_browser: bool = True) -> None:
        self.timeout = timeout
        self.open_browser = open_browser
        self.pending: dict[str, Request] = {}
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, name="approval-page", daemon=True).start()
            self._server = server
        return int(self._server.server_address[1])

    def find(self, given: str) -> tuple[str, Request] | None:
        """The pending request whose secret is `given`, compared in constant time against every one."""
        found = None
        with self.lock:
            for secret, request in self.pending.items():
                if hmac.compare_digest(secret.encode(), given.encode()):
                    found = (secret, request)
        return found

    def answer(self, given: str, decision: str) -> bool:
        """Record the person's answer; False when the secret is unknown or already answered (single use)."""
        with self.lock:
            for secret in list(self.pending):
                if hmac.compare_digest(secret.encode(), given.encode()):
                    request = self.pending.pop(secret)
                    request.answer = decision
                    request.answered.set()
                    return True
        return False

    async def ask(self, title: str, summary: str, arguments: dict[str, Any]) -> Decision:
        """Open the page and wait (without blocking the event loop) for Approve, Deny or the timeout."""
        if not self.open_browser:
            return "no-browser"
        secret = secrets.token_urlsafe(32)
        request = Request(title, summary, arguments)
        with self.lock:
            self.pending[secret] = request
        url = f"http://127.0.0.1:{self.port}/approve/{secret}"
        try:
            # A child process opens the browser: a launcher that writes to stdout would otherwise corrupt the
            # MCP stream, and some (text browsers, $BROWSER scripts) only return once the page is closed.
            launcher = subprocess.Popen(
                [sys.executable, "-c", _OPEN, url],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + self.timeout
            while not request.answered.is_set():
                code = launcher.poll()
                if code not in (None, 0):
                    return "no-browser"
                if time.monotonic() >= deadline:
                    return "timed-out"
                await anyio.sleep(0.05)
            return "approved" if request.answer == "approve" else "denied"
        finally:
            with self.lock:
                self.pending.pop(secret, None)

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _page(request: Request, secret: str) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td><code>{html.escape(json.dumps(v, ensure_ascii=False))}</code></td></tr>"
        for k, v in request.arguments.items()
    )
    token = html.escape(secret, quote=True)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Approve a Clerk change?</title>"
        "<style>body{font:16px system-ui,sans-serif;max-width:44em;margin:2em auto;padding:0 1em}"
        "pre{white-space:pre-wrap;background:#f4f4f4;padding:1em}th{text-align:left;padding-right:1em}"
        "button{font-size:1.1em;padding:.5em 1.5em;margin-right:1em}</style></head><body>"
        f"<h1>{html.escape(request.title)}</h1>"
        "<p>An AI agent wants to make this change to your Clerk instance. Nothing happens unless you approve.</p>"
        f"<pre>{html.escape(request.summary)}</pre>"
        f"<table>{rows}</table>"
        f'<form method=post><input type=hidden name=secret value="{token}">'
        "<button name=decision value=approve type=submit>Approve</button>"
        "<button name=decision value=deny type=submit>Deny</button></form>"
        "</body></html>"
    )


def _handler_for(page: ApprovalPage) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 10  # a stalled local connection never holds a thread for long
        server_version = "clerk-mcp-approval"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: the default logs the request line, which holds the secret."""

        def _send(self, status: int, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in _HEADERS.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _origin(self) -> str:
            return f"http://127.0.0.1:{page.port}"

        def _secret(self) -> str | None:
            """The secret from the path, once the Host header proves the request is for this page."""
            if self.headers.get("Host") != f"127.0.0.1:{page.port}":
                self._send(421, "<p>Wrong host.</p>")
                return None
            prefix = "/approve/"
            if not self.path.startswith(prefix) or "?" in self.path:
                self._send(404, "<p>Not found.</p>")
                return None
            return self.path[len(prefix) :]

        def do_GET(self) -> None:
            secret = self._secret()
            if secret is None:
                return
            found = page.find(secret)
            if found is None:
                self._send(404, "<p>This approval link is not valid: already answered, expired, or mistyped.</p>")
                return
            self._send(200, _page(found[1], found[0]))

        def do_POST(self) -> None:
            secret = self._secret()
            if secret is None:
                return
            origin = self.headers.get("Origin")
            if origin is not None and origin != self._origin():
                self._send(403, "<p>Refused: this form can only be sent from its own page.</p>")
                return
            if self.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
                self._send(403, "<p>Refused: this form can only be sent from its own page.</p>")
                return
            if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/x-www-form-urlencoded":
                self._send(415, "<p>Send the form.</p>")
                return
            try:
                length = int(self.headers.get("Content-Length") or "0")
            except ValueError:
                length = -1
            if not 0 < length <= MAX_FORM_BYTES:
                self._send(413, "<p>Bad form.</p>")
                return
            form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
            given = (form.get("secret") or [""])[0]
            decision = (form.get("decision") or [""])[0]
            if decision not in ("approve", "deny") or not hmac.compare_digest(given.encode(), secret.encode()):
                self._send(400, "<p>Bad form.</p>")
                return
            if not page.answer(secret, decision):
                self._send(404, "<p>This approval link is not valid: already answered, expired, or mistyped.</p>")
                return
            done = "Approved: the change runs now." if decision == "approve" else "Denied: nothing was changed."
            self._send(200, f"<h1>{done}</h1><p>You can close this tab.</p>")

    return Handler
