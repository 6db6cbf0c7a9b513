"""webhookEndpointUpdate: the fields given change, under the same rules as at creation."""

from __future__ import annotations

from core.call_events import CallEventType
from core.partner_webhooks.states import DisabledReason
from orm.models import WebhookEndpoint
from tests.partner_webhooks.helpers import production_api
from tests.support.ids import global_id
from tests.support.operations import WEBHOOK_ENDPOINT_UPDATE


def _input(endpoint: WebhookEndpoint, **fields: object) -> dict:
    return {"input": {"id": global_id("WebhookEndpoint", endpoint.id), **fields}}


def _codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def test_the_fields_given_change_and_the_others_stay(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (
        await make.webhook_endpoint(
            tenant, event_types=[CallEventType.ENDED], description="CRM sync"
        )
    ).endpoint
    sealed = endpoint.signing_secret_sealed

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_UPDATE,
        _input(
            endpoint,
            url="https://crm.example.com/hooks/voice",
            eventTypes=["ENDED", "TRANSCRIPT_SEGMENT"],
        ),
        token=tenant.token,
    )

    # then
    assert payload["webhookEndpoint"]["url"] == "https://crm.example.com/hooks/voice"
    assert payload["webhookEndpoint"]["eventTypes"] == ["TRANSCRIPT_SEGMENT", "ENDED"]
    assert payload["webhookEndpoint"]["description"] == "CRM sync"
    row = await WebhookEndpoint.get(id=endpoint.id)
    assert row.url == "https://crm.example.com/hooks/voice"
    assert row.event_types == ["call.transcript", "call.ended"]
    assert row.signing_secret_sealed == sealed


async def test_switching_an_endpoint_off_records_that_someone_did(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_UPDATE, _input(endpoint, enabled=False), token=tenant.token
    )

    # then
    assert payload["webhookEndpoint"]["enabled"] is False
    assert payload["webhookEndpoint"]["disabledReason"] == "MANUAL"


async def test_enabling_an_endpoint_disabled_for_failing_clears_the_reason(gql, make):
    # given: the dispatcher gave up on the endpoint
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    await WebhookEndpoint.filter(id=endpoint.id).update(
        is_enabled=False, disabled_reason=DisabledReason.FAILING.value
    )

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_UPDATE, _input(endpoint, enabled=True), token=tenant.token
    )

    # then
    assert payload["webhookEndpoint"]["enabled"] is True
    assert payload["webhookEndpoint"]["disabledReason"] is None
    row = await WebhookEndpoint.get(id=endpoint.id)
    assert (row.is_enabled, row.disabled_reason) == (True, None)


async def test_a_bad_change_is_refused_and_nothing_changes(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint

    # when
    payload = await gql.payload(
        WEBHOOK_ENDPOINT_UPDATE,
        _input(endpoint, url="https://169.254.169.254/latest", eventTypes=[], enabled=False),
        token=tenant.token,
    )

    # then
    assert sorted(_codes(payload)) == [
        ("eventTypes", "INVALID_EVENT_TYPES"),
        ("url", "DESTINATION_NOT_ALLOWED"),
    ]
    row = await WebhookEndpoint.get(id=endpoint.id)
    assert (row.url, row.is_enabled) == ("https://hooks.example.com/voice", True)
    assert len(row.event_types) == len(CallEventType)


async def test_production_refuses_moving_an_endpoint_to_this_machine(server, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint

    async with production_api(server.settings) as api:
        # when
        payload = await api.gql.payload(
            WEBHOOK_ENDPOINT_UPDATE,
            _input(endpoint, url="https://127.0.0.1:8443/hooks"),
            token=tenant.token,
        )

    # then
    assert _codes(payload) == [("url", "DESTINATION_NOT_ALLOWED")]
    assert (await WebhookEndpoint.get(id=endpoint.id)).url == "https://hooks.example.com/voice"
