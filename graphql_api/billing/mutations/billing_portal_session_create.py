from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import billing
from graphql_api.billing.mutations.common import BillingError, BillingRedirectPayload
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import checked_organization


@strawberry.input
class BillingPortalSessionCreateInput:
    organization_id: strawberry.ID


async def billing_portal_session_create(
    info: Info, input: BillingPortalSessionCreateInput
) -> BillingRedirectPayload:
    """A Stripe customer-portal URL: invoices, payment method, plan changes, cancellation."""
    organization = await checked_organization(info)
    try:
        url = await billing.portal(organization=organization, settings=info.context.settings)
    except ServiceError as error:
        return BillingRedirectPayload(errors=payload_errors(BillingError, error.errors))
    return BillingRedirectPayload(url=url)
