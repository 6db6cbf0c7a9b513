"""Each list declares its own page sizes: `first` from 1 to its maximum (published in the
schema), refused beyond it by the field with BAD_REQUEST at the field's path; connections
count their whole list in `totalCount`."""

import pytest
from graphql import GraphQLObjectType, get_named_type

from core.call_events import Speaker, TranscriptSegment
from core.services import calls
from core.services.calls import CallStatus
from core.settings import Settings
from graphql_api.calls.types import TIMELINE_PAGE_SIZE
from graphql_api.pagination import CountedConnection
from graphql_api.schema import build_schema
from tests.support.ids import global_id

TIMELINE = """
query Timeline($id: ID!, $first: Int!) {
  call(id: $id) { id timeline(first: $first) { seq } }
}
"""

AGENTS = """
query Agents($org: ID!, $first: Int, $after: String) {
  me { id }
  agents(organizationId: $org, first: $first, after: $after) {
    totalCount
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

NESTED_AGENTS = """
query Nested($org: ID!, $first: Int) {
  organization(id: $org) { name agents(first: $first) { totalCount edges { node { id } } } }
}
"""

CALLS = """
query Calls($org: ID!, $status: [CallStatus!], $first: Int) {
  calls(organizationId: $org, status: $status, first: $first) {
    totalCount
    edges { node { id status } }
  }
}
"""

LEDGER = """
query Ledger($org: ID!) {
  billingSummary(organizationId: $org) { ledger(first: 1) { totalCount edges { node { kind } } } }
}
"""


async def _transcript(call, lines: int) -> None:
    for line in range(lines):
        await calls.record_event(
            call_id=call.id,
            payload=TranscriptSegment(speaker=Speaker.CALLER, text=f"line {line}"),
            bus=None,
        )


async def test_a_timeline_of_500_events_is_one_page(gql, make):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    await _transcript(call, 3)
    call_id = global_id("Call", call.id)

    # when
    whole = await gql.data(TIMELINE, {"id": call_id, "first": 500}, token=tenant.token)
    part = await gql.data(TIMELINE, {"id": call_id, "first": 2}, token=tenant.token)

    # then
    assert TIMELINE_PAGE_SIZE.maximum == 500
    assert [event["seq"] for event in whole["call"]["timeline"]] == [1, 2, 3]
    assert [event["seq"] for event in part["call"]["timeline"]] == [1, 2]


@pytest.mark.parametrize("first", [0, 501])
async def test_a_timeline_page_beyond_its_sizes_is_refused_at_its_path(gql, make, first):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)

    # when
    body = await gql.execute(
        TIMELINE, {"id": global_id("Call", call.id), "first": first}, token=tenant.token
    )

    # then
    [error] = body["errors"]
    assert error["message"] == "`first` must be between 1 and 500."
    assert (error["path"], error["extensions"]["code"]) == (["call", "timeline"], "BAD_REQUEST")
    assert body["data"] == {"call": None}


@pytest.mark.parametrize("first", [0, -1, 101, 10_000])
async def test_a_connection_page_beyond_its_maximum_is_refused_at_its_path(gql, make, first):
    # given
    tenant = await make.tenant()
    await make.agent(tenant)

    # when
    top = await gql.execute(
        AGENTS, {"org": tenant.organization_id, "first": first}, token=tenant.token
    )
    nested = await gql.execute(
        NESTED_AGENTS, {"org": tenant.organization_id, "first": first}, token=tenant.token
    )

    # then: the field is null with its error; the rest is answered
    assert top["data"] == {"me": {"id": tenant.owner.user_id}, "agents": None}
    assert [(e["message"], e["path"], e["extensions"]["code"]) for e in top["errors"]] == [
        ("`first` must be between 1 and 100.", ["agents"], "BAD_REQUEST")
    ]
    assert nested["data"]["organization"]["agents"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in nested["errors"]] == [
        (["organization", "agents"], "BAD_REQUEST")
    ]


async def test_total_count_counts_every_page_of_the_list(gql, make):
    # given three agents here, one elsewhere
    tenant = await make.tenant()
    for _ in range(3):
        await make.agent(tenant)
    await make.agent(await make.tenant())
    variables = {"org": tenant.organization_id, "first": 2}

    # when
    first_page = (await gql.data(AGENTS, variables, token=tenant.token))["agents"]
    second_page = (
        await gql.data(
            AGENTS,
            {**variables, "after": first_page["pageInfo"]["endCursor"]},
            token=tenant.token,
        )
    )["agents"]
    nested = await gql.data(NESTED_AGENTS, variables, token=tenant.token)

    # then
    assert (first_page["totalCount"], len(first_page["edges"])) == (3, 2)
    assert (second_page["totalCount"], len(second_page["edges"])) == (3, 1)
    assert nested["organization"]["agents"]["totalCount"] == 3


async def test_total_count_counts_with_the_connections_filters(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    await make.call(tenant, agent, status=CallStatus.COMPLETED)
    await make.call(tenant, agent, status=CallStatus.COMPLETED)
    await make.call(tenant, agent, status=CallStatus.BUSY)

    # when
    completed = await gql.data(
        CALLS,
        {"org": tenant.organization_id, "status": ["COMPLETED"], "first": 1},
        token=tenant.token,
    )
    every = await gql.data(CALLS, {"org": tenant.organization_id}, token=tenant.token)

    # then
    assert completed["calls"]["totalCount"] == 2
    assert [edge["node"]["status"] for edge in completed["calls"]["edges"]] == ["COMPLETED"]
    assert every["calls"]["totalCount"] == 3


async def test_the_ledger_counts_its_entries(gql, make):
    # given
    tenant = await make.tenant()
    await make.grant_credits(tenant, 10)
    await make.grant_credits(tenant, 20)

    # when
    data = await gql.data(LEDGER, {"org": tenant.organization_id}, token=tenant.token)

    # then (the welcome grant, if the suite's settings give one, is an entry too)
    ledger = data["billingSummary"]["ledger"]
    assert ledger["totalCount"] >= 2
    assert len(ledger["edges"]) == 1


def test_every_page_argument_publishes_its_sizes():
    # given
    schema = build_schema(Settings())
    graphql_schema = schema._schema

    # when: every field with a `first` argument
    paged = [
        (type_name, field_name, field)
        for type_name, graphql_type in graphql_schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__")
        for field_name, field in graphql_type.fields.items()
        if "first" in field.args
    ]

    # then its default and description are the list's own sizes
    assert len(paged) >= 5
    for type_name, field_name, field in paged:
        returned = get_named_type(field.type).name
        if returned.endswith("Connection"):
            origin = schema.get_type_by_name(returned).origin
            assert issubclass(origin, CountedConnection), returned
            sizes = origin.page_size
        else:
            assert (type_name, field_name) == ("Call", "timeline")
            sizes = TIMELINE_PAGE_SIZE
        first = field.args["first"]
        assert first.default_value == sizes.default, (type_name, field_name)
        assert first.description == sizes.description, (type_name, field_name)
