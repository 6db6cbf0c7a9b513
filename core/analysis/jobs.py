"""Queueing a call's analysis: a row written in the transaction that ends the call.

The row is the durable job (DESIGN.md, "durable background work"): any runner claims it
when it is due (core/jobs.py), so analysis never holds up the end of the call or its
charge, and an analysis owed is not lost when a process stops.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.analysis.result import AnalysisStatus
from core.call_snapshot import CallSnapshot
from core.settings import Settings
from orm.models import Call, CallAnalysis


def is_owed(call: Call, settings: Settings) -> bool:
    """An answered call of an organization, on a platform and under a plan that analyse."""
    if not settings.analysis_enabled or call.organization_id is None or call.answered_at is None:
        return False
    return CallSnapshot.from_stored(call.snapshot).analysis_plan.enabled


async def queue_in_transaction(call: Call, settings: Settings) -> CallAnalysis | None:
    """Inside the transaction that ends the call (holding its row): queue its analysis, once.

    Due `ANALYSIS_DELAY_SECONDS` after the end, when the worker has written the call's last
    lines of transcript."""
    if not is_owed(call, settings):
        return None
    # The caller holds the call's row, so nobody else queues for it meanwhile; checking
    # first keeps a PostgreSQL transaction from being aborted by a unique violation.
    existing = await CallAnalysis.get_or_none(call_id=call.id)
    if existing is not None:
        return existing
    assert call.organization_id is not None  # is_owed
    ended_at = call.ended_at or datetime.now(UTC)
    return await CallAnalysis.create(
        call_id=call.id,
        organization_id=call.organization_id,
        status=AnalysisStatus.PENDING.value,
        next_attempt_at=ended_at + timedelta(seconds=settings.analysis_delay_seconds),
    )
