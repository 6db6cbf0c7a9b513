from __future__ import annotations

from orm.models import Organization
from tests.billing_stripe.helpers import BillingApp
from tests.support.factories import Factories
from tests.support.graphql import error_codes, payload_codes
from tests.support.operations import CREDITS_PURCHASE


def _input(organization_id: str, credits: int) -> dict:
    return {"input": {"organizationId": organization_id, "credits": credits}}


async def test_credits_purchase_opens_a_payment_session(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    organization_uuid = str(tenant.organization_uuid)

    # when
    payload = await billing.gql.payload(
        CREDITS_PURCHASE, _input(tenant.organization_id, 2500), token=tenant.token
    )

    # then
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
    organization = await Organization.get(id=tenant.organization_uuid)
    assert organization.stripe_customer_id == customer_id


async def test_out_of_range_credits_are_refused(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    low, high = billing.settings.credit_purchase_min, billing.settings.credit_purchase_max

    for credits in (0, -5, low - 1, high + 1):
        # when
        payload = await billing.gql.payload(
            CREDITS_PURCHASE, _input(tenant.organization_id, credits), token=tenant.token
        )

        # then
        assert payload["url"] is None
        assert [(error["field"], error["code"]) for error in payload["errors"]] == [
            ("credits", "INVALID_CREDITS")
        ], credits
    assert billing.stripe.requests == []


async def test_the_bounds_themselves_are_accepted(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")

    for credits in (billing.settings.credit_purchase_min, billing.settings.credit_purchase_max):
        # when
        payload = await billing.gql.payload(
            CREDITS_PURCHASE, _input(tenant.organization_id, credits), token=tenant.token
        )

        # then
        assert payload["errors"] == [], credits
    quantities = [r.params["line_items"][0]["quantity"] for r in billing.stripe.checkout_creates()]
    assert quantities == [
        str(billing.settings.credit_purchase_min),
        str(billing.settings.credit_purchase_max),
    ]


async def test_stripe_declining_is_billing_unavailable(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    billing.stripe.fail(status=402)

    # when
    payload = await billing.gql.payload(
        CREDITS_PURCHASE, _input(tenant.organization_id, 1000), token=tenant.token
    )

    # then
    assert payload_codes(payload) == ["BILLING_UNAVAILABLE"]
    assert payload["url"] is None


async def test_member_is_forbidden(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    member = await make.member(tenant, "member")

    # when
    body = await billing.gql.execute(
        CREDITS_PURCHASE, _input(tenant.organization_id, 1000), token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert billing.stripe.requests == []
