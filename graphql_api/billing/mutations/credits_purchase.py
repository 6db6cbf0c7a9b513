from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import billing
from graphql_api.billing.mutations.common import BillingError, BillingRedirectPayload
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import checked_organization


@strawberry.input
class CreditsPurchaseInput:
    organization_id: strawberry.ID
    credits: int


async def credits_purchase(info: Info, input: CreditsPurchaseInput) -> BillingRedirectPayload:
    """A Stripe Checkout URL to buy credits; they are added when Stripe confirms payment."""
    organization = await checked_organization(info)
    user = info.context.principal.user
    try:
        url = await billing.credits_checkout(
            organization=organization,
            credits=input.credits,
            email=user.email if user else None,
            settings=info.context.settings,
        )
    except ServiceError as error:
        return BillingRedirectPayload(errors=payload_errors(BillingError, error.errors))
    return BillingRedirectPayload(url=url)
