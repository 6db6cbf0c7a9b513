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

from core.services.credits import CreditKind, LedgerOutcome, apply_in_transaction
from core.settings import Settings
from orm.models import Call, Subscription


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
    limit = int((call.snapshot or {}).get("max_call_duration_seconds") or 4 * 3600)
    talk = (call.ended_at - call.answered_at).total_seconds()
    if talk <= 0:
        return 0
    # Whole seconds, as the carrier counts them; any talk at all is at least one second.
    return min(limit, max(1, round(talk)))


async def charge_ended_call(call: Call, settings: Settings) -> LedgerOutcome | None:
    """Inside the transaction that ends the call: charge it once (reference call:<id>)."""
    if call.organization_id is None:  # type: ignore[attr-defined]
        return None
    seconds = billable_seconds(call)
    rate = await rate_for(call.organization_id, settings)  # type: ignore[attr-defined]
    cost = call_cost(seconds, rate)
    if cost == 0:
        return None
    return await apply_in_transaction(
        organization_id=call.organization_id,  # type: ignore[attr-defined]
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
