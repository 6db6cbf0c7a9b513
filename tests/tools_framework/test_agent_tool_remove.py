"""agentToolRemove: a tool comes off an agent."""

from __future__ import annotations

from orm.models import AgentTool
from tests.tools_framework.helpers import (
    AGENT_TOOL_REMOVE,
    AGENT_TOOLS,
    configure_calendar,
    error_codes,
    owner_with_agent,
    uuid_of,
)


async def test_removing_takes_the_tool_off_the_agent(gql):
    # given
    owner = await owner_with_agent(gql)
    configured = await configure_calendar(gql, owner)
    # when
    data = await gql.data(AGENT_TOOL_REMOVE, {"input": {"id": configured["id"]}}, token=owner.token)
    listed = await gql.data(AGENT_TOOLS, {"id": owner.agent_id}, token=owner.token)
    again = await gql.execute(
        AGENT_TOOL_REMOVE, {"input": {"id": configured["id"]}}, token=owner.token
    )
    # then
    assert data["agentToolRemove"]["errors"] == []
    assert data["agentToolRemove"]["agentTool"]["id"] == configured["id"]
    assert data["agentToolRemove"]["agentTool"]["tool"]["name"] == "google_calendar"
    assert listed["agent"]["tools"] == []
    assert await AgentTool.filter(id=uuid_of(configured["id"])).exists() is False
    assert error_codes(again) == ["NOT_FOUND"]
