"""Quiet exits when the reader of our output goes away (`clerk-mcp-server --list-tools | head -1`).

Python turns the SIGPIPE a shell tool would die of into a BrokenPipeError, raised where we write or at
exit when stdout is flushed, with a traceback ("Exception ignored … BrokenPipeError") nobody asked for.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

EXIT_PIPE = 141
"""What a shell reports for a program killed by SIGPIPE (128 + 13), as `yes | head -1` does."""


def quiet_on_closed_pipe(main: Callable[[Sequence[str] | None], int], argv: Sequence[str] | None = None) -> int:
    """Run `main`; if stdout's reader has gone, exit 141 without a word (stdout pointed at /dev/null so
    the interpreter's own final flush cannot complain either)."""
    try:
        try:
            return main(argv)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE
