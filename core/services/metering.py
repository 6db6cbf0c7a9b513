"""What calls cost, and charging them once, when they end.

A call is charged from the moment it was answered to its end, at its
organization's plan rate (credits per minute), counted per started minute or
per second as the plan says; unanswered calls cost nothing. The billed length
never exceeds the call's time limit (a call the janitor ends late is not
billed for the wait).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from core.call_snapshot import CallSnapshot
from core.services.credits import CreditKind, LedgerOutcome, apply_in_transaction, balance_of
from core.settings import Settings
from orm.models import Call, Subscription
from orm.queries import flat_values


@dataclass(frozen=True)
class Rate:
    credits_per_minute: int
    increment: str  # "minute" or "second"


def call_cost(duration_seconds: int, rate: Rate) -> int:
    if duration_seconds <= 0 or rate.credits_per_minute <= 0:
        return 0
    if rate.increment == "second":
        return math.ceil(duration_seconds * rate.credits_per_minute / 60)
    return math.ceil(duration_seconds / 60) * rate.credits_per_minute


async def rate_for(organization_id: uuid.UUID, settings: Settings) -> Rate:
    subscription = await Subscription.get_or_none(organization_id=organization_id).select_related(
        "plan"
    )
    plan = subscription.plan if subscription is not None else None
    if plan is None:
        return Rate(settings.default_credits_per_minute, "minute")
    return Rate(plan.credits_per_minute, plan.billing_increment)


def billable_seconds(call: Call) -> int:
    if call.answered_at is None or call.ended_at is None:
        return 0
    limit = CallSnapshot.from_stored(call.snapshot).max_call_duration_seconds
    talk = (call.ended_at - call.answered_at).total_seconds()
    if talk <= 0:
        return 0
    # Whole seconds, as the carrier counts them; any talk at all is at least one second.
    return min(limit, max(1, round(talk)))


async def charge_ended_call(call: Call, settings: Settings) -> LedgerOutcome | None:
    """Inside the transaction that ends the call: charge it once (reference call:<id>)."""
    if call.organization_id is None:
        return None
    seconds = billable_seconds(call)
    rate = await rate_for(call.organization_id, settings)
    cost = call_cost(seconds, rate)
    if cost == 0:
        return None
    return await apply_in_transaction(
        organization_id=call.organization_id,
        amount=-cost,
        kind=CreditKind.CHARGE,
        reason=f"Call of {seconds} s at {rate.credits_per_minute} credits/min per {rate.increment}",
        reference=f"call:{call.id}",
        settings=settings,
        call_id=call.id,
        data={
            "seconds": seconds,
            "credits_per_minute": rate.credits_per_minute,
            "increment": rate.increment,
        },
    )


async def credits_cover(
    *, call: Call, rate: Rate, ahead_seconds: float, now: datetime | None = None
) -> bool:
    """Whether the organization's balance pays for this call until `ahead_seconds` from now.

    The organization's other answered calls spend the same balance but are charged only when
    they end, so what they have used so far is set aside first.
    """
    now = now or datetime.now(UTC)
    organization_id = call.organization_id
    if organization_id is None:  # a refused call: no organization pays for it
        return False
    elapsed = int((now - (call.answered_at or call.created_at)).total_seconds())
    needed = call_cost(elapsed + math.ceil(ahead_seconds), rate)
    others = await _running_cost(organization_id, exclude=call.id, now=now, rate=rate)
    return await balance_of(organization_id) - others >= needed


async def _running_cost(
    organization_id: uuid.UUID, *, exclude: uuid.UUID, now: datetime, rate: Rate
) -> int:
    """What the organization's other answered calls have used so far (charged when they end)."""
    answered = await flat_values(
        Call.filter(
            organization_id=organization_id, status="in_progress", answered_at__isnull=False
        ).exclude(id=exclude),
        "answered_at",
    )
    return sum(call_cost(int((now - at).total_seconds()), rate) for at in answered)
