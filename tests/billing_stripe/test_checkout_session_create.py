from __future__ import annotations

import asyncio

from orm.models import Organization
from tests.billing_stripe.helpers import BillingApp, create_plan, plan_global_id
from tests.fakes.stripe import CHECKOUT_URL
from tests.support.factories import Factories, Tenant
from tests.support.graphql import GraphQLClient, error_codes, payload_codes
from tests.support.ids import fake_global_id

CHECKOUT_SESSION_CREATE = """
mutation CheckoutSessionCreate($input: CheckoutSessionCreateInput!) {
  checkoutSessionCreate(input: $input) {
    url
    errors { field message code }
  }
}
"""


def _input(tenant: Tenant, plan_id: str) -> dict:
    return {"input": {"organizationId": tenant.organization_id, "planId": plan_id}}


async def test_checkout_creates_the_customer_then_a_subscription_session(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Checkout")
    plan = await create_plan()
    organization = tenant.organization

    # when
    payload = await billing.gql.payload(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=tenant.token
    )

    # then: the URL is the Checkout session's
    assert payload["errors"] == []
    session = billing.stripe.session_by_url(payload["url"])
    assert payload["url"] == CHECKOUT_URL.format(id=session["id"])
    # and Stripe saw a customer create, then the session, both with the secret key
    assert [request.path for request in billing.stripe.requests] == [
        "/v1/customers",
        "/v1/checkout/sessions",
    ]
    customer_request, session_request = billing.stripe.requests
    for request in billing.stripe.requests:
        assert request.authorization == f"Bearer {billing.stripe.secret_key}"
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert customer_request.idempotency_key == f"customer-{organization.id}"
    assert customer_request.form == {
        "name": organization.name,
        "email": tenant.owner.email,
        "metadata[organization_id]": str(organization.id),
    }
    (customer_id,) = billing.stripe.customers
    assert session_request.idempotency_key  # the SDK sends one with every POST
    params = session_request.params
    assert params["mode"] == "subscription"
    assert params["customer"] == customer_id
    assert params["client_reference_id"] == str(organization.id)
    assert params["line_items"] == [{"price": plan.stripe_price_id, "quantity": "1"}]
    expected_metadata = {
        "organization_id": str(organization.id),
        "kind": "subscription",
        "plan_key": plan.key,
    }
    assert params["metadata"] == expected_metadata
    assert params["subscription_data"] == {"metadata": expected_metadata}
    assert params["success_url"].startswith(billing.settings.dashboard_url)
    assert params["cancel_url"].startswith(billing.settings.dashboard_url)
    # and the organization remembers its customer
    await organization.refresh_from_db()
    assert organization.stripe_customer_id == customer_id


async def test_second_checkout_reuses_the_customer(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    plan = await create_plan()
    variables = _input(tenant, plan_global_id(plan))
    await billing.gql.ok(CHECKOUT_SESSION_CREATE, variables, token=tenant.token)

    # when
    payload = await billing.gql.payload(CHECKOUT_SESSION_CREATE, variables, token=tenant.token)

    # then
    assert payload["errors"] == []
    assert len(billing.stripe.customer_creates()) == 1
    (customer_id,) = billing.stripe.customers
    sessions = billing.stripe.checkout_creates()
    assert [request.params["customer"] for request in sessions] == [customer_id, customer_id]


async def test_concurrent_first_checkouts_make_one_customer(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    plan = await create_plan()
    variables = _input(tenant, plan_global_id(plan))

    # when: five first purchases at once, none of which has seen a stored customer
    payloads = await asyncio.gather(
        *(
            billing.gql.payload(CHECKOUT_SESSION_CREATE, variables, token=tenant.token)
            for _ in range(5)
        )
    )

    # then
    assert all(payload["errors"] == [] for payload in payloads), payloads
    assert len({payload["url"] for payload in payloads}) == 5
    assert len(billing.stripe.customers) == 1
    (customer_id,) = billing.stripe.customers
    keys = {request.idempotency_key for request in billing.stripe.customer_creates()}
    assert keys == {f"customer-{tenant.organization_uuid}"}
    assert {request.params["customer"] for request in billing.stripe.checkout_creates()} == {
        customer_id
    }
    stored = await Organization.filter(stripe_customer_id=customer_id).values_list("id", flat=True)
    assert stored == [tenant.organization_uuid]


async def test_a_transient_stripe_error_is_retried_with_the_same_key(
    billing: BillingApp, make: Factories
) -> None:
    # given: the first customer create fails with a 500
    tenant = await make.tenant("Billing")
    plan = await create_plan()
    billing.stripe.fail(status=500, path="/v1/customers", times=1)

    # when
    payload = await billing.gql.payload(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=tenant.token
    )

    # then
    assert payload["errors"] == []
    attempts = billing.stripe.customer_creates()
    assert [request.status for request in attempts] == [500, 200]
    assert attempts[0].idempotency_key == attempts[1].idempotency_key
    assert len(billing.stripe.customers) == 1


async def test_billing_member_may_start_checkout(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    accountant = await make.member(tenant, "billing")
    plan = await create_plan()

    # when
    payload = await billing.gql.payload(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=accountant.token
    )

    # then
    assert payload["errors"] == []
    assert payload["url"].startswith("https://checkout.stripe.test/c/cs_test_")
    assert billing.stripe.customer_creates()[0].form["email"] == accountant.email


async def test_plan_without_stripe_price_is_not_purchasable(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    plan = await create_plan(purchasable=False)

    # when
    payload = await billing.gql.payload(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=tenant.token
    )

    # then
    assert payload["url"] is None
    assert [(error["field"], error["code"]) for error in payload["errors"]] == [
        ("planId", "PLAN_NOT_PURCHASABLE")
    ]
    assert billing.stripe.requests == []


async def test_unknown_plan_is_not_found(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    inactive = await create_plan()
    inactive.is_active = False
    await inactive.save()

    for plan_id in (
        "garbage",
        fake_global_id("Plan"),
        fake_global_id("Organization"),
        plan_global_id(inactive),
    ):
        # when
        payload = await billing.gql.payload(
            CHECKOUT_SESSION_CREATE, _input(tenant, plan_id), token=tenant.token
        )

        # then
        assert payload["url"] is None, plan_id
        assert [(error["field"], error["code"]) for error in payload["errors"]] == [
            ("planId", "PLAN_NOT_FOUND")
        ], plan_id
    assert billing.stripe.requests == []


async def test_stripe_failing_is_billing_unavailable(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    plan = await create_plan()
    variables = _input(tenant, plan_global_id(plan))

    for status in (500, 402):
        billing.stripe.reset()
        billing.stripe.fail(status=status, should_retry=False)

        # when
        payload = await billing.gql.payload(CHECKOUT_SESSION_CREATE, variables, token=tenant.token)

        # then
        assert payload["url"] is None
        assert payload_codes(payload) == ["BILLING_UNAVAILABLE"], status
        assert [request.status for request in billing.stripe.requests] == [status]
    organization = await Organization.get(id=tenant.organization_uuid)
    assert organization.stripe_customer_id is None


async def test_checkout_fails_at_the_session_after_the_customer_exists(
    billing: BillingApp, make: Factories
) -> None:
    # given: the customer is made, then the session create fails
    tenant = await make.tenant("Billing")
    plan = await create_plan()
    variables = _input(tenant, plan_global_id(plan))
    billing.stripe.fail(status=500, path="/v1/checkout/sessions", should_retry=False, times=1)

    # when
    failed = await billing.gql.payload(CHECKOUT_SESSION_CREATE, variables, token=tenant.token)
    retried = await billing.gql.payload(CHECKOUT_SESSION_CREATE, variables, token=tenant.token)

    # then: the retry succeeds with the customer remembered from the first attempt
    assert payload_codes(failed) == ["BILLING_UNAVAILABLE"]
    assert retried["errors"] == []
    assert len(billing.stripe.customer_creates()) == 1
    assert len(billing.stripe.customers) == 1


async def test_without_stripe_configured_billing_is_unavailable(
    gql: GraphQLClient, make: Factories
) -> None:
    # given: the session's main server has no STRIPE_SECRET_KEY
    tenant = await make.tenant("Billing")
    plan = await create_plan()

    # when
    payload = await gql.payload(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=tenant.token
    )

    # then
    assert payload["url"] is None
    assert payload_codes(payload) == ["BILLING_UNAVAILABLE"]


async def test_member_is_forbidden(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    member = await make.member(tenant, "member")
    plan = await create_plan()

    # when
    body = await billing.gql.execute(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert billing.stripe.requests == []


async def test_another_organization_is_not_found(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    outsider = await make.tenant("Outsider")
    plan = await create_plan()

    # when
    body = await billing.gql.execute(
        CHECKOUT_SESSION_CREATE, _input(tenant, plan_global_id(plan)), token=outsider.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert billing.stripe.requests == []
