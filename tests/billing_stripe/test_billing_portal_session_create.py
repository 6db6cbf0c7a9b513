from __future__ import annotations

from tests.billing_stripe.helpers import (
    BillingApp,
    admin_with_organization,
    error_codes,
    payload_codes,
)
from tests.fakes.stripe import PORTAL_URL
from tests.organizations.helpers import add_member

BILLING_PORTAL_SESSION_CREATE = """
mutation BillingPortalSessionCreate($input: BillingPortalSessionCreateInput!) {
  billingPortalSessionCreate(input: $input) {
    url
    errors { field message code }
  }
}
"""

CREDITS_PURCHASE = """
mutation CreditsPurchase($input: CreditsPurchaseInput!) {
  creditsPurchase(input: $input) { url errors { code } }
}
"""


async def test_no_customer_yet(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)

    # when
    data = await billing.gql.data(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": organization_id}},
        token=admin.token,
    )

    # then
    payload = data["billingPortalSessionCreate"]
    assert payload["url"] is None
    assert payload_codes(payload) == ["NO_CUSTOMER"]
    assert billing.stripe.requests == []


async def test_portal_for_the_organizations_customer(billing: BillingApp) -> None:
    # given: a first purchase made the customer
    admin, organization_id = await admin_with_organization(billing.gql)
    purchase = await billing.gql.data(
        CREDITS_PURCHASE,
        {"input": {"organizationId": organization_id, "credits": 1000}},
        token=admin.token,
    )
    assert purchase["creditsPurchase"]["errors"] == []
    (customer_id,) = billing.stripe.customers

    # when
    data = await billing.gql.data(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": organization_id}},
        token=admin.token,
    )

    # then
    payload = data["billingPortalSessionCreate"]
    assert payload["errors"] == []
    (portal_id,) = billing.stripe.portal_sessions
    assert payload["url"] == PORTAL_URL.format(id=portal_id)
    (request,) = billing.stripe.portal_creates()
    assert request.authorization == f"Bearer {billing.stripe.secret_key}"
    assert request.params == {
        "customer": customer_id,
        "return_url": f"{billing.settings.dashboard_url}/billing",
    }


async def test_member_is_forbidden(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    member, _ = await add_member(billing.gql, admin, organization_id, role="member")

    # when
    body = await billing.gql.execute(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": organization_id}},
        token=member.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_another_organization_is_not_found(billing: BillingApp) -> None:
    # given
    _, organization_id = await admin_with_organization(billing.gql)
    outsider, _ = await admin_with_organization(billing.gql, "Outsider")

    # when
    body = await billing.gql.execute(
        BILLING_PORTAL_SESSION_CREATE,
        {"input": {"organizationId": organization_id}},
        token=outsider.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
