"""webhookEndpointCreate: an endpoint with a signing secret shown once, and the URL rules."""

from __future__ import annotations

import pytest

from core.partner_webhooks import signing_secrets
from orm.models import WebhookEndpoint
from tests.partner_webhooks.helpers import production_api
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import uuid_of
from tests.support.operations import WEBHOOK_ENDPOINT_CREATE


def _input(organization_id: str, **fields: object) -> dict:
    return {
        "input": {
            "organizationId": organization_id,
            "url": "https://hooks.example.com/voice",
            "eventTypes": ["ENDED", "STATUS_CHANGED"],
            **fields,
        }
    }


def _codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def test_an_endpoint_is_registered_with_a_secret_that_opens_from_its_row(gql, make, server):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE,
        _input(tenant.organization_id, description="  CRM sync  "),
        token=tenant.token,
    )

    # then
    endpoint = payload["webhookEndpoint"]
    assert endpoint["url"] == "https://hooks.example.com/voice"
    assert endpoint["description"] == "CRM sync"
    # kept in the enum's order, once each
    assert endpoint["eventTypes"] == ["STATUS_CHANGED", "ENDED"]
    assert (endpoint["enabled"], endpoint["disabledReason"]) == (True, None)
    assert endpoint["previousSecretExpiresAt"] is None
    secret = payload["signingSecret"]
    assert secret.startswith("whsec_")
    row = await WebhookEndpoint.get(id=uuid_of(endpoint["id"]))
    assert row.organization_id == tenant.organization_uuid
    assert row.event_types == ["call.status_changed", "call.ended"]
    assert secret not in row.signing_secret_sealed
    opened = signing_secrets.open_secret(
        row.signing_secret_sealed,
        endpoint_id=row.id,
        organization_id=row.organization_id,
        settings=server.settings,
    )
    assert opened == secret


async def test_an_endpoint_can_start_disabled(gql, make):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id, enabled=False), token=tenant.token
    )

    # then
    assert payload["webhookEndpoint"]["enabled"] is False
    assert payload["webhookEndpoint"]["disabledReason"] == "MANUAL"


async def test_each_endpoint_gets_its_own_secret(gql, make):
    # given
    tenant = await make.tenant()

    # when
    first = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id), token=tenant.token
    )
    second = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id), token=tenant.token
    )

    # then
    assert first["signingSecret"] != second["signingSecret"]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("hooks.example.com/voice", "INVALID_URL"),
        ("ftp://hooks.example.com/voice", "INVALID_URL"),
        ("https://", "INVALID_URL"),
        ("https://hooks.example.com:99999/voice", "INVALID_URL"),
        ("https://user:pass@hooks.example.com/voice", "INVALID_URL"),
        ("https://token@hooks.example.com/voice", "INVALID_URL"),
        ("https://hooks.example.com/" + "a" * 2030, "INVALID_URL"),
        # plain http only to this machine, even in development
        ("http://hooks.example.com/voice", "INVALID_URL"),
        # private and internal hosts are refused in development too; only loopback passes
        ("https://10.1.2.3/voice", "DESTINATION_NOT_ALLOWED"),
        ("https://192.168.1.10/voice", "DESTINATION_NOT_ALLOWED"),
        ("https://169.254.169.254/latest/meta-data", "DESTINATION_NOT_ALLOWED"),
        ("https://metadata.google.internal/voice", "DESTINATION_NOT_ALLOWED"),
        ("https://[fd00::1]/voice", "DESTINATION_NOT_ALLOWED"),
        ("http://10.1.2.3/voice", "INVALID_URL"),
    ],
)
async def test_a_url_breaking_the_rules_is_refused(gql, make, url, code):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.payload(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id, url=url), token=tenant.token
    )

    # then
    assert _codes(payload) == [("url", code)]
    assert payload["webhookEndpoint"] is None
    assert payload["signingSecret"] is None
    assert not await WebhookEndpoint.filter(organization_id=tenant.organization_uuid).exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/hooks",
        "http://localhost:8765/hooks",
        "http://[::1]:8765/hooks",
        "https://127.0.0.1/hooks",
    ],
)
async def test_development_accepts_a_receiver_on_this_machine(gql, make, url):
    # given: the suite's server runs as a development installation
    tenant = await make.tenant()

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id, url=url), token=tenant.token
    )

    # then
    assert payload["webhookEndpoint"]["url"] == url


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/voice", "INVALID_URL"),
        ("http://127.0.0.1:8765/hooks", "INVALID_URL"),
        ("http://localhost/hooks", "INVALID_URL"),
        ("https://127.0.0.1/hooks", "DESTINATION_NOT_ALLOWED"),
        ("https://127.0.0.2:8443/hooks", "DESTINATION_NOT_ALLOWED"),
        ("https://localhost/hooks", "DESTINATION_NOT_ALLOWED"),
        ("https://api.localhost/hooks", "DESTINATION_NOT_ALLOWED"),
        ("https://[::1]/hooks", "DESTINATION_NOT_ALLOWED"),
        ("https://10.1.2.3/voice", "DESTINATION_NOT_ALLOWED"),
        ("https://172.16.0.9/voice", "DESTINATION_NOT_ALLOWED"),
    ],
)
async def test_production_refuses_plain_http_and_this_machine(server, make, url, code):
    # given
    tenant = await make.tenant()

    async with production_api(server.settings) as api:
        # when
        payload = await api.gql.payload(
            WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id, url=url), token=tenant.token
        )

    # then
    assert _codes(payload) == [("url", code)]
    assert not await WebhookEndpoint.filter(organization_id=tenant.organization_uuid).exists()


async def test_production_admits_the_hosts_and_networks_the_operator_lists(server, make):
    # given: an installation whose partners include an on-premise receiver
    tenant = await make.tenant()
    urls = [
        "https://10.1.2.3/voice",
        "https://localhost:8443/voice",
        "https://192.168.1.10/voice",
        "https://127.0.0.1/voice",
    ]

    async with production_api(
        server.settings, webhook_allowed_networks=["10.0.0.0/8", "localhost"]
    ) as api:
        # when
        results = {
            url: await api.gql.payload(
                WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id, url=url), token=tenant.token
            )
            for url in urls
        }

    # then: the listed network and name pass; the rest stays refused
    assert {url: _codes(payload) for url, payload in results.items()} == {
        "https://10.1.2.3/voice": [],
        "https://localhost:8443/voice": [],
        "https://192.168.1.10/voice": [("url", "DESTINATION_NOT_ALLOWED")],
        "https://127.0.0.1/voice": [("url", "DESTINATION_NOT_ALLOWED")],
    }


async def test_an_empty_list_of_event_types_is_refused(gql, make):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.payload(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id, eventTypes=[]), token=tenant.token
    )

    # then
    assert _codes(payload) == [("eventTypes", "INVALID_EVENT_TYPES")]
    assert not await WebhookEndpoint.filter(organization_id=tenant.organization_uuid).exists()


async def test_an_unknown_event_type_is_refused_before_anything_runs(gql, make):
    # given
    tenant = await make.tenant()

    # when
    body = await gql.execute(
        WEBHOOK_ENDPOINT_CREATE,
        _input(tenant.organization_id, eventTypes=["ENDED", "CALL_EXPLODED"]),
        token=tenant.token,
    )

    # then
    assert error_codes(body) == ["BAD_REQUEST"]
    assert not await WebhookEndpoint.filter(organization_id=tenant.organization_uuid).exists()


async def test_every_problem_is_reported_at_once(gql, make):
    # given
    tenant = await make.tenant()

    # when
    payload = await gql.payload(
        WEBHOOK_ENDPOINT_CREATE,
        _input(
            tenant.organization_id, url="http://x.example", eventTypes=[], description="d" * 501
        ),
        token=tenant.token,
    )

    # then
    assert sorted(payload_codes(payload)) == [
        "INVALID_DESCRIPTION",
        "INVALID_EVENT_TYPES",
        "INVALID_URL",
    ]


async def test_an_organization_has_at_most_the_allowed_number_of_endpoints(gql, make, server):
    # given: an organization at the limit, and another with room
    tenant = await make.tenant()
    limit = server.settings.webhook_max_endpoints_per_organization
    for _ in range(limit):
        await make.webhook_endpoint(tenant)
    other = await make.tenant("Other")

    # when
    refused = await gql.payload(
        WEBHOOK_ENDPOINT_CREATE, _input(tenant.organization_id), token=tenant.token
    )
    accepted = await gql.payload(
        WEBHOOK_ENDPOINT_CREATE, _input(other.organization_id), token=other.token
    )

    # then
    assert _codes(refused) == [(None, "TOO_MANY_ENDPOINTS")]
    assert refused["signingSecret"] is None
    assert await WebhookEndpoint.filter(organization_id=tenant.organization_uuid).count() == limit
    assert accepted["errors"] == []
