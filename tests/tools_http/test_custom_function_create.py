"""customFunctionCreate: valid definitions are stored; invalid fields are coded payload errors."""

from __future__ import annotations

import pytest

from orm.models import CustomFunction
from tests.support.factories import ORDER_PARAMETERS
from tests.support.graphql import error_codes
from tests.support.operations import (
    CUSTOM_FUNCTION_CREATE,
    CUSTOM_FUNCTIONS,
)
from tests.tools_http.helpers import function_input


async def test_create_with_valid_values(gql, make):
    # given
    tenant = await make.tenant("Create Co")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(
            tenant.organization_id,
            method="post",
            urlTemplate="https://api.example.com/orders/{order_id}/notes",
            headers={"X-Client": "voice", "Accept": "application/json"},
            secretHeaders={"Authorization": "Bearer planted-create-secret"},
            timeoutSeconds=4.5,
        ),
        token=tenant.token,
    )

    # then
    assert payload["errors"] == []
    function = payload["customFunction"]
    assert function["name"] == "lookup_order"
    assert function["description"] == "Look up an order by its number."
    assert function["parameters"] == ORDER_PARAMETERS
    assert function["method"] == "POST"
    assert function["urlTemplate"] == "https://api.example.com/orders/{order_id}/notes"
    assert function["headers"] == {"X-Client": "voice", "Accept": "application/json"}
    assert function["secretHeaderNames"] == ["Authorization"]
    assert function["timeoutSeconds"] == 4.5
    assert function["isActive"] is True
    listed = await gql.data(
        CUSTOM_FUNCTIONS, {"organizationId": tenant.organization_id}, token=tenant.token
    )
    assert [f["id"] for f in listed["customFunctions"]] == [function["id"]]
    assert listed["customFunctions"][0] == function


async def test_create_defaults(gql, make):
    # given
    tenant = await make.tenant("Defaults Co")

    # when
    payload = await gql.ok(
        CUSTOM_FUNCTION_CREATE,
        function_input(
            tenant.organization_id,
            name="ping",
            parameters={"type": "object"},
            urlTemplate="https://api.example.com/ping",
        ),
        token=tenant.token,
    )

    # then
    function = payload["customFunction"]
    assert function["headers"] == {}
    assert function["secretHeaderNames"] == []
    assert function["timeoutSeconds"] == 10.0
    assert function["method"] == "GET"


INVALID_INPUTS = [
    pytest.param({"name": "1abc"}, "name", "INVALID_NAME", id="name-starts-with-digit"),
    pytest.param({"name": "has space"}, "name", "INVALID_NAME", id="name-with-space"),
    pytest.param({"name": ""}, "name", "INVALID_NAME", id="name-empty"),
    pytest.param({"name": "a" * 65}, "name", "INVALID_NAME", id="name-too-long"),
    pytest.param(
        {"name": "calendar_cancel_event"}, "name", "NAME_TAKEN", id="name-of-a-platform-function"
    ),
    pytest.param({"description": ""}, "description", "INVALID_DESCRIPTION", id="description-empty"),
    pytest.param(
        {"description": "   "}, "description", "INVALID_DESCRIPTION", id="description-blank"
    ),
    # (a URL without placeholders, so that only the parameters are at fault)
    pytest.param(
        {
            "parameters": {"type": "array", "items": {"type": "string"}},
            "urlTemplate": "https://api.example.com/orders",
        },
        "parameters",
        "INVALID_PARAMETERS",
        id="parameters-not-an-object-schema",
    ),
    pytest.param(
        {"parameters": ["order_id"], "urlTemplate": "https://api.example.com/orders"},
        "parameters",
        "INVALID_PARAMETERS",
        id="parameters-a-list",
    ),
    pytest.param(
        {"parameters": {"type": "object", "properties": {"order_id": {"type": "nope"}}}},
        "parameters",
        "INVALID_PARAMETERS",
        id="parameters-invalid-json-schema",
    ),
    pytest.param({"method": "TRACE"}, "method", "INVALID_METHOD", id="method-trace"),
    pytest.param({"method": ""}, "method", "INVALID_METHOD", id="method-empty"),
    pytest.param(
        {"urlTemplate": "ftp://api.example.com/orders/{order_id}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-ftp",
    ),
    pytest.param(
        {"urlTemplate": "https:///orders/{order_id}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-without-host",
    ),
    pytest.param(
        {"urlTemplate": "orders/{order_id}"}, "urlTemplate", "INVALID_URL", id="url-relative"
    ),
    pytest.param(
        {"urlTemplate": "https://user:pass@api.example.com/orders/{order_id}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-with-credentials",
    ),
    pytest.param(
        {"urlTemplate": "https://api.example.com/orders/{customer}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-placeholder-not-a-parameter",
    ),
    pytest.param(
        {"urlTemplate": "https://{order_id}/orders"},
        "urlTemplate",
        "INVALID_URL",
        id="url-host-is-a-placeholder",
    ),
    pytest.param(
        {"urlTemplate": "https://{order_id}.example.com/orders"},
        "urlTemplate",
        "INVALID_URL",
        id="url-subdomain-is-a-placeholder",
    ),
    pytest.param(
        {"urlTemplate": "https://api.example.com{order_id}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-placeholder-glued-to-the-host",
    ),
    pytest.param(
        {"urlTemplate": "https://api.example.com:{order_id}/orders"},
        "urlTemplate",
        "INVALID_URL",
        id="url-port-is-a-placeholder",
    ),
    pytest.param(
        {"urlTemplate": "https://[api.example.com/orders/{order_id}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-unclosed-ipv6-bracket",
    ),
    pytest.param(
        {"urlTemplate": "https://api.example.com/{order_id[0]}"},
        "urlTemplate",
        "INVALID_URL",
        id="url-placeholder-with-indexing",
    ),
    pytest.param(
        {"headers": {"Host": "internal.example"}}, "headers", "INVALID_HEADERS", id="headers-host"
    ),
    pytest.param(
        {"headers": {"X-Injected": "a\r\nX-Evil: 1"}},
        "headers",
        "INVALID_HEADERS",
        id="headers-value-with-newline",
    ),
    pytest.param(
        {"headers": {"Bad Name": "x"}}, "headers", "INVALID_HEADERS", id="headers-name-with-space"
    ),
    pytest.param(
        {"headers": {"X-Count": 3}}, "headers", "INVALID_HEADERS", id="headers-value-not-a-string"
    ),
    pytest.param(
        {"secretHeaders": {"Authorization": "Bearer x\nHost: evil"}},
        "secretHeaders",
        "INVALID_HEADERS",
        id="secret-headers-value-with-newline",
    ),
    pytest.param(
        {"secretHeaders": {"Content-Length": "5"}},
        "secretHeaders",
        "INVALID_HEADERS",
        id="secret-headers-reserved-name",
    ),
    pytest.param(
        {"timeoutSeconds": 0.1}, "timeoutSeconds", "INVALID_TIMEOUT", id="timeout-too-short"
    ),
    pytest.param(
        {"timeoutSeconds": 100}, "timeoutSeconds", "INVALID_TIMEOUT", id="timeout-too-long"
    ),
]


@pytest.mark.parametrize(("overrides", "field", "code"), INVALID_INPUTS)
async def test_invalid_values_are_payload_errors_and_nothing_is_stored(
    gql, make, overrides, field, code
):
    # given
    tenant = await make.tenant("Invalid Co")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(tenant.organization_id, **overrides),
        token=tenant.token,
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_several_invalid_fields_are_reported_together(gql, make):
    # given
    tenant = await make.tenant("Many Errors Co")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(tenant.organization_id, name="1abc", method="TRACE", timeoutSeconds=100),
        token=tenant.token,
    )

    # then
    assert payload["customFunction"] is None
    errors = payload["errors"]
    assert sorted((e["field"], e["code"]) for e in errors) == [
        ("method", "INVALID_METHOD"),
        ("name", "INVALID_NAME"),
        ("timeoutSeconds", "INVALID_TIMEOUT"),
    ]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_name_taken_in_the_same_organization_but_free_in_another(gql, make):
    # given: one person owning two organizations, the first with a lookup_order
    tenant = await make.tenant("Names Co")
    other = await make.tenant("Other Names Co", owner=tenant.owner)
    await make.custom_function(tenant, name="lookup_order")

    # when
    again = await gql.payload(
        CUSTOM_FUNCTION_CREATE, function_input(tenant.organization_id), token=tenant.token
    )
    elsewhere = await gql.payload(
        CUSTOM_FUNCTION_CREATE, function_input(other.organization_id), token=tenant.token
    )

    # then
    assert again["customFunction"] is None
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("name", "NAME_TAKEN")]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 1
    assert elsewhere["errors"] == []
    assert elsewhere["customFunction"]["name"] == "lookup_order"
    assert await CustomFunction.filter(organization_id=other.organization_uuid).count() == 1


async def test_billing_member_is_forbidden(gql, make):
    # given: billing lacks tool:configure (docs/permissions.md)
    tenant = await make.tenant("Billing Functions Co")
    billing = await make.member(tenant, "billing")

    # when
    created = await gql.execute(
        CUSTOM_FUNCTION_CREATE, function_input(tenant.organization_id), token=billing.token
    )
    listed = await gql.execute(
        CUSTOM_FUNCTIONS, {"organizationId": tenant.organization_id}, token=billing.token
    )

    # then
    assert created["data"] is None
    assert error_codes(created) == ["FORBIDDEN"]
    assert listed["data"] == {"customFunctions": None}
    assert error_codes(listed) == ["FORBIDDEN"]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_member_may_create(gql, make):
    # given: member holds tool:configure
    tenant = await make.tenant("Member Functions Co")
    member = await make.member(tenant, "member")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE, function_input(tenant.organization_id), token=member.token
    )

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["name"] == "lookup_order"
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 1


async def test_signed_out_is_unauthenticated(gql, make):
    # given
    tenant = await make.tenant("Anon Co")

    # when
    body = await gql.execute(CUSTOM_FUNCTION_CREATE, function_input(tenant.organization_id))

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
