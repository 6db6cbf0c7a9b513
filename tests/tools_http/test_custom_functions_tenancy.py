"""Another organization's user sees custom functions exactly as if they did not exist."""

from __future__ import annotations

from orm.models import AgentCustomFunction, CustomFunction
from tests.organizations.helpers import add_member, error_codes, fake_global_id, uuid_of
from tests.tools_http.helpers import (
    AGENT_CUSTOM_FUNCTIONS,
    AGENT_CUSTOM_FUNCTIONS_SET,
    CUSTOM_FUNCTION_DELETE,
    CUSTOM_FUNCTION_UPDATE,
    CUSTOM_FUNCTIONS,
    NODE,
    agent_with_function,
    workspace,
)


async def test_outsider_gets_not_found_everywhere(gql):
    # given
    space, function = await agent_with_function(gql)
    outsider = await workspace(gql, "Outsider Co")
    token = outsider.owner.token

    # when
    listed = await gql.execute(
        CUSTOM_FUNCTIONS, {"organizationId": space.organization_id}, token=token
    )
    updated = await gql.execute(
        CUSTOM_FUNCTION_UPDATE,
        {"input": {"id": function["id"], "urlTemplate": "https://evil.example/{order_id}"}},
        token=token,
    )
    deleted = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": function["id"]}}, token=token
    )
    cleared = await gql.execute(
        AGENT_CUSTOM_FUNCTIONS_SET,
        {"input": {"agentId": space.agent_id, "functionIds": []}},
        token=token,
    )
    agent = await gql.execute(AGENT_CUSTOM_FUNCTIONS, {"id": space.agent_id}, token=token)
    node = await gql.execute(NODE, {"id": function["id"]}, token=token)

    # then
    for body in (listed, updated, deleted, cleared, agent):
        assert body["data"] is None, body
        assert error_codes(body) == ["NOT_FOUND"], body
    assert node == {"data": {"node": None}}
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.url_template == "https://api.example.com/orders/{order_id}"
    assert await AgentCustomFunction.filter(agent_id=space.agent_uuid).count() == 1


async def test_answers_match_those_for_missing_objects(gql):
    # given
    _, function = await agent_with_function(gql)
    outsider = await workspace(gql, "Outsider Two Co")
    token = outsider.owner.token
    missing = fake_global_id("CustomFunction")

    # when
    theirs = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": function["id"]}}, token=token
    )
    nothing = await gql.execute(CUSTOM_FUNCTION_DELETE, {"input": {"id": missing}}, token=token)

    # then
    assert theirs["data"] == nothing["data"] is None
    assert [e["message"] for e in theirs["errors"]] == [e["message"] for e in nothing["errors"]]
    assert error_codes(theirs) == error_codes(nothing) == ["NOT_FOUND"]


async def test_owner_reads_by_node(gql):
    # given
    space, function = await agent_with_function(gql)

    # when
    node = await gql.data(NODE, {"id": function["id"]}, token=space.owner.token)

    # then
    assert node["node"] == {
        "id": function["id"],
        "name": "lookup_order",
        "urlTemplate": "https://api.example.com/orders/{order_id}",
    }


async def test_billing_member_cannot_change_or_read(gql):
    # given
    space, function = await agent_with_function(gql)
    billing, _ = await add_member(gql, space.owner, space.organization_id, "billing")

    # when
    updated = await gql.execute(
        CUSTOM_FUNCTION_UPDATE,
        {"input": {"id": function["id"], "description": "x"}},
        token=billing.token,
    )
    deleted = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": function["id"]}}, token=billing.token
    )
    cleared = await gql.execute(
        AGENT_CUSTOM_FUNCTIONS_SET,
        {"input": {"agentId": space.agent_id, "functionIds": []}},
        token=billing.token,
    )
    node = await gql.execute(NODE, {"id": function["id"]}, token=billing.token)

    # then
    for body in (updated, deleted, cleared):
        assert body["data"] is None, body
        assert error_codes(body) == ["FORBIDDEN"], body
    assert node == {"data": {"node": None}}
    assert await CustomFunction.filter(id=uuid_of(function["id"])).exists()
    assert await AgentCustomFunction.filter(agent_id=space.agent_uuid).count() == 1
