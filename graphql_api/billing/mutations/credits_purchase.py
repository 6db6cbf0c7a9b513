from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import billing
from graphql_api.billing.mutations.common import BillingRedirectPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.input(description="Credits to buy, and for which organization.")
class CreditsPurchaseInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's global id.")
    credits: int = strawberry.field(
        description="How many; one purchase buys 500 to 1,000,000 unless the platform sets "
        "other bounds (`INVALID_CREDITS` names them)."
    )


async def credits_purchase(info: Info, input: CreditsPurchaseInput) -> BillingRedirectPayload:
    """A Stripe Checkout URL to buy credits; they are added when Stripe confirms payment."""
    organization = await checked_organization(info)
    user = info.context.principal.user
    url = await billing.credits_checkout(
        organization=organization,
        credits=input.credits,
        email=user.email if user else None,
        settings=info.context.settings,
    )
    return BillingRedirectPayload(url=url)


field = mutation(
    credits_purchase,
    permission=requires(Permission.BILLING_MANAGE, OrganizationArgument("input.organization_id")),
)
