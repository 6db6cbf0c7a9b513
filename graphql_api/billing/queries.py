from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import billing
from graphql_api.billing.types import BillingSummary, PlanType
from graphql_api.context import Info
from graphql_api.descriptions import OrganizationId
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, authenticated, requires


@strawberry.type
class BillingQueries:
    @strawberry.field(description="Plans on offer.", extensions=authenticated())
    async def plans(self) -> list[PlanType]:
        return [PlanType.from_model(plan) for plan in await billing.get_plans()]

    @strawberry.field(
        description="Plan, subscription, balance, usage this period and the ledger.",
        extensions=requires(Permission.BILLING_READ, OrganizationArgument()),
    )
    async def billing_summary(
        self, info: Info, organization_id: OrganizationId
    ) -> BillingSummary | None:
        organization = await checked_organization(info)
        return BillingSummary.from_summary(await billing.summary(organization=organization))
