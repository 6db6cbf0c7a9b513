"""customFunctionCreate: valid definitions are stored; invalid fields are coded payload errors."""

from __future__ import annotations

import pytest

from orm.models import CustomFunction
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member, error_codes, uuid_of
from tests.tools_http.helpers import (
    CUSTOM_FUNCTION_CREATE,
    CUSTOM_FUNCTIONS,
    ORDER_PARAMETERS,
    create_function,
    function_input,
)


async def test_create_with_valid_values(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Create Co")

    # when
    data = await gql.data(
        CUSTOM_FUNCTION_CREATE,
        function_input(
            organization_id,
            method="post",
            urlTemplate="https://api.example.com/orders/{order_id}/notes",
            headers={"X-Client": "voice", "Accept": "application/json"},
            secretHeaders={"Authorization": "Bearer planted-create-secret"},
            timeoutSeconds=4.5,
        ),
        token=owner.token,
    )

    # then
    payload = data["customFunctionCreate"]
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
        CUSTOM_FUNCTIONS, {"organizationId": organization_id}, token=owner.token
    )
    assert [f["id"] for f in listed["customFunctions"]] == [function["id"]]
    assert listed["customFunctions"][0] == function


async def test_create_defaults(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Defaults Co")

    # when
    function = await create_function(
        gql,
        owner,
        organization_id,
        name="ping",
        parameters={"type": "object"},
        urlTemplate="https://api.example.com/ping",
    )

    # then
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
async def test_invalid_values_are_payload_errors_and_nothing_is_stored(gql, overrides, field, code):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Invalid Co")

    # when
    data = await gql.data(
        CUSTOM_FUNCTION_CREATE, function_input(organization_id, **overrides), token=owner.token
    )

    # then
    payload = data["customFunctionCreate"]
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    assert await CustomFunction.filter(organization_id=uuid_of(organization_id)).count() == 0


async def test_several_invalid_fields_are_reported_together(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Many Errors Co")

    # when
    data = await gql.data(
        CUSTOM_FUNCTION_CREATE,
        function_input(organization_id, name="1abc", method="TRACE", timeoutSeconds=100),
        token=owner.token,
    )

    # then
    errors = data["customFunctionCreate"]["errors"]
    assert sorted((e["field"], e["code"]) for e in errors) == [
        ("method", "INVALID_METHOD"),
        ("name", "INVALID_NAME"),
        ("timeoutSeconds", "INVALID_TIMEOUT"),
    ]
    assert await CustomFunction.filter(organization_id=uuid_of(organization_id)).count() == 0


async def test_name_taken_in_the_same_organization_but_free_in_another(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Names Co")
    other_organization_id = await create_organization(gql, owner, "Other Names Co")
    await create_function(gql, owner, organization_id)

    # when
    again = await gql.data(
        CUSTOM_FUNCTION_CREATE, function_input(organization_id), token=owner.token
    )
    elsewhere = await gql.data(
        CUSTOM_FUNCTION_CREATE, function_input(other_organization_id), token=owner.token
    )

    # then
    assert again["customFunctionCreate"]["customFunction"] is None
    assert [(e["field"], e["code"]) for e in again["customFunctionCreate"]["errors"]] == [
        ("name", "NAME_TAKEN")
    ]
    assert await CustomFunction.filter(organization_id=uuid_of(organization_id)).count() == 1
    assert elsewhere["customFunctionCreate"]["errors"] == []
    assert elsewhere["customFunctionCreate"]["customFunction"]["name"] == "lookup_order"


async def test_billing_member_is_forbidden(gql):
    # given: billing lacks tool:configure (docs/permissions.md)
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Billing Functions Co")
    billing, _ = await add_member(gql, owner, organization_id, "billing")

    # when
    created = await gql.execute(
        CUSTOM_FUNCTION_CREATE, function_input(organization_id), token=billing.token
    )
    listed = await gql.execute(
        CUSTOM_FUNCTIONS, {"organizationId": organization_id}, token=billing.token
    )

    # then
    assert created["data"] is None
    assert error_codes(created) == ["FORBIDDEN"]
    assert listed["data"] is None
    assert error_codes(listed) == ["FORBIDDEN"]
    assert await CustomFunction.filter(organization_id=uuid_of(organization_id)).count() == 0


async def test_member_may_create(gql):
    # given: member holds tool:configure
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Member Functions Co")
    member, _ = await add_member(gql, owner, organization_id, "member")

    # when
    function = await create_function(gql, member, organization_id)

    # then
    assert function["name"] == "lookup_order"


async def test_signed_out_is_unauthenticated(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Anon Co")

    # when
    body = await gql.execute(CUSTOM_FUNCTION_CREATE, function_input(organization_id))

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
