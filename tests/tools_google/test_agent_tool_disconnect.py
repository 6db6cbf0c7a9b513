"""agentToolDisconnect and agentToolRemove of a connected tool: forget, queue, revoke at Google."""

from __future__ import annotations

from core.tools.revocations import revoke_pending
from orm.models import AgentTool, TokenRevocation
from tests.support.graphql import error_codes
from tests.support.operations import AGENT_TOOL_FIELDS, AGENT_TOOL_REMOVE
from tests.tools_google.helpers import (
    agent_tools,
    calendar_tool,
    connect,
    connected_calendar_tool,
)

AGENT_TOOL_DISCONNECT = f"""
mutation AgentToolDisconnect($input: AgentToolDisconnectInput!) {{
  agentToolDisconnect(input: $input) {{
    agentTool {{ {AGENT_TOOL_FIELDS} }}
    errors {{ field message code }}
  }}
}}
"""


async def run_revocations(settings, sealed_row_id) -> TokenRevocation:
    """One pass of the worker's revocations; the row queued for this agent tool after it."""
    await revoke_pending(settings=settings)
    return await TokenRevocation.get(sealed_row_id=sealed_row_id)


async def test_disconnect_forgets_the_grant_and_the_worker_revokes_it_at_google(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)
    [refresh_token] = app.google.grants

    # when
    payload = await app.gql.ok(
        AGENT_TOOL_DISCONNECT,
        {"input": {"id": calendar.agent_tool_id}},
        token=calendar.owner.token,
    )

    # then: nothing left on the agent tool
    assert payload["agentTool"]["connection"] == {
        "status": "NOT_CONNECTED",
        "account": None,
        "connectedAt": None,
        "reason": None,
    }
    assert payload["agentTool"]["secretFieldsSet"] == []
    row = await AgentTool.get(id=calendar.agent_tool_uuid)
    assert row.sensitive_config is None
    assert row.oauth_account is None
    [queued] = await TokenRevocation.filter(sealed_row_id=calendar.agent_tool_uuid)
    assert queued.status == "pending"
    assert queued.provider == "google"
    assert queued.sealed_tokens.startswith("v1.")
    assert refresh_token not in queued.sealed_tokens
    # the API process cannot unseal, so it leaves revoking to the worker
    assert [r for r in app.google.requests if r.path == "/revoke"] == []

    # when: the worker's revocation pass runs
    settled = await run_revocations(app.settings, calendar.agent_tool_uuid)

    # then
    assert settled.status == "revoked"
    assert settled.sealed_tokens == ""
    assert refresh_token in app.google.revoked
    revokes = [
        r
        for r in app.google.requests
        if r.path == "/revoke" and r.body.get("token") == refresh_token
    ]
    assert len(revokes) == 1
    assert app.google.grants[refresh_token].revoked


async def test_removing_a_connected_tool_queues_revocation_of_its_grant(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)
    [refresh_token] = app.google.grants

    # when
    await app.gql.ok(
        AGENT_TOOL_REMOVE, {"input": {"id": calendar.agent_tool_id}}, token=calendar.owner.token
    )

    # then
    assert await AgentTool.filter(id=calendar.agent_tool_uuid).count() == 0
    assert await agent_tools(app.gql, calendar.owner, calendar.agent_id) == []
    settled = await run_revocations(app.settings, calendar.agent_tool_uuid)
    assert settled.status == "revoked"
    assert refresh_token in app.google.revoked


async def test_reconnecting_then_running_revocations_revokes_only_the_replaced_grant(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)
    [first_refresh_token] = app.google.grants
    assert (await connect(app, calendar)).status_code == 303
    [second_refresh_token] = [t for t in app.google.grants if t != first_refresh_token]

    # when
    settled = await run_revocations(app.settings, calendar.agent_tool_uuid)

    # then
    assert settled.status == "revoked"
    assert app.google.revoked == [first_refresh_token]
    assert second_refresh_token not in app.google.revoked
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert tools[0]["connection"]["status"] == "CONNECTED"


async def test_another_organization_cannot_disconnect_your_tool(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)
    stranger = await make.tenant("Other business")

    # when
    body = await app.gql.execute(
        AGENT_TOOL_DISCONNECT, {"input": {"id": calendar.agent_tool_id}}, token=stranger.token
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    row = await AgentTool.get(id=calendar.agent_tool_uuid)
    assert row.sensitive_config is not None
    assert await TokenRevocation.filter(sealed_row_id=calendar.agent_tool_uuid).count() == 0


async def test_disconnecting_a_tool_that_is_not_connected_queues_nothing(app, make):
    # given
    calendar = await calendar_tool(make)

    # when
    payload = await app.gql.ok(
        AGENT_TOOL_DISCONNECT,
        {"input": {"id": calendar.agent_tool_id}},
        token=calendar.owner.token,
    )

    # then
    assert payload["agentTool"]["connection"]["status"] == "NOT_CONNECTED"
    assert await TokenRevocation.filter(sealed_row_id=calendar.agent_tool_uuid).count() == 0
