"""agentDelete of an agent with a connected Google Calendar tool: its grant is revoked too."""

from __future__ import annotations

from core.tools.revocations import revoke_pending
from orm.models import AgentTool, TokenRevocation, VoiceAgent
from tests.support.ids import global_id
from tests.support.operations import AGENT_DELETE
from tests.tools_google.helpers import connected_calendar_tool


async def test_deleting_an_agent_queues_revocation_and_the_worker_revokes_at_google(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)
    [refresh_token] = app.google.grants

    # when
    await app.gql.ok(AGENT_DELETE, {"input": {"id": calendar.agent_id}}, token=calendar.owner.token)

    # then: the agent and its tool are gone, the grant is queued for the worker
    assert not await VoiceAgent.exists(id=calendar.agent.id)
    assert not await AgentTool.exists(id=calendar.agent_tool_uuid)
    [queued] = await TokenRevocation.filter(sealed_row_id=calendar.agent_tool_uuid)
    assert (queued.status, queued.provider) == ("pending", "google")
    assert queued.organization_id == calendar.organization_uuid  # type: ignore[attr-defined]
    assert refresh_token not in queued.sealed_tokens
    assert [r for r in app.google.requests if r.path == "/revoke"] == []

    # when: the worker's revocation pass runs
    await revoke_pending(settings=app.settings)

    # then
    settled = await TokenRevocation.get(id=queued.id)
    assert (settled.status, settled.sealed_tokens) == ("revoked", "")
    assert app.google.revoked == [refresh_token]
    assert app.google.grants[refresh_token].revoked


async def test_deleting_an_agent_whose_tools_are_not_connected_queues_nothing(app, make):
    # given
    tenant = await make.tenant("Never connected")
    agent = await make.agent(tenant)
    agent_tool = await make.agent_tool(agent, "google_calendar")

    # when
    await app.gql.ok(
        AGENT_DELETE,
        {"input": {"id": global_id("Agent", agent.id)}},
        token=tenant.token,
    )

    # then
    assert not await AgentTool.exists(id=agent_tool.id)
    assert not await TokenRevocation.exists(sealed_row_id=agent_tool.id)
