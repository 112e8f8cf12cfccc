"""Verify entries one by one as results arrive (for live rows), then record the outcome as the CLI does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from clerk_mcp_setup import installer
from clerk_mcp_setup.manifest import Record
from clerk_mcp_setup.verify import VerifyResult, verify_record

OnEvent = Callable[[int, VerifyResult | None], None]


async def verify_and_record(
    records: Sequence[Record], on_event: OnEvent, *, timeout: float, check_key: bool = False, concurrency: int = 4
) -> list[VerifyResult]:
    """`verify_all`'s work, but calling `on_event(i, None)` when entry i starts and `(i, result)` when it ends.

    The outcome is stored with `installer.mark_verified`, the same record `clerk-mcp-setup verify` keeps.
    """
    limiter = asyncio.Semaphore(max(1, concurrency))

    async def one(i: int, record: Record) -> VerifyResult:
        async with limiter:
            on_event(i, None)
            result = await verify_record(record, timeout=timeout, check_key=check_key)
            on_event(i, result)
            return result

    results = list(await asyncio.gather(*(one(i, r) for i, r in enumerate(records))))
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    outcome = {(r.client, r.path, tuple(r.key_path), r.name): v.ok for r, v in zip(records, results, strict=True)}
    await asyncio.to_thread(installer.mark_verified, outcome, stamp)
    return results
