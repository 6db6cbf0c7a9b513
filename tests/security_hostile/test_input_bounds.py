"""Inputs the database cannot take are refused with a coded error before any resolver runs,
never a masked 500: lists longer than 100 items (in variables and in literals; 50,000 ids
became one SQL statement with more parameters than PostgreSQL allows), cursors whose time
overflows, and JSON numbers JSON does not have (NaN, Infinity, 1e999).

The outside test's lists (50,000 ids, 200,000 statuses) no longer fit in a /graphql body
(256 KiB); the list bound must hold whatever the body limit is, so those cases run against
an API whose body limit an operator raised to 16 MiB.
"""

from __future__ import annotations

import base64
import json
import logging
import uuid

import pytest
import pytest_asyncio

from orm.models import Organization
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.logs import capture_logs
from tests.support.operations import AGENT_CUSTOM_FUNCTIONS_SET, CALLS, ORGANIZATION_UPDATE
from tests.support.servers import asgi_client

LIST_LIMIT = 100


def _ids(count: int) -> list[str]:
    return [global_id("CustomFunction", str(uuid.uuid4())) for _ in range(count)]


async def _refused(gql, token: str, query: str, variables: dict) -> dict:
    with capture_logs(level=logging.ERROR) as errors:
        body = await gql.execute(query, variables, token=token)
    assert errors.records == []
    assert body["data"] is None, body
    assert error_codes(body) == ["BAD_REQUEST"], body
    return body


@pytest_asyncio.fixture(scope="module")
async def roomy(server):
    """The API with a body limit raised to 16 MiB."""
    settings = server.settings.model_copy(update={"graphql_max_body_bytes": 16 * 1024 * 1024})
    async with asgi_client(settings) as app:
        yield app.gql


@pytest.mark.parametrize("count", [LIST_LIMIT + 1, 50_000])
async def test_a_long_list_of_ids_in_a_variable_is_refused(roomy, make, count):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    variables = {"input": {"agentId": global_id("Agent", agent.id), "functionIds": _ids(count)}}

    # when
    body = await _refused(roomy, tenant.token, AGENT_CUSTOM_FUNCTIONS_SET, variables)

    # then
    assert [error["message"] for error in body["errors"]] == [
        f"A list takes at most {LIST_LIMIT} items; variable '$input' holds one of {count}."
    ]


async def test_a_long_status_list_in_a_variable_is_refused(roomy, make):
    # given
    tenant = await make.tenant()
    variables = {"organizationId": tenant.organization_id, "status": ["RINGING"] * 200_000}

    # when
    body = await _refused(roomy, tenant.token, CALLS, variables)

    # then
    assert [error["message"] for error in body["errors"]] == [
        f"A list takes at most {LIST_LIMIT} items; variable '$status' holds one of 200000."
    ]


async def test_at_the_default_body_limit_the_outside_tests_lists_do_not_even_arrive(gql, make):
    # given
    tenant = await make.tenant()
    variables = {"organizationId": tenant.organization_id, "status": ["RINGING"] * 200_000}

    # when
    response = await gql.raw(CALLS, variables, token=tenant.token)

    # then
    assert (response.status_code, response.text) == (
        413,
        "Request body too large: the limit is 262144 bytes.",
    )


async def test_a_long_list_literal_is_refused(gql, make):
    # given
    tenant = await make.tenant()
    statuses = ", ".join(["RINGING"] * (LIST_LIMIT + 1))
    query = (
        f'query {{ calls(organizationId: "{tenant.organization_id}", status: [{statuses}]) '
        "{ edges { cursor } } }"
    )

    # when
    body = await _refused(gql, tenant.token, query, {})

    # then
    assert [error["message"] for error in body["errors"]] == [
        f"A list takes at most {LIST_LIMIT} items; this one holds {LIST_LIMIT + 1}."
    ]


async def test_lists_at_the_limit_and_lists_inside_json_values_are_accepted(gql, make):
    # given
    tenant = await make.tenant()

    # when
    page = await gql.data(
        CALLS,
        {"organizationId": tenant.organization_id, "status": ["RINGING"] * LIST_LIMIT},
        token=tenant.token,
    )
    payload = await gql.payload(
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "businessDetails": {"hours": list(range(500))}}},
        token=tenant.token,
    )

    # then
    assert page["calls"]["edges"] == []
    assert payload["errors"] == []
    assert payload["organization"]["businessDetails"] == {"hours": list(range(500))}


def _cursor(moment: str) -> str:
    return base64.urlsafe_b64encode(f"{moment}|{uuid.uuid4()}".encode()).decode()


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"],
    ids=["far in the future", "before the first year"],
)
async def test_a_cursor_whose_time_overflows_is_refused(gql, make, moment):
    # given
    tenant = await make.tenant()
    variables = {"organizationId": tenant.organization_id, "after": _cursor(moment)}

    # when
    with capture_logs(level=logging.ERROR) as errors:
        body = await gql.execute(CALLS, variables, token=tenant.token)

    # then
    assert errors.records == []
    assert error_codes(body) == ["BAD_REQUEST"]
    assert [error["message"] for error in body["errors"]] == ["The `after` cursor is not valid."]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
async def test_a_json_value_with_a_number_json_does_not_have_is_refused(gql, make, number):
    # given
    tenant = await make.tenant()
    before = (await Organization.get(id=tenant.organization_uuid)).business_details
    variables = json.dumps({"input": {"id": tenant.organization_id, "businessDetails": {}}})
    variables = variables.replace('"businessDetails": {}', f'"businessDetails": {{"n": {number}}}')
    content = '{"query": ' + json.dumps(ORGANIZATION_UPDATE) + ', "variables": ' + variables + "}"

    # when
    with capture_logs(level=logging.ERROR) as errors:
        response = await gql.http.post(
            "/graphql",
            content=content,
            headers={
                "content-type": "application/json",
                "Authorization": f"Bearer {tenant.token}",
            },
        )

    # then: a coded error, and nothing changed
    assert errors.records == []
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["BAD_REQUEST"]
    assert [error["message"] for error in body["errors"]] == [
        "Variable '$input' has invalid value at .businessDetails: JSON numbers must be finite "
        "(NaN and Infinity are not JSON)."
    ]
    assert (await Organization.get(id=tenant.organization_uuid)).business_details == before


async def test_a_json_literal_with_an_infinite_number_is_refused(gql, make):
    # given
    tenant = await make.tenant()
    query = (
        f'mutation {{ organizationUpdate(input: {{id: "{tenant.organization_id}", '
        "businessDetails: {n: 1e999}}) { errors { code } } }"
    )

    # when
    body = await _refused(gql, tenant.token, query, {})

    # then
    assert [error["message"] for error in body["errors"]] == [
        "JSON numbers must be finite (NaN and Infinity are not JSON)."
    ]


def _nested_json(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


async def test_a_json_value_nested_past_64_levels_is_refused(gql, make):
    # given
    tenant = await make.tenant()

    # when
    accepted = await gql.payload(
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "businessDetails": _nested_json(64)}},
        token=tenant.token,
    )
    body = await _refused(
        gql,
        tenant.token,
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "businessDetails": _nested_json(65)}},
    )

    # then
    assert accepted["errors"] == []
    assert [error["message"] for error in body["errors"]] == [
        "Variable '$input' has invalid value at .businessDetails: JSON values may nest at most "
        "64 levels."
    ]
