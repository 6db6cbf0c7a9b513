from __future__ import annotations

import strawberry

from core.services import credits
from graphql_api import ids
from graphql_api.billing.mutations.common import CreditError
from graphql_api.billing.types import CreditLedgerEntryType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, Payload, mutation
from graphql_api.permissions import platform_admin


@strawberry.input(description="A correction of an organization's credit balance.")
class CreditAdjustInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's global id.")
    amount: int = strawberry.field(description="Credits to add (positive) or remove (negative).")
    reason: str = strawberry.field(description="Why, 3 to 300 characters; shown in the ledger.")
    reference: str | None = strawberry.field(
        default=None,
        description="A key of your choosing: an adjustment sent again with the same reference "
        "applies once.",
    )


@strawberry.type(description="The adjustment recorded, and the balance after it.")
class CreditAdjustPayload(Payload[CreditError]):
    entry: CreditLedgerEntryType | None = strawberry.field(
        default=None,
        description="The ledger entry; for a `reference` used before, the entry it made then.",
    )
    credit_balance: int | None = strawberry.field(
        default=None, description="The organization's balance now, in credits."
    )


async def credit_adjust(info: Info, input: CreditAdjustInput) -> CreditAdjustPayload:
    """Add or remove credits by hand, with a reason; recorded in the ledger."""
    organization = await info.context.loaders.organization.load(
        ids.decode(input.organization_id, "Organization")
    )
    if organization is None:
        raise NotFoundError("Organization")
    outcome = await credits.adjust(
        organization_id=organization.id,
        amount=input.amount,
        reason=input.reason,
        reference=input.reference,
        created_by_id=info.context.principal.user.id if info.context.principal.user else None,
        settings=info.context.settings,
    )
    return CreditAdjustPayload(
        entry=CreditLedgerEntryType.from_model(outcome.entry),
        credit_balance=await credits.balance_of(organization.id),
    )


field = mutation(credit_adjust, permission=platform_admin())
