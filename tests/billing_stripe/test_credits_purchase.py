from __future__ import annotations

from orm.models import Organization
from tests.billing_stripe.helpers import (
    BillingApp,
    admin_with_organization,
    error_codes,
    payload_codes,
)
from tests.organizations.helpers import add_member, uuid_of

CREDITS_PURCHASE = """
mutation CreditsPurchase($input: CreditsPurchaseInput!) {
  creditsPurchase(input: $input) {
    url
    errors { field message code }
  }
}
"""


async def test_credits_purchase_opens_a_payment_session(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    organization_uuid = str(uuid_of(organization_id))

    # when
    data = await billing.gql.data(
        CREDITS_PURCHASE,
        {"input": {"organizationId": organization_id, "credits": 2500}},
        token=admin.token,
    )

    # then
    payload = data["creditsPurchase"]
    assert payload["errors"] == []
    session = billing.stripe.session_by_url(payload["url"])
    assert session["mode"] == "payment"
    (customer_id,) = billing.stripe.customers
    (request,) = billing.stripe.checkout_creates()
    params = request.params
    assert params["mode"] == "payment"
    assert params["customer"] == customer_id
    assert params["client_reference_id"] == organization_uuid
    assert params["metadata"] == {
        "organization_id": organization_uuid,
        "kind": "credits",
        "credits": "2500",
    }
    assert params["line_items"] == [
        {
            "quantity": "2500",
            "price_data": {
                "currency": "usd",
                "unit_amount": str(billing.settings.credit_price_cents),
                "product_data": {"name": "Call credits"},
            },
        }
    ]
    organization = await Organization.get(id=uuid_of(organization_id))
    assert organization.stripe_customer_id == customer_id


async def test_out_of_range_credits_are_refused(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    low, high = billing.settings.credit_purchase_min, billing.settings.credit_purchase_max

    for credits in (0, -5, low - 1, high + 1):
        # when
        data = await billing.gql.data(
            CREDITS_PURCHASE,
            {"input": {"organizationId": organization_id, "credits": credits}},
            token=admin.token,
        )

        # then
        payload = data["creditsPurchase"]
        assert payload["url"] is None
        assert [(error["field"], error["code"]) for error in payload["errors"]] == [
            ("credits", "INVALID_CREDITS")
        ], credits
    assert billing.stripe.requests == []


async def test_the_bounds_themselves_are_accepted(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)

    for credits in (billing.settings.credit_purchase_min, billing.settings.credit_purchase_max):
        # when
        data = await billing.gql.data(
            CREDITS_PURCHASE,
            {"input": {"organizationId": organization_id, "credits": credits}},
            token=admin.token,
        )

        # then
        assert data["creditsPurchase"]["errors"] == [], credits
    quantities = [r.params["line_items"][0]["quantity"] for r in billing.stripe.checkout_creates()]
    assert quantities == [
        str(billing.settings.credit_purchase_min),
        str(billing.settings.credit_purchase_max),
    ]


async def test_stripe_declining_is_billing_unavailable(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    billing.stripe.fail(status=402)

    # when
    data = await billing.gql.data(
        CREDITS_PURCHASE,
        {"input": {"organizationId": organization_id, "credits": 1000}},
        token=admin.token,
    )

    # then
    assert payload_codes(data["creditsPurchase"]) == ["BILLING_UNAVAILABLE"]
    assert data["creditsPurchase"]["url"] is None


async def test_member_is_forbidden(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    member, _ = await add_member(billing.gql, admin, organization_id, role="member")

    # when
    body = await billing.gql.execute(
        CREDITS_PURCHASE,
        {"input": {"organizationId": organization_id, "credits": 1000}},
        token=member.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert billing.stripe.requests == []
