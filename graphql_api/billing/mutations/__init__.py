"""The billing mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.billing.mutations import (
    billing_portal_session_create,
    checkout_session_create,
    credit_adjust,
    credits_purchase,
)


@strawberry.type
class BillingMutations:
    checkout_session_create = checkout_session_create.field
    credits_purchase = credits_purchase.field
    billing_portal_session_create = billing_portal_session_create.field
    credit_adjust = credit_adjust.field
