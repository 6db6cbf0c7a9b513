"""The fake Stripe speaks the wire format the official SDK expects."""

from __future__ import annotations

import pytest
import stripe

from tests.fakes.stripe import FakeStripe, parse_form


def _client(fake: FakeStripe, key: str | None = None) -> stripe.StripeClient:
    return stripe.StripeClient(
        key or fake.secret_key,
        base_addresses={"api": fake.base_url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=0,
    )


def test_parse_form_nests_bracketed_keys() -> None:
    pairs = [
        ("mode", "payment"),
        ("metadata[kind]", "credits"),
        ("line_items[0][quantity]", "3"),
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[1][price]", "price_1"),
    ]
    assert parse_form(pairs) == {
        "mode": "payment",
        "metadata": {"kind": "credits"},
        "line_items": [
            {"quantity": "3", "price_data": {"currency": "usd"}},
            {"price": "price_1"},
        ],
    }


async def test_same_idempotency_key_answers_the_same_object(stripe_fake: FakeStripe) -> None:
    # given
    client = _client(stripe_fake)
    params = {"name": "Acme", "metadata": {"organization_id": "o1"}}

    # when
    first = await client.v1.customers.create_async(params, {"idempotency_key": "k1"})
    second = await client.v1.customers.create_async(params, {"idempotency_key": "k1"})

    # then
    assert first.id == second.id
    assert first.metadata["organization_id"] == "o1"
    assert len(stripe_fake.customers) == 1


async def test_same_key_with_other_parameters_is_an_idempotency_error(
    stripe_fake: FakeStripe,
) -> None:
    client = _client(stripe_fake)
    await client.v1.customers.create_async({"name": "Acme"}, {"idempotency_key": "k2"})

    with pytest.raises(stripe.IdempotencyError):
        await client.v1.customers.create_async({"name": "Other"}, {"idempotency_key": "k2"})


async def test_wrong_secret_key_is_refused(stripe_fake: FakeStripe) -> None:
    with pytest.raises(stripe.AuthenticationError):
        await _client(stripe_fake, "sk_test_wrong").v1.customers.create_async({"name": "Acme"})
    assert stripe_fake.customers == {}


async def test_scripted_failures(stripe_fake: FakeStripe) -> None:
    client = _client(stripe_fake)
    stripe_fake.fail(status=402, times=1)
    stripe_fake.fail(status=500, times=1)

    with pytest.raises(stripe.CardError) as declined:
        await client.v1.customers.create_async({"name": "Acme"})
    assert declined.value.code == "card_declined"
    with pytest.raises(stripe.APIError):
        await client.v1.customers.create_async({"name": "Acme"})
    customer = await client.v1.customers.create_async({"name": "Acme"})
    assert customer.id.startswith("cus_")


async def test_checkout_needs_an_existing_customer(stripe_fake: FakeStripe) -> None:
    client = _client(stripe_fake)

    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.checkout.sessions.create_async(
            {
                "mode": "payment",
                "customer": "cus_missing",
                "line_items": [{"price": "price_1", "quantity": 1}],
                "success_url": "https://example.test/ok",
            }
        )
    assert missing.value.code == "resource_missing"
