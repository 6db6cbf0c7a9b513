from __future__ import annotations

import strawberry

from core.errors import FieldError, ServiceError
from core.services import billing
from core.services.billing import BillingErrorCode
from graphql_api import ids
from graphql_api.billing.mutations.common import BillingError, BillingRedirectPayload
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, payload_errors
from graphql_api.organizations.mutations.common import checked_organization


@strawberry.input
class CheckoutSessionCreateInput:
    organization_id: strawberry.ID
    plan_id: strawberry.ID


async def checkout_session_create(
    info: Info, input: CheckoutSessionCreateInput
) -> BillingRedirectPayload:
    """A Stripe Checkout URL to subscribe the organization to a plan."""
    organization = await checked_organization(info)
    user = info.context.principal.user
    try:
        url = await billing.subscription_checkout(
            organization=organization,
            plan_id=ids.decode(input.plan_id, "Plan"),
            email=user.email if user else None,
            settings=info.context.settings,
        )
    except NotFoundError:
        return BillingRedirectPayload(
            errors=payload_errors(
                BillingError,
                [FieldError("planId", "No such plan.", BillingErrorCode.PLAN_NOT_FOUND)],
            )
        )
    except ServiceError as error:
        return BillingRedirectPayload(errors=payload_errors(BillingError, error.errors))
    return BillingRedirectPayload(url=url)
