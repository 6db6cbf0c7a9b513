from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import credits
from graphql_api import ids
from graphql_api.billing.mutations.common import CreditError
from graphql_api.billing.types import CreditLedgerEntryType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, payload_errors


@strawberry.input
class CreditAdjustInput:
    organization_id: strawberry.ID
    amount: int = strawberry.field(description="Credits to add (positive) or remove (negative).")
    reason: str
    reference: str | None = strawberry.field(
        default=None, description="Makes a retried adjustment apply once."
    )


@strawberry.type
class CreditAdjustPayload:
    entry: CreditLedgerEntryType | None = None
    credit_balance: int | None = None
    errors: list[CreditError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def credit_adjust(info: Info, input: CreditAdjustInput) -> CreditAdjustPayload:
    """Add or remove credits by hand, with a reason (platform admins); recorded in the ledger."""
    organization = await info.context.loaders.organization.load(
        ids.decode(input.organization_id, "Organization")
    )
    if organization is None:
        raise NotFoundError("Organization")
    try:
        outcome = await credits.adjust(
            organization_id=organization.id,
            amount=input.amount,
            reason=input.reason,
            reference=input.reference,
            created_by_id=info.context.principal.user.id if info.context.principal.user else None,
            settings=info.context.settings,
        )
    except ServiceError as error:
        return CreditAdjustPayload(errors=payload_errors(CreditError, error.errors))
    return CreditAdjustPayload(
        entry=CreditLedgerEntryType.from_model(outcome.entry),
        credit_balance=await credits.balance_of(organization.id),
    )
