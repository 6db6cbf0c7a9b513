from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import billing
from graphql_api.billing.mutations.common import BillingRedirectPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.input(description="The organization whose billing to manage.")
class BillingPortalSessionCreateInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's global id.")


async def billing_portal_session_create(
    info: Info, input: BillingPortalSessionCreateInput
) -> BillingRedirectPayload:
    """A Stripe customer-portal URL: invoices, payment method, plan changes, cancellation."""
    organization = await checked_organization(info)
    url = await billing.portal(organization=organization, settings=info.context.settings)
    return BillingRedirectPayload(url=url)


field = mutation(
    billing_portal_session_create,
    permission=requires(Permission.BILLING_MANAGE, OrganizationArgument("input.organization_id")),
)
