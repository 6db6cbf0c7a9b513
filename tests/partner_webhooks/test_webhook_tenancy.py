"""Another organization's endpoints and deliveries read exactly like missing ones, and no
mutation reaches them."""

from __future__ import annotations

import pytest

from core.partner_webhooks.states import DeliveryStatus
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.partner_webhooks.helpers import delivery
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id
from tests.support.operations import (
    WEBHOOK_DELIVERY_RETRY,
    WEBHOOK_ENDPOINT,
    WEBHOOK_ENDPOINT_DELETE,
    WEBHOOK_ENDPOINT_ROTATE_SECRET,
    WEBHOOK_ENDPOINT_TEST,
    WEBHOOK_ENDPOINT_UPDATE,
    WEBHOOK_ENDPOINTS,
)

NODE = "query Node($id: ID!) { node(id: $id) { id } }"


async def _theirs(make):  # type: ignore[no-untyped-def]
    """An intruder's organization, and a victim's endpoint with a failed delivery."""
    intruder = await make.tenant("Intruder")
    victim = await make.tenant("Victim")
    endpoint = (await make.webhook_endpoint(victim)).endpoint
    failed = await delivery(endpoint, DeliveryStatus.FAILED)
    return intruder, victim, endpoint, failed


async def test_another_organizations_endpoint_reads_like_a_missing_one(gql, make):
    # given
    intruder, _, endpoint, failed = await _theirs(make)

    # when
    answers = {
        "endpoint": await gql.execute(
            WEBHOOK_ENDPOINT,
            {"id": global_id("WebhookEndpoint", endpoint.id)},
            token=intruder.token,
        ),
        "missing endpoint": await gql.execute(
            WEBHOOK_ENDPOINT, {"id": fake_global_id("WebhookEndpoint")}, token=intruder.token
        ),
        "endpoint node": await gql.execute(
            NODE, {"id": global_id("WebhookEndpoint", endpoint.id)}, token=intruder.token
        ),
        "delivery node": await gql.execute(
            NODE, {"id": global_id("WebhookDelivery", failed.id)}, token=intruder.token
        ),
        "missing delivery node": await gql.execute(
            NODE, {"id": fake_global_id("WebhookDelivery")}, token=intruder.token
        ),
    }

    # then: the same answer, word for word, as for ids that exist nowhere
    assert {name: error_codes(body) for name, body in answers.items()} == {
        name: ["NOT_FOUND"] for name in answers
    }
    assert answers["endpoint"]["data"] == answers["missing endpoint"]["data"]
    assert [e["message"] for e in answers["endpoint"]["errors"]] == [
        e["message"] for e in answers["missing endpoint"]["errors"]
    ]
    assert [e["message"] for e in answers["delivery node"]["errors"]] == [
        e["message"] for e in answers["missing delivery node"]["errors"]
    ]


async def test_another_organizations_list_of_endpoints_is_not_found(gql, make):
    # given
    intruder, victim, _, _ = await _theirs(make)

    # when
    body = await gql.execute(
        WEBHOOK_ENDPOINTS, {"id": victim.organization_id}, token=intruder.token
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    assert body["data"]["organization"] is None


async def test_an_organizations_list_holds_only_its_own_endpoints(gql, make):
    # given
    intruder, _, _, _ = await _theirs(make)
    own = (await make.webhook_endpoint(intruder)).endpoint

    # when
    data = await gql.data(WEBHOOK_ENDPOINTS, {"id": intruder.organization_id}, token=intruder.token)

    # then
    listed = data["organization"]["webhookEndpoints"]
    assert [edge["node"]["id"] for edge in listed["edges"]] == [
        global_id("WebhookEndpoint", own.id)
    ]
    assert listed["totalCount"] == 1


@pytest.mark.parametrize(
    ("operation", "extra"),
    [
        (WEBHOOK_ENDPOINT_UPDATE, {"url": "https://intruder.example.com/hooks"}),
        (WEBHOOK_ENDPOINT_DELETE, {}),
        (WEBHOOK_ENDPOINT_ROTATE_SECRET, {}),
        (WEBHOOK_ENDPOINT_TEST, {}),
    ],
)
async def test_no_mutation_reaches_another_organizations_endpoint(gql, make, operation, extra):
    # given
    intruder, _, endpoint, _ = await _theirs(make)

    # when
    theirs = await gql.execute(
        operation,
        {"input": {"id": global_id("WebhookEndpoint", endpoint.id), **extra}},
        token=intruder.token,
    )
    missing = await gql.execute(
        operation,
        {"input": {"id": fake_global_id("WebhookEndpoint"), **extra}},
        token=intruder.token,
    )

    # then: refused exactly like a missing one, and nothing changed
    assert error_codes(theirs) == error_codes(missing) == ["NOT_FOUND"]
    assert theirs["errors"][0]["message"] == missing["errors"][0]["message"]
    row = await WebhookEndpoint.get(id=endpoint.id)
    assert row.url == endpoint.url
    assert row.signing_secret_sealed == endpoint.signing_secret_sealed
    assert await WebhookDelivery.filter(endpoint_id=endpoint.id).count() == 1


async def test_another_organizations_delivery_is_not_retried(gql, make):
    # given
    intruder, _, _, failed = await _theirs(make)

    # when
    theirs = await gql.execute(
        WEBHOOK_DELIVERY_RETRY,
        {"input": {"id": global_id("WebhookDelivery", failed.id)}},
        token=intruder.token,
    )
    missing = await gql.execute(
        WEBHOOK_DELIVERY_RETRY,
        {"input": {"id": fake_global_id("WebhookDelivery")}},
        token=intruder.token,
    )

    # then
    assert error_codes(theirs) == error_codes(missing) == ["NOT_FOUND"]
    assert theirs["errors"][0]["message"] == missing["errors"][0]["message"]
    assert (await WebhookDelivery.get(id=failed.id)).status == "failed"


async def test_an_endpoint_id_does_not_name_a_delivery(gql, make):
    # given: a global id of the right row but the wrong type
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    row = await delivery(endpoint, DeliveryStatus.FAILED)

    # when
    body = await gql.execute(
        WEBHOOK_DELIVERY_RETRY,
        {"input": {"id": global_id("WebhookEndpoint", row.id)}},
        token=tenant.token,
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
