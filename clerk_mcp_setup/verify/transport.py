"""A stdio transport for verification that sees what the SDK's own one hides.

The SDK's `stdio_client` always adds the parent's PATH, SHELL and TERM to the child's environment, and it
does not tell why a session ended. To start an entry exactly as a GUI client would (only the entry's env,
a minimal PATH) and to say *why* it failed (exit code, junk on stdout), we spawn the process ourselves and
hand the `mcp` client the same pair of streams.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import anyio
import mcp_types as types
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.shared.message import SessionMessage


@dataclass
class ProcessState:
    """What the transport learned about the child: its exit code and any non-protocol stdout lines."""

    returncode: int | None = None
    junk: list[str] = field(default_factory=list)
    exited_early: bool = False


@asynccontextmanager
async def spawn_stdio(
    argv: Sequence[str], env: Mapping[str, str], errlog: IO[Any], state: ProcessState, cwd: str | None = None
) -> AsyncIterator[tuple[MemoryObjectReceiveStream[Any], MemoryObjectSendStream[SessionMessage]]]:
    """Start `argv` with exactly `env`, speak newline-delimited JSON-RPC on its stdio, kill its group at the end."""
    process = await anyio.open_process(
        list(argv), env=dict(env), stderr=errlog, cwd=cwd, start_new_session=os.name == "posix"
    )
    read_writer, read_stream = anyio.create_memory_object_stream[Any](0)
    write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)
    closing = False

    async def reader() -> None:
        assert process.stdout
        buffer = b""
        async with read_writer:
            with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError):
                async for chunk in process.stdout:
                    *lines, buffer = (buffer + chunk).split(b"\n")
                    for line in lines:
                        if not line.strip():
                            continue
                        try:
                            message = types.jsonrpc_message_adapter.validate_json(line, by_name=False)
                        except ValueError as exc:
                            state.junk.append(line[:200].decode("utf-8", "replace"))
                            await read_writer.send(exc)
                            continue
                        await read_writer.send(SessionMessage(message))
        if not closing:
            state.exited_early = True

    async def writer() -> None:
        assert process.stdin
        with contextlib.suppress(anyio.ClosedResourceError, anyio.BrokenResourceError, OSError):
            async with write_reader:
                async for item in write_reader:
                    data = item.message.model_dump_json(by_alias=True, exclude_unset=True) + "\n"
                    await process.stdin.send(data.encode())

    async with anyio.create_task_group() as tg:
        tg.start_soon(reader)
        tg.start_soon(writer)
        grace = 1.0
        try:
            yield read_stream, write_stream
        except anyio.get_cancelled_exc_class():
            grace = 0.0  # the deadline passed: a hung server will not stop politely, and waiting would overrun it
            raise
        finally:
            closing = True
            with anyio.CancelScope(shield=True):
                await _stop(process, grace)
                state.returncode = process.returncode
            tg.cancel_scope.cancel()


async def _stop(process: anyio.abc.Process, grace: float = 1.0) -> None:
    """Close stdin, give the server `grace` seconds, then kill its whole process group."""
    if process.stdin:
        with contextlib.suppress(Exception):
            await process.stdin.aclose()
    with anyio.move_on_after(grace):
        await process.wait()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    with anyio.move_on_after(2.0):
        await process.wait()
