"""Another organization's user sees custom functions exactly as if they did not exist."""

from __future__ import annotations

from orm.models import AgentCustomFunction, CustomFunction
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id
from tests.support.operations import (
    AGENT_CUSTOM_FUNCTIONS,
    AGENT_CUSTOM_FUNCTIONS_SET,
    CUSTOM_FUNCTION_DELETE,
    CUSTOM_FUNCTION_UPDATE,
    CUSTOM_FUNCTIONS,
)
from tests.tools_http.helpers import (
    CUSTOM_FUNCTION_NODE,
    agent_with_function,
)


async def test_outsider_gets_not_found_everywhere(gql, make):
    # given
    tenant, agent, function = await agent_with_function(make)
    outsider = await make.tenant("Outsider Co")
    function_id, agent_id = global_id("CustomFunction", function.id), global_id("Agent", agent.id)

    # when
    listed = await gql.execute(
        CUSTOM_FUNCTIONS, {"organizationId": tenant.organization_id}, token=outsider.token
    )
    updated = await gql.execute(
        CUSTOM_FUNCTION_UPDATE,
        {"input": {"id": function_id, "urlTemplate": "https://evil.example/{order_id}"}},
        token=outsider.token,
    )
    deleted = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": function_id}}, token=outsider.token
    )
    cleared = await gql.execute(
        AGENT_CUSTOM_FUNCTIONS_SET,
        {"input": {"agentId": agent_id, "functionIds": []}},
        token=outsider.token,
    )
    offered = await gql.execute(AGENT_CUSTOM_FUNCTIONS, {"id": agent_id}, token=outsider.token)
    node = await gql.execute(CUSTOM_FUNCTION_NODE, {"id": function_id}, token=outsider.token)

    # then
    for body in (listed, updated, deleted, cleared, offered, node):
        # a mutation's payload nulls `data`; a query's root field is null alone
        assert not any((body["data"] or {}).values()), body
        assert error_codes(body) == ["NOT_FOUND"], body
    row = await CustomFunction.get(id=function.id)
    assert row.url_template == "https://api.example.com/orders/{order_id}"
    assert await AgentCustomFunction.filter(agent_id=agent.id).count() == 1


async def test_answers_match_those_for_missing_objects(gql, make):
    # given
    _, _, function = await agent_with_function(make)
    outsider = await make.tenant("Outsider Two Co")
    missing = fake_global_id("CustomFunction")

    # when
    theirs = await gql.execute(
        CUSTOM_FUNCTION_DELETE,
        {"input": {"id": global_id("CustomFunction", function.id)}},
        token=outsider.token,
    )
    nothing = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": missing}}, token=outsider.token
    )

    # then
    assert theirs["data"] == nothing["data"] is None
    assert [e["message"] for e in theirs["errors"]] == [e["message"] for e in nothing["errors"]]
    assert error_codes(theirs) == error_codes(nothing) == ["NOT_FOUND"]
    assert await CustomFunction.filter(id=function.id).exists()


async def test_owner_reads_by_node(gql, make):
    # given
    tenant, _, function = await agent_with_function(make)
    function_id = global_id("CustomFunction", function.id)

    # when
    node = await gql.data(CUSTOM_FUNCTION_NODE, {"id": function_id}, token=tenant.token)

    # then
    assert node["node"] == {
        "id": function_id,
        "name": "lookup_order",
        "urlTemplate": "https://api.example.com/orders/{order_id}",
    }


async def test_billing_member_cannot_change_or_read(gql, make):
    # given
    tenant, agent, function = await agent_with_function(make)
    billing = await make.member(tenant, "billing")
    function_id = global_id("CustomFunction", function.id)

    # when
    updated = await gql.execute(
        CUSTOM_FUNCTION_UPDATE,
        {"input": {"id": function_id, "description": "x"}},
        token=billing.token,
    )
    deleted = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": function_id}}, token=billing.token
    )
    cleared = await gql.execute(
        AGENT_CUSTOM_FUNCTIONS_SET,
        {"input": {"agentId": global_id("Agent", agent.id), "functionIds": []}},
        token=billing.token,
    )
    node = await gql.execute(CUSTOM_FUNCTION_NODE, {"id": function_id}, token=billing.token)

    # then
    for body in (updated, deleted, cleared):
        assert body["data"] is None, body
        assert error_codes(body) == ["FORBIDDEN"], body
    # node(id) refuses like `customFunctions`: the role may not read tools
    assert node["data"] == {"node": None}
    assert error_codes(node) == ["FORBIDDEN"]
    row = await CustomFunction.get(id=function.id)
    assert row.description == "Look up an order by its number."
    assert await AgentCustomFunction.filter(agent_id=agent.id).count() == 1
