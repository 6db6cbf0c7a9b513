"""webhook:manage: held by organization admins; everyone else is FORBIDDEN, reading too."""

from __future__ import annotations

import pytest

from core.partner_webhooks.states import DeliveryStatus
from core.rbac import BUILTIN_ROLE_PERMISSIONS, BuiltinRole, Permission
from orm.models import WebhookEndpoint
from tests.partner_webhooks.helpers import delivery
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import (
    WEBHOOK_DELIVERY_RETRY,
    WEBHOOK_ENDPOINT,
    WEBHOOK_ENDPOINT_CREATE,
    WEBHOOK_ENDPOINT_DELETE,
    WEBHOOK_ENDPOINT_ROTATE_SECRET,
    WEBHOOK_ENDPOINT_TEST,
    WEBHOOK_ENDPOINT_UPDATE,
    WEBHOOK_ENDPOINTS,
)


def test_only_admins_hold_the_permission_among_the_built_in_roles():
    assert {
        role
        for role, permissions in BUILTIN_ROLE_PERMISSIONS.items()
        if Permission.WEBHOOK_MANAGE in permissions
    } == {BuiltinRole.PLATFORM_ADMIN, BuiltinRole.ORG_ADMIN}


@pytest.mark.parametrize("role", ["member", "billing"])
async def test_a_member_without_webhook_manage_may_neither_read_nor_change(gql, make, role):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    failed = await delivery(endpoint, DeliveryStatus.FAILED)
    person = await make.member(tenant, role)
    endpoint_input = {"input": {"id": global_id("WebhookEndpoint", endpoint.id)}}

    # when
    answers = {
        "create": await gql.execute(
            WEBHOOK_ENDPOINT_CREATE,
            {
                "input": {
                    "organizationId": tenant.organization_id,
                    "url": "https://hooks.example.com/member",
                    "eventTypes": ["ENDED"],
                }
            },
            token=person.token,
        ),
        "update": await gql.execute(
            WEBHOOK_ENDPOINT_UPDATE,
            {"input": {**endpoint_input["input"], "enabled": False}},
            token=person.token,
        ),
        "delete": await gql.execute(WEBHOOK_ENDPOINT_DELETE, endpoint_input, token=person.token),
        "rotate": await gql.execute(
            WEBHOOK_ENDPOINT_ROTATE_SECRET, endpoint_input, token=person.token
        ),
        "test": await gql.execute(WEBHOOK_ENDPOINT_TEST, endpoint_input, token=person.token),
        "retry": await gql.execute(
            WEBHOOK_DELIVERY_RETRY,
            {"input": {"id": global_id("WebhookDelivery", failed.id)}},
            token=person.token,
        ),
        "read one": await gql.execute(
            WEBHOOK_ENDPOINT, {"id": endpoint_input["input"]["id"]}, token=person.token
        ),
        "read list": await gql.execute(
            WEBHOOK_ENDPOINTS, {"id": tenant.organization_id}, token=person.token
        ),
    }

    # then
    assert {name: error_codes(body) for name, body in answers.items()} == {
        name: ["FORBIDDEN"] for name in answers
    }
    row = await WebhookEndpoint.get(id=endpoint.id)
    assert (row.is_enabled, row.signing_secret_sealed) == (True, endpoint.signing_secret_sealed)
    assert await WebhookEndpoint.filter(organization_id=tenant.organization_uuid).count() == 1


async def test_a_custom_role_with_webhook_manage_may_manage_endpoints(gql, make):
    # given
    tenant = await make.tenant()
    role = await make.custom_role(["org:read", "webhook:manage"])
    integrator = await make.member(tenant, role.key)

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_CREATE,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "url": "https://hooks.example.com/integrator",
                "eventTypes": ["ENDED"],
            }
        },
        token=integrator.token,
    )
    listed = await gql.data(
        WEBHOOK_ENDPOINTS, {"id": tenant.organization_id}, token=integrator.token
    )

    # then
    assert payload["signingSecret"].startswith("whsec_")
    assert listed["organization"]["webhookEndpoints"]["totalCount"] == 1


async def test_a_delivery_body_asks_for_the_permission_that_reads_calls(gql, make):
    # given: an integrator who manages endpoints but may not read calls
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    await delivery(endpoint, DeliveryStatus.SUCCEEDED)
    role = await make.custom_role(["org:read", "webhook:manage"])
    integrator = await make.member(tenant, role.key)

    # when
    body = await gql.execute(
        "query Q($id: ID!) { webhookEndpoint(id: $id) {"
        " deliveries { edges { node { status payload } } } } }",
        {"id": global_id("WebhookEndpoint", endpoint.id)},
        token=integrator.token,
    )

    # then: the delivery's state shows, its body (the call's record) does not
    assert error_codes(body) == ["FORBIDDEN"]
    (edge,) = body["data"]["webhookEndpoint"]["deliveries"]["edges"]
    assert edge["node"] == {"status": "SUCCEEDED", "payload": None}
