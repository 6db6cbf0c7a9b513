"""Claiming durable jobs: rows that say what work is owed, shared by every replica.

Partner webhook deliveries and post-call analyses are rows with `status`, `next_attempt_at`
and `claimed_until` (DESIGN.md, "durable background work"). A runner claims a batch of due
rows by setting their lease (`claimed_until`), works on them, and writes the outcome, which
clears the lease. A runner that dies leaves leases that expire, and the rows are due again.

On PostgreSQL the batch is chosen with `SELECT ... FOR UPDATE SKIP LOCKED` inside the
claiming transaction, so runners in many replicas never wait on each other's rows and never
take the same one. SQLite has neither row locks nor concurrent writers: each row is claimed
by an update that only succeeds while its lease is free, the way the mail sender does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from tortoise import connections
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.transactions import in_transaction

PENDING = "pending"


JobModel = TypeVar("JobModel", bound=Model)


def lease_is_free(now: datetime) -> Q:
    """Rows nobody holds: never claimed, or their claim ran out."""
    return Q(claimed_until=None) | Q(claimed_until__lt=now)


def _row_locks() -> bool:
    return connections.get("default").capabilities.dialect == "postgres"


async def claim_due(
    model: type[JobModel],
    *,
    lease_seconds: float,
    limit: int,
    where: Q | None = None,
    now: datetime | None = None,
) -> list[JobModel]:
    """Claim up to `limit` pending rows of `model` that are due (and match `where`), oldest
    due first, for `lease_seconds`. Every returned row is held by this caller alone."""
    now = now or datetime.now(UTC)
    until = now + timedelta(seconds=lease_seconds)
    due = Q(lease_is_free(now), status=PENDING, next_attempt_at__lte=now)
    if where is not None:
        due &= where
    if _row_locks():
        async with in_transaction():
            rows = (
                await model.filter(due)
                .order_by("next_attempt_at")
                .limit(limit)
                .select_for_update(skip_locked=True)
            )
            if rows:
                await model.filter(id__in=[row.pk for row in rows]).update(claimed_until=until)
        for row in rows:
            row.claimed_until = until
        return list(rows)
    candidates = await model.filter(due).order_by("next_attempt_at").limit(limit)
    claimed: list[JobModel] = []
    for row in candidates:
        # Only one updater sees the lease free; the others update nothing.
        if await model.filter(due, id=row.pk).update(claimed_until=until):
            row.claimed_until = until
            claimed.append(row)
    return claimed


async def release(model: type[Model], ids: Sequence[object]) -> None:
    """Give claimed rows back untouched (a runner shutting down before it started them)."""
    if ids:
        await model.filter(id__in=list(ids)).update(claimed_until=None)
