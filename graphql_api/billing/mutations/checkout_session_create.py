from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.rbac import Permission
from core.services import billing
from core.services.billing import BillingErrorCode
from graphql_api import ids
from graphql_api.billing.mutations.common import BillingRedirectPayload
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, mutation
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.input(description="The organization, and the plan to subscribe it to.")
class CheckoutSessionCreateInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's global id.")
    plan_id: strawberry.ID = strawberry.field(
        description="The global id of a plan from `plans`; it must be `purchasable`."
    )


async def checkout_session_create(
    info: Info, input: CheckoutSessionCreateInput
) -> BillingRedirectPayload:
    """A Stripe Checkout URL to subscribe the organization to a plan."""
    organization = await checked_organization(info)
    user = info.context.principal.user
    try:
        plan_id = ids.decode(input.plan_id, "Plan")
    except NotFoundError as error:
        raise ServiceError.single(
            BillingErrorCode.PLAN_NOT_FOUND, "No such plan.", "plan_id"
        ) from error
    url = await billing.subscription_checkout(
        organization=organization,
        plan_id=plan_id,
        email=user.email if user else None,
        settings=info.context.settings,
    )
    return BillingRedirectPayload(url=url)


field = mutation(
    checkout_session_create,
    permission=requires(Permission.BILLING_MANAGE, OrganizationArgument("input.organization_id")),
)
