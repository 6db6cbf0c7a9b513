"""Who may configure tools: `tool:configure` in the agent's organization; others see nothing."""

from __future__ import annotations

from orm.models import AgentTool
from tests.agents.helpers import add_member
from tests.tools_framework.helpers import (
    AGENT_TOOL_CONFIGURE,
    AGENT_TOOL_REMOVE,
    AGENT_TOOL_UPDATE,
    AGENT_TOOLS,
    NODE,
    VALID_CALENDAR_CONFIG,
    configure_calendar,
    error_codes,
    owner_with_agent,
    platform_tool,
    uuid_of,
)


async def test_a_billing_member_cannot_configure_or_see_tools(gql):
    # given: billing has neither tool:configure nor tool:read (docs/permissions.md)
    owner = await owner_with_agent(gql)
    billing = await add_member(gql, owner.account, owner.organization_id, role="billing")
    tool = await platform_tool(gql, owner.token, "google_calendar")
    configured = await configure_calendar(gql, owner)
    # when
    configure = await gql.execute(
        AGENT_TOOL_CONFIGURE,
        {"input": {"agentId": owner.agent_id, "toolId": tool["id"], "config": {}}},
        token=billing.token,
    )
    update = await gql.execute(
        AGENT_TOOL_UPDATE,
        {"input": {"id": configured["id"], "enabled": False}},
        token=billing.token,
    )
    remove = await gql.execute(
        AGENT_TOOL_REMOVE, {"input": {"id": configured["id"]}}, token=billing.token
    )
    # then
    assert error_codes(configure) == ["FORBIDDEN"]
    assert error_codes(update) == ["FORBIDDEN"]
    assert error_codes(remove) == ["FORBIDDEN"]
    (row,) = await AgentTool.filter(agent_id=uuid_of(owner.agent_id))
    assert row.is_enabled is True


async def test_a_member_may_configure(gql):
    # given
    owner = await owner_with_agent(gql)
    member = await add_member(gql, owner.account, owner.organization_id, role="member")
    tool = await platform_tool(gql, member.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        {
            "input": {
                "agentId": owner.agent_id,
                "toolId": tool["id"],
                "config": VALID_CALENDAR_CONFIG,
            }
        },
        token=member.token,
    )
    # then
    assert data["agentToolConfigure"]["errors"] == []


async def test_another_organization_gets_not_found_for_everything(gql):
    # given
    owner = await owner_with_agent(gql, name="Ours")
    stranger = await owner_with_agent(gql, name="Theirs")
    tool = await platform_tool(gql, owner.token, "google_calendar")
    configured = await configure_calendar(gql, owner)
    # when
    configure = await gql.execute(
        AGENT_TOOL_CONFIGURE,
        {"input": {"agentId": owner.agent_id, "toolId": tool["id"], "config": {}}},
        token=stranger.token,
    )
    update = await gql.execute(
        AGENT_TOOL_UPDATE,
        {"input": {"id": configured["id"], "enabled": False}},
        token=stranger.token,
    )
    remove = await gql.execute(
        AGENT_TOOL_REMOVE, {"input": {"id": configured["id"]}}, token=stranger.token
    )
    listed = await gql.execute(AGENT_TOOLS, {"id": owner.agent_id}, token=stranger.token)
    node = await gql.data(NODE, {"id": configured["id"]}, token=stranger.token)
    own_node = await gql.data(NODE, {"id": configured["id"]}, token=owner.token)
    # then
    assert error_codes(configure) == ["NOT_FOUND"]
    assert error_codes(update) == ["NOT_FOUND"]
    assert error_codes(remove) == ["NOT_FOUND"]
    assert error_codes(listed) == ["NOT_FOUND"]
    assert node == {"node": None}
    assert own_node == {
        "node": {"id": configured["id"], "isEnabled": True, "config": VALID_CALENDAR_CONFIG}
    }
    (row,) = await AgentTool.filter(agent_id=uuid_of(owner.agent_id))
    assert row.is_enabled is True
    assert await AgentTool.filter(agent_id=uuid_of(stranger.agent_id)).count() == 0
