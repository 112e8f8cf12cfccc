"""Verify entries with live rows (an event as each starts and ends), then record the outcome as the CLI does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.verify.core import VerifyResult, record_outcome, verify_all

OnEvent = Callable[[int, VerifyResult | None], None]


async def verify_and_record(
    records: Sequence[Record], on_event: OnEvent, *, timeout: float, check_key: bool = False, concurrency: int = 4
) -> list[VerifyResult]:
    """`verify_all` with `on_event(i, None)` when entry i starts and `(i, result)` when it ends; the outcome
    is stored with `record_outcome`, the same record `clerk-mcp-setup verify` keeps."""
    results = await verify_all(
        records, timeout=timeout, check_key=check_key, concurrency=concurrency, on_event=on_event
    )
    await asyncio.to_thread(record_outcome, records, results)
    return results
