import strawberry

from core.rbac import Permission
from graphql_api.billing.mutations.billing_portal_session_create import (
    billing_portal_session_create,
)
from graphql_api.billing.mutations.checkout_session_create import checkout_session_create
from graphql_api.billing.mutations.credit_adjust import credit_adjust
from graphql_api.billing.mutations.credits_purchase import credits_purchase
from graphql_api.permissions import OrganizationArgument, platform_admin, requires


def _manage():  # type: ignore[no-untyped-def]
    return requires(Permission.BILLING_MANAGE, OrganizationArgument("input.organization_id"))


@strawberry.type
class BillingMutations:
    checkout_session_create = strawberry.mutation(
        resolver=checkout_session_create, extensions=_manage()
    )
    credits_purchase = strawberry.mutation(
        resolver=credits_purchase,
        extensions=_manage(),
    )
    billing_portal_session_create = strawberry.mutation(
        resolver=billing_portal_session_create,
        extensions=_manage(),
    )
    credit_adjust = strawberry.mutation(resolver=credit_adjust, extensions=platform_admin())
