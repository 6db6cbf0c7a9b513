"""Who may configure tools: `tool:configure` in the agent's organization; others see nothing."""

from __future__ import annotations

from orm.models import AgentTool
from tests.support.factories import CALENDAR_CONFIG
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import (
    AGENT_TOOL_CONFIGURE,
    AGENT_TOOL_REMOVE,
    AGENT_TOOL_UPDATE,
    AGENT_TOOLS,
)
from tests.tools_framework.helpers import (
    AGENT_TOOL_NODE,
    calendar_tool_id,
)


async def test_a_billing_member_cannot_configure_or_see_tools(gql, make):
    # given: billing has neither tool:configure nor tool:read (docs/permissions.md)
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    billing = await make.member(tenant, "billing")
    configured = global_id("AgentTool", (await make.agent_tool(agent)).id)
    # when
    configure = await gql.execute(
        AGENT_TOOL_CONFIGURE,
        {
            "input": {
                "agentId": global_id("Agent", agent.id),
                "toolId": await calendar_tool_id(),
                "config": {},
            }
        },
        token=billing.token,
    )
    update = await gql.execute(
        AGENT_TOOL_UPDATE, {"input": {"id": configured, "enabled": False}}, token=billing.token
    )
    remove = await gql.execute(
        AGENT_TOOL_REMOVE, {"input": {"id": configured}}, token=billing.token
    )
    listed = await gql.execute(
        AGENT_TOOLS, {"id": global_id("Agent", agent.id)}, token=billing.token
    )
    # then
    assert error_codes(configure) == ["FORBIDDEN"]
    assert error_codes(update) == ["FORBIDDEN"]
    assert error_codes(remove) == ["FORBIDDEN"]
    assert error_codes(listed) == ["FORBIDDEN"]
    (row,) = await AgentTool.filter(agent_id=agent.id)
    assert row.is_enabled is True


async def test_a_member_may_configure(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    member = await make.member(tenant, "member")
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        {
            "input": {
                "agentId": global_id("Agent", agent.id),
                "toolId": await calendar_tool_id(),
                "config": CALENDAR_CONFIG,
            }
        },
        token=member.token,
    )
    # then
    assert payload["errors"] == []
    assert payload["agentTool"]["config"] == CALENDAR_CONFIG
    assert await AgentTool.filter(agent_id=agent.id).count() == 1


async def test_another_organization_gets_not_found_for_everything(gql, make):
    # given
    ours = await make.tenant("Ours")
    agent = await make.agent(ours)
    theirs = await make.tenant("Theirs")
    their_agent = await make.agent(theirs)
    configured = global_id("AgentTool", (await make.agent_tool(agent)).id)
    agent_id = global_id("Agent", agent.id)
    # when
    configure = await gql.execute(
        AGENT_TOOL_CONFIGURE,
        {"input": {"agentId": agent_id, "toolId": await calendar_tool_id(), "config": {}}},
        token=theirs.token,
    )
    update = await gql.execute(
        AGENT_TOOL_UPDATE, {"input": {"id": configured, "enabled": False}}, token=theirs.token
    )
    remove = await gql.execute(AGENT_TOOL_REMOVE, {"input": {"id": configured}}, token=theirs.token)
    listed = await gql.execute(AGENT_TOOLS, {"id": agent_id}, token=theirs.token)
    node = await gql.execute(AGENT_TOOL_NODE, {"id": configured}, token=theirs.token)
    own_node = await gql.data(AGENT_TOOL_NODE, {"id": configured}, token=ours.token)
    # then
    assert error_codes(configure) == ["NOT_FOUND"]
    assert error_codes(update) == ["NOT_FOUND"]
    assert error_codes(remove) == ["NOT_FOUND"]
    assert error_codes(listed) == ["NOT_FOUND"]
    assert node["data"] == {"node": None}
    assert error_codes(node) == ["NOT_FOUND"]
    assert own_node == {"node": {"id": configured, "isEnabled": True, "config": CALENDAR_CONFIG}}
    (row,) = await AgentTool.filter(agent_id=agent.id)
    assert row.is_enabled is True
    assert await AgentTool.filter(agent_id=their_agent.id).count() == 0
