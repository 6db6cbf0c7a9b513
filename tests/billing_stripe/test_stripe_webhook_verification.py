"""A delivery that is not Stripe's, or not fresh, is answered 400 and changes nothing."""

from __future__ import annotations

import json
import time

from orm.models import StripeEvent
from tests.billing_stripe.helpers import BillingApp, balance_of, ledger_of, stripe_event_rows
from tests.fakes.stripe import FakeStripe, credits_session
from tests.support.factories import Factories, Tenant
from tests.support.graphql import GraphQLClient


async def _credits_event(billing: BillingApp, make: Factories) -> tuple[Tenant, dict]:
    """An organization and an event that would grant it 5000 credits if it were accepted."""
    tenant = await make.tenant("Billing")
    event = billing.stripe.event(
        "checkout.session.completed", credits_session(tenant.organization_uuid, 5000)
    )
    return tenant, event


async def _assert_nothing_changed(tenant: Tenant, event_id: str) -> None:
    assert await stripe_event_rows(event_id) == []
    assert await balance_of(tenant) == 300
    assert [entry.kind for entry in await ledger_of(tenant)] == ["grant"]


async def test_unsigned_delivery_is_refused(billing: BillingApp, make: Factories) -> None:
    # given
    tenant, event = await _credits_event(billing, make)

    # when
    response = await billing.http.post(
        "/webhooks/stripe", content=json.dumps(event), headers={"Content-Type": "application/json"}
    )

    # then
    assert response.status_code == 400
    await _assert_nothing_changed(tenant, event["id"])


async def test_wrong_secret_is_refused(billing: BillingApp, make: Factories) -> None:
    # given
    tenant, event = await _credits_event(billing, make)

    # when
    response = await billing.deliver(event, secret="whsec_not-the-endpoint-secret")

    # then
    assert response.status_code == 400
    await _assert_nothing_changed(tenant, event["id"])


async def test_tampered_body_is_refused(billing: BillingApp, make: Factories) -> None:
    # given: a genuine delivery whose amount was changed on the way
    tenant, event = await _credits_event(billing, make)
    body, headers = billing.stripe.signed(event)
    tampered = body.replace(b'"credits": "5000"', b'"credits": "900000"')
    assert tampered != body

    # when
    response = await billing.http.post("/webhooks/stripe", content=tampered, headers=headers)

    # then
    assert response.status_code == 400
    await _assert_nothing_changed(tenant, event["id"])


async def test_stale_timestamp_is_refused(billing: BillingApp, make: Factories) -> None:
    # given: correctly signed, but 301 s ago (a replay)
    tenant, event = await _credits_event(billing, make)

    # when
    response = await billing.deliver(event, timestamp=int(time.time()) - 301)

    # then
    assert response.status_code == 400
    await _assert_nothing_changed(tenant, event["id"])


async def test_future_timestamp_is_refused(billing: BillingApp, make: Factories) -> None:
    # given: correctly signed, but dated a year ahead (or just past the tolerance ahead): a
    # signature made for later use, which the SDK's own check (past only) lets through
    tenant, event = await _credits_event(billing, make)

    for ahead in (365 * 24 * 3600, 301):
        # when
        response = await billing.deliver(event, timestamp=int(time.time()) + ahead)

        # then
        assert response.status_code == 400, ahead
    await _assert_nothing_changed(tenant, event["id"])


async def test_slightly_future_timestamp_is_accepted(billing: BillingApp, make: Factories) -> None:
    # given: Stripe's clock a little ahead of ours, within the tolerance
    tenant, event = await _credits_event(billing, make)

    # when
    response = await billing.deliver(event, timestamp=int(time.time()) + 240)

    # then
    assert response.status_code == 200
    assert await balance_of(tenant) == 5300


async def test_fresh_enough_timestamp_is_accepted(billing: BillingApp, make: Factories) -> None:
    # given: within the 300 s tolerance
    tenant, event = await _credits_event(billing, make)

    # when
    response = await billing.deliver(event, timestamp=int(time.time()) - 240)

    # then
    assert response.status_code == 200
    assert await balance_of(tenant) == 5300


async def test_garbage_signature_header_is_refused(billing: BillingApp, make: Factories) -> None:
    # given
    tenant, event = await _credits_event(billing, make)

    for header in ("nonsense", "t=abc,v1=def", f"t={int(time.time())}", "v1=deadbeef"):
        # when
        response = await billing.http.post(
            "/webhooks/stripe", content=json.dumps(event), headers={"Stripe-Signature": header}
        )

        # then
        assert response.status_code == 400, header
    await _assert_nothing_changed(tenant, event["id"])


async def test_signed_malformed_json_is_refused(billing: BillingApp) -> None:
    # given
    count_before = await StripeEvent.all().count()

    for payload in ('{"id": "evt_1", "type": "invoice.paid", ', "[1, 2, 3]", '"just a string"'):
        # when
        response = await billing.deliver(payload)

        # then
        assert response.status_code == 400, payload
    assert await StripeEvent.all().count() == count_before


async def test_signed_non_utf8_body_is_refused(billing: BillingApp) -> None:
    # given: bytes that are not UTF-8 (the signature cannot even be checked)
    _, headers = billing.stripe.signed("{}")

    # when
    response = await billing.http.post(
        "/webhooks/stripe", content=b'{"id": "\xff\xfe"}', headers=headers
    )

    # then
    assert response.status_code == 400


async def test_unknown_event_type_is_acknowledged_and_recorded(billing: BillingApp) -> None:
    # given
    event = billing.stripe.event("customer.tax_id.created", {"id": "txi_123", "object": "tax_id"})

    # when
    response = await billing.deliver(event)

    # then
    assert response.status_code == 200
    (row,) = await stripe_event_rows(event["id"])
    assert (row.type, row.outcome, row.stripe_created) == (
        "customer.tax_id.created",
        "ignored",
        event["created"],
    )


async def test_server_without_webhook_secret_refuses_everything(gql: GraphQLClient) -> None:
    # given: the session's main server has no STRIPE_WEBHOOK_SECRET
    event = FakeStripe.event("customer.tax_id.created", {"id": "txi_1", "object": "tax_id"})
    body, headers = FakeStripe(webhook_secret="whsec_anything").signed(event)

    # when
    response = await gql.http.post("/webhooks/stripe", content=body, headers=headers)

    # then
    assert response.status_code == 400
    assert await stripe_event_rows(event["id"]) == []
