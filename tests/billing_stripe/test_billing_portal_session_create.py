from __future__ import annotations

from tests.billing_stripe.helpers import BillingApp
from tests.fakes.stripe import PORTAL_URL
from tests.support.factories import Factories
from tests.support.graphql import error_codes, payload_codes
from tests.support.operations import CREDITS_PURCHASE

BILLING_PORTAL_SESSION_CREATE = """
mutation BillingPortalSessionCreate($input: BillingPortalSessionCreateInput!) {
  billingPortalSessionCreate(input: $input) {
    url
    errors { field message code }
  }
}
"""


async def test_no_customer_yet(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")

    # when
    payload = await billing.gql.payload(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": tenant.organization_id}},
        token=tenant.token,
    )

    # then
    assert payload["url"] is None
    assert payload_codes(payload) == ["NO_CUSTOMER"]
    assert billing.stripe.requests == []


async def test_portal_for_the_organizations_customer(billing: BillingApp, make: Factories) -> None:
    # given: a first purchase made the customer
    tenant = await make.tenant("Billing")
    await billing.gql.ok(
        CREDITS_PURCHASE,
        {"input": {"organizationId": tenant.organization_id, "credits": 1000}},
        token=tenant.token,
    )
    (customer_id,) = billing.stripe.customers

    # when
    payload = await billing.gql.payload(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": tenant.organization_id}},
        token=tenant.token,
    )

    # then
    assert payload["errors"] == []
    (portal_id,) = billing.stripe.portal_sessions
    assert payload["url"] == PORTAL_URL.format(id=portal_id)
    (request,) = billing.stripe.portal_creates()
    assert request.authorization == f"Bearer {billing.stripe.secret_key}"
    assert request.params == {
        "customer": customer_id,
        "return_url": f"{billing.settings.dashboard_url}/billing",
    }


async def test_member_is_forbidden(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    member = await make.member(tenant, "member")

    # when
    body = await billing.gql.execute(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": tenant.organization_id}},
        token=member.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_another_organization_is_not_found(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    outsider = await make.tenant("Outsider")

    # when
    body = await billing.gql.execute(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": tenant.organization_id}},
        token=outsider.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
