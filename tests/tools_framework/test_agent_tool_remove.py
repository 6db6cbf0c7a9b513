"""agentToolRemove: a tool comes off an agent."""

from __future__ import annotations

from orm.models import AgentTool
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import AGENT_TOOL_REMOVE, AGENT_TOOLS
from tests.tools_framework.helpers import GOOGLE_CALENDAR


async def test_removing_takes_the_tool_off_the_agent(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    configured = await make.agent_tool(agent, GOOGLE_CALENDAR)
    configured_id = global_id("AgentTool", configured.id)
    # when
    payload = await gql.payload(
        AGENT_TOOL_REMOVE, {"input": {"id": configured_id}}, token=tenant.token
    )
    listed = await gql.data(AGENT_TOOLS, {"id": global_id("Agent", agent.id)}, token=tenant.token)
    again = await gql.execute(
        AGENT_TOOL_REMOVE, {"input": {"id": configured_id}}, token=tenant.token
    )
    # then
    assert payload["errors"] == []
    assert payload["agentTool"]["id"] == configured_id
    assert payload["agentTool"]["tool"]["name"] == GOOGLE_CALENDAR
    assert listed["agent"]["tools"] == []
    assert await AgentTool.filter(id=configured.id).exists() is False
    assert error_codes(again) == ["NOT_FOUND"]
