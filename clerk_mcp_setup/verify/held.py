"""Verify runs only what we wrote: an entry edited since clerk-mcp-setup wrote it is held back.

Starting an entry executes whatever command its file names now (a `git pull` can change a project's
`.mcp.json`), so such an entry gets a "not-started" result saying what it would run, unless the person
asked for it by name (`--allow-edited`, or a confirmation in the manager that shows the command).
"""

from __future__ import annotations

from clerk_mcp_setup.install import repair
from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.verify.core import VerifyResult

NOT_STARTED = "not-started"


def not_started(record: Record) -> VerifyResult | None:
    """The result for an entry we will not start, or None when it may run."""
    why = repair.held_back(record)
    if why is None:
        return None
    return VerifyResult(record.client, record.scope, record.name, record.path, NOT_STARTED, evidence=[why])
