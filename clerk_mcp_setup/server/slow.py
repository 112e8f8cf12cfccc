"""Slow clients cannot starve the HTTP server: deadlines for a request's headers and for its body.

uvicorn times out idle keep-alive connections but not a request whose headers or body trickle in, so a few
dozen connections sending a byte now and then would hold their sockets (and, with the body read inside the
app, the concurrency slots) forever. Two small pieces close that gap:

- `GuardedH11`, uvicorn's h11 protocol with a deadline for each request's headers: a connection that has
  not sent complete headers within `header_timeout` seconds is closed;
- `read_body`, used by the gate in front of `/mcp` *before* it takes a concurrency slot: the whole body must
  arrive within the deadline (and under the size cap), or the client gets 408/413 and the connection closes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
from starlette.types import Message, Receive
from uvicorn.protocols.http.h11_impl import H11Protocol

DEFAULT_READ_TIMEOUT = 10.0


class GuardedH11(H11Protocol):
    """h11 with a header deadline per request (uvicorn has none); `header_timeout` is set at start-up."""

    header_timeout: float = DEFAULT_READ_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:  # still waiting for a request's headers
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self._header_timer is None:
            self._arm()  # the next request on a kept-alive connection gets its own deadline
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before:  # complete headers arrived: the body's deadline is the gate's
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class BodyProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def read_body(receive: Receive, timeout: float, max_bytes: int) -> bytes | None:
    """The whole request body within `timeout` seconds; None if the client went away; BodyProblem if too
    slow (408) or too large (413)."""
    chunks: list[bytes] = []
    size = 0
    with anyio.move_on_after(timeout) as scope:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_bytes:
                raise BodyProblem(413, f"The request body is larger than {max_bytes} bytes.")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
    if scope.cancelled_caught:
        raise BodyProblem(408, f"The request body did not arrive within {timeout:g} s.")
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then whatever the client sends next."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


def uvicorn_options(read_timeout: float) -> dict[str, Any]:
    """What uvicorn needs for the header deadline (set on the class so worker processes, which import it,
    get it through `app_from_env` too)."""
    GuardedH11.header_timeout = read_timeout
    return {"http": GuardedH11, "h11_max_incomplete_event_size": 16 * 1024}
