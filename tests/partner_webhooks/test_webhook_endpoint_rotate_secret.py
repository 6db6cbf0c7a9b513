"""webhookEndpointRotateSecret: a new secret shown once; the old one signs on for the overlap.

Each secret is shown once: the scan (tests/support/secret_scan.py) plants the `signingSecret`
of every payload and fails a test if a later response or log line carries it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from core.partner_webhooks import signing_secrets
from core.services import webhook_endpoints
from orm.models import WebhookEndpoint
from tests.support.graphql import payload_codes
from tests.support.ids import global_id
from tests.support.operations import (
    WEBHOOK_ENDPOINT,
    WEBHOOK_ENDPOINT_CREATE,
    WEBHOOK_ENDPOINT_ROTATE_SECRET,
)
from tests.support.secret_scan import SecretScanner


def _open(row: WebhookEndpoint, settings, column: str = signing_secrets.CURRENT_COLUMN) -> str:  # type: ignore[no-untyped-def]
    sealed = (
        row.signing_secret_sealed
        if column == signing_secrets.CURRENT_COLUMN
        else row.previous_signing_secret_sealed
    )
    assert sealed is not None
    return signing_secrets.open_secret(
        sealed,
        endpoint_id=row.id,
        organization_id=row.organization_id,
        settings=settings,
        column=column,
    )


async def test_the_old_secret_keeps_signing_for_24_hours(gql, make, server):
    # given
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant)
    endpoint_id = global_id("WebhookEndpoint", issued.endpoint.id)

    # when
    before = datetime.now(UTC)
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_ROTATE_SECRET, {"input": {"id": endpoint_id}}, token=tenant.token
    )
    after = datetime.now(UTC)

    # then: the new secret is current, the old one is the previous, until 24 hours from now
    new_secret = payload["signingSecret"]
    assert new_secret.startswith("whsec_") and new_secret != issued.signing_secret
    row = await WebhookEndpoint.get(id=issued.endpoint.id)
    assert _open(row, server.settings) == new_secret
    assert _open(row, server.settings, signing_secrets.PREVIOUS_COLUMN) == issued.signing_secret
    assert row.previous_secret_expires_at is not None
    assert (
        before + timedelta(hours=24)
        <= row.previous_secret_expires_at
        <= after + timedelta(hours=24)
    )
    shown = datetime.fromisoformat(payload["webhookEndpoint"]["previousSecretExpiresAt"])
    assert shown == row.previous_secret_expires_at


async def test_a_sealed_secret_is_bound_to_its_column(make, server):
    # given: a rotated endpoint
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant)
    await webhook_endpoints.rotate_secret(endpoint=issued.endpoint, settings=server.settings)
    row = await WebhookEndpoint.get(id=issued.endpoint.id)
    assert row.previous_signing_secret_sealed is not None

    # when / then: the previous secret's sealed value does not open as the current one
    try:
        signing_secrets.open_secret(
            row.previous_signing_secret_sealed,
            endpoint_id=row.id,
            organization_id=row.organization_id,
            settings=server.settings,
        )
    except signing_secrets.SigningSecretError:
        pass
    else:
        raise AssertionError("the previous secret opened as the current one")


async def test_an_overlap_of_zero_stops_the_old_secret_at_once(gql, make, server):
    # given: an endpoint whose secret leaked, in the middle of an earlier rotation
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant)
    endpoint_id = global_id("WebhookEndpoint", issued.endpoint.id)
    await gql.ok(WEBHOOK_ENDPOINT_ROTATE_SECRET, {"input": {"id": endpoint_id}}, token=tenant.token)

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_ROTATE_SECRET,
        {"input": {"id": endpoint_id, "overlapHours": 0}},
        token=tenant.token,
    )

    # then
    assert payload["webhookEndpoint"]["previousSecretExpiresAt"] is None
    row = await WebhookEndpoint.get(id=issued.endpoint.id)
    assert (row.previous_signing_secret_sealed, row.previous_secret_expires_at) == (None, None)
    assert _open(row, server.settings) == payload["signingSecret"]


async def test_a_second_rotation_keeps_only_the_secret_it_replaces(gql, make, server):
    # given
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant)
    endpoint_id = global_id("WebhookEndpoint", issued.endpoint.id)
    first = await gql.ok(
        WEBHOOK_ENDPOINT_ROTATE_SECRET, {"input": {"id": endpoint_id}}, token=tenant.token
    )

    # when
    second = await gql.ok(
        WEBHOOK_ENDPOINT_ROTATE_SECRET,
        {"input": {"id": endpoint_id, "overlapHours": 2}},
        token=tenant.token,
    )

    # then
    row = await WebhookEndpoint.get(id=issued.endpoint.id)
    assert _open(row, server.settings) == second["signingSecret"]
    assert _open(row, server.settings, signing_secrets.PREVIOUS_COLUMN) == first["signingSecret"]
    assert row.previous_secret_expires_at is not None
    assert row.previous_secret_expires_at <= datetime.now(UTC) + timedelta(hours=2)


async def test_an_overlap_beyond_a_week_is_refused(gql, make):
    # given
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant)
    sealed = issued.endpoint.signing_secret_sealed

    # when
    payload = await gql.payload(
        WEBHOOK_ENDPOINT_ROTATE_SECRET,
        {"input": {"id": global_id("WebhookEndpoint", issued.endpoint.id), "overlapHours": 169}},
        token=tenant.token,
    )

    # then
    assert payload_codes(payload) == ["INVALID_OVERLAP"]
    assert payload["signingSecret"] is None
    assert (await WebhookEndpoint.get(id=issued.endpoint.id)).signing_secret_sealed == sealed


async def test_the_secret_is_never_readable_after_it_was_shown(gql, make):
    # given
    tenant = await make.tenant()
    created = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "url": "https://hooks.example.com/voice",
                "eventTypes": ["ENDED"],
            }
        },
        token=tenant.token,
    )
    secret = created["signingSecret"]

    # when
    shape = await gql.data(
        '{ __type(name: "WebhookEndpoint") { fields { name } } }', token=tenant.token
    )
    read = await gql.execute(
        WEBHOOK_ENDPOINT, {"id": created["webhookEndpoint"]["id"]}, token=tenant.token
    )

    # then: no field of an endpoint carries a secret, and the answer does not hold it
    names = {field["name"] for field in shape["__type"]["fields"]}
    assert not {name for name in names if "secret" in name.lower()} - {"previousSecretExpiresAt"}
    assert secret not in str(read)


def test_the_scan_fails_a_later_answer_that_shows_the_secret_again():
    # given: a scanner that saw a creation's answer
    scanner = SecretScanner()
    secret = "whsec_c2VjcmV0LXNob3duLW9uY2UtZm9yLXRoZS10ZXN0"
    issuing = json.dumps({"data": {"webhookEndpointCreate": {"signingSecret": secret}}})
    scanner.record_response("/graphql", issuing)
    assert scanner.check() == []

    # when: a later answer carries it
    scanner.record_response("/graphql", json.dumps({"data": {"leak": secret}}))

    # then
    (violation,) = scanner.check()
    assert violation.startswith("webhook signing secret")
