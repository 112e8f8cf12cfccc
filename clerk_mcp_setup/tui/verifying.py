"""Verify entries with live rows (an event as each starts and ends), then record the outcome as the CLI does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from clerk_mcp_setup.install.manifest import Record
from clerk_mcp_setup.verify.core import VerifyResult, record_outcome, verify_all

OnEvent = Callable[[int, VerifyResult | None], None]


async def verify_and_record(
    records: Sequence[Record],
    on_event: OnEvent,
    *,
    timeout: float,
    check_key: bool = False,
    concurrency: int = 4,
    allow_edited: bool = False,
) -> list[VerifyResult]:
    """`verify_all` with `on_event(i, None)` when entry i starts and `(i, result)` when it ends; the outcome
    is stored with `record_outcome`, the same record `clerk-mcp-setup verify` keeps. Entries edited since
    we wrote them are not started (result "not-started") unless `allow_edited` (the person confirmed)."""
    from clerk_mcp_setup.verify.held import not_started

    held = {} if allow_edited else {i: r for i, rec in enumerate(records) if (r := not_started(rec))}
    run = [i for i in range(len(records)) if i not in held]

    def forward(j: int, result: VerifyResult | None) -> None:
        on_event(run[j], result)

    started = await verify_all(
        [records[i] for i in run], timeout=timeout, check_key=check_key, concurrency=concurrency, on_event=forward
    )
    for i, result in held.items():
        on_event(i, result)
    by_index = dict(zip(run, started, strict=True)) | held
    results = [by_index[i] for i in range(len(records))]
    await asyncio.to_thread(record_outcome, [records[i] for i in run], started)
    return results
