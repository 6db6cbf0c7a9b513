"""The credit ledger: the only way an organization's balance moves.

Every grant, purchase, charge and adjustment is a ledger row with a unique
reference, written in the same transaction as a guarded atomic update of the
balance, so the balance always equals the sum of the ledger, and a change
retried any number of times is applied once.
"""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.email import outbox
from core.errors import DescribedEnum, ServiceError
from core.rbac import BuiltinRole
from core.settings import Settings
from orm.models import CreditLedgerEntry, Membership, Organization
from orm.queries import flat_values

log = logging.getLogger(__name__)


class CreditKind(enum.StrEnum):
    GRANT = "grant"  # a plan period's credits
    PURCHASE = "purchase"  # a top-up
    CHARGE = "charge"  # a call
    ADJUSTMENT = "adjustment"  # a platform admin's correction


class CreditErrorCode(DescribedEnum):
    INSUFFICIENT_CREDITS = (
        "insufficient_credits",
        "The balance is too low: the change would take it below zero.",
    )
    INVALID_AMOUNT = (
        "invalid_amount",
        "`amount` is zero or more than 100,000,000 credits either way.",
    )
    INVALID_REASON = "invalid_reason", "`reason` is shorter than 3 or longer than 300 characters."
    DUPLICATE_REFERENCE = (
        "duplicate_reference",
        "`reference` was used already, for an adjustment of another organization.",
    )


@dataclass(frozen=True)
class LedgerOutcome:
    entry: CreditLedgerEntry
    # False when the reference had been applied before: nothing changed this time.
    applied: bool


async def apply(
    *,
    organization_id: uuid.UUID,
    amount: int,
    kind: CreditKind,
    reason: str,
    reference: str,
    settings: Settings,
    allow_negative: bool = True,
    call_id: uuid.UUID | None = None,
    created_by_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> LedgerOutcome:
    """Move the balance by `amount` once per `reference`, in its own transaction."""
    existing = await CreditLedgerEntry.get_or_none(reference=reference)
    if existing is not None:
        return LedgerOutcome(existing, applied=False)
    try:
        async with in_transaction():
            return await apply_in_transaction(
                organization_id=organization_id,
                amount=amount,
                kind=kind,
                reason=reason,
                reference=reference,
                settings=settings,
                allow_negative=allow_negative,
                call_id=call_id,
                created_by_id=created_by_id,
                data=data,
            )
    except IntegrityError:
        # A concurrent retry of the same reference committed first; this one changed nothing.
        return LedgerOutcome(await CreditLedgerEntry.get(reference=reference), applied=False)


async def apply_in_transaction(
    *,
    organization_id: uuid.UUID,
    amount: int,
    kind: CreditKind,
    reason: str,
    reference: str,
    settings: Settings,
    allow_negative: bool = True,
    call_id: uuid.UUID | None = None,
    created_by_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> LedgerOutcome:
    """The same, inside the caller's transaction (e.g. the one that ends a call)."""
    existing = await CreditLedgerEntry.get_or_none(reference=reference)
    if existing is not None:
        return LedgerOutcome(existing, applied=False)
    entry = await CreditLedgerEntry.create(
        organization_id=organization_id,
        amount=amount,
        kind=kind.value,
        reason=reason[:300],
        reference=reference,
        balance_after=0,
        call_id=call_id,
        created_by_id=created_by_id,
        data=data or {},
    )
    guarded = Organization.filter(id=organization_id)
    if amount < 0 and not allow_negative:
        guarded = guarded.filter(credit_balance__gte=-amount)
    # The guard and the change are one statement: no read-modify-write race.
    if not await guarded.update(credit_balance=F("credit_balance") + amount):
        raise ServiceError.single(
            CreditErrorCode.INSUFFICIENT_CREDITS, "The balance is too low for this.", "amount"
        )
    balance = await balance_of(organization_id)
    entry.balance_after = balance
    await entry.save(update_fields=["balance_after", "updated_at"])
    await _mail_on_crossing(organization_id, balance, settings)
    return LedgerOutcome(entry, applied=True)


def get_ledger(*, organization_id: uuid.UUID) -> QuerySet[CreditLedgerEntry]:
    """The organization's balance changes (a queryset, for pagination)."""
    return CreditLedgerEntry.filter(organization_id=organization_id)


async def balance_of(organization_id: uuid.UUID) -> int:
    rows = await flat_values(Organization.filter(id=organization_id), "credit_balance")
    return int(rows[0]) if rows else 0


def alert_state(balance: int, threshold: int) -> str:
    if balance <= 0:
        return "depleted"
    return "low" if balance < threshold else "ok"


_SEVERITY = {"ok": 0, "low": 1, "depleted": 2}


async def _mail_on_crossing(organization_id: uuid.UUID, balance: int, settings: Settings) -> None:
    """Mail the people who pay once per crossing into low or depleted; recovering re-arms it."""
    new_state = alert_state(balance, settings.low_balance_threshold)
    organization = await Organization.get(id=organization_id)
    old_state = organization.balance_alert_state
    if new_state == old_state:
        return
    # Compare-and-set: two concurrent charges crossing together mail once.
    if not await Organization.filter(id=organization_id, balance_alert_state=old_state).update(
        balance_alert_state=new_state
    ):
        return
    if _SEVERITY[new_state] <= _SEVERITY.get(old_state, 0):
        return
    template = "credits_depleted" if new_state == "depleted" else "credits_low"
    for email in await billing_recipients(organization_id):
        await outbox.enqueue(
            to_address=email,
            template=template,
            values={
                "organization": organization.name,
                "balance": str(balance),
                "link": f"{settings.dashboard_url.rstrip('/')}/billing",
            },
        )


async def billing_recipients(organization_id: uuid.UUID) -> list[str]:
    """Who hears about money: the organization's admins and billing members."""
    rows = await flat_values(
        Membership.filter(
            organization_id=organization_id,
            role__key__in=[BuiltinRole.ORG_ADMIN.value, BuiltinRole.BILLING.value],
            user__is_active=True,
        ),
        "user__email",
    )
    return sorted(set(rows))


async def adjust(
    *,
    organization_id: uuid.UUID,
    amount: int,
    reason: str,
    reference: str | None,
    created_by_id: uuid.UUID | None,
    settings: Settings,
) -> LedgerOutcome:
    """A platform admin's correction; it may not take the balance below zero."""
    reason = reason.strip()
    if amount == 0 or abs(amount) > 100_000_000:
        raise ServiceError.single(
            CreditErrorCode.INVALID_AMOUNT, "Give a non-zero amount of credits.", "amount"
        )
    if not 3 <= len(reason) <= 300:
        raise ServiceError.single(
            CreditErrorCode.INVALID_REASON, "Say why, in 3 to 300 characters.", "reason"
        )
    outcome = await apply(
        organization_id=organization_id,
        amount=amount,
        kind=CreditKind.ADJUSTMENT,
        reason=reason,
        reference=f"adjust:{reference or uuid.uuid4()}",
        settings=settings,
        allow_negative=False,
        created_by_id=created_by_id,
    )
    if not outcome.applied and outcome.entry.organization_id != organization_id:
        raise ServiceError.single(
            CreditErrorCode.DUPLICATE_REFERENCE,
            "This reference was used for another organization.",
            "reference",
        )
    return outcome
