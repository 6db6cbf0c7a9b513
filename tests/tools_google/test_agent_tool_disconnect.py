"""agentToolDisconnect and agentToolRemove of a connected tool: forget, queue, revoke at Google."""

from __future__ import annotations

from core.tools.revocations import revoke_pending
from orm.models import AgentTool, TokenRevocation
from tests.conftest import create_organization, sign_up
from tests.tools_google.helpers import (
    AGENT_TOOL_DISCONNECT,
    AGENT_TOOL_REMOVE,
    agent_tools,
    connect,
    connected_owner,
    error_codes,
    new_owner,
)


async def revoke_until_settled(settings, sealed_row_id) -> TokenRevocation:
    """Run the worker's revocation pass until the row for this agent tool is settled."""
    for _ in range(10):
        await revoke_pending(settings=settings)
        row = await TokenRevocation.get(sealed_row_id=sealed_row_id)
        if row.status != "pending":
            return row
    raise AssertionError("the revocation stayed pending")


async def test_disconnect_forgets_the_grant_and_the_worker_revokes_it_at_google(app):
    # given
    owner = await connected_owner(app)
    [refresh_token] = app.google.grants

    # when
    data = await app.gql.data(
        AGENT_TOOL_DISCONNECT, {"input": {"id": owner.agent_tool_id}}, token=owner.account.token
    )

    # then: nothing left on the agent tool
    payload = data["agentToolDisconnect"]
    assert payload["errors"] == []
    assert payload["agentTool"]["connection"] == {
        "status": "NOT_CONNECTED",
        "account": None,
        "connectedAt": None,
        "reason": None,
    }
    assert payload["agentTool"]["secretFieldsSet"] == []
    row = await AgentTool.get(id=owner.agent_tool_uuid)
    assert row.sensitive_config is None
    assert row.oauth_account is None
    [queued] = await TokenRevocation.filter(sealed_row_id=owner.agent_tool_uuid)
    assert queued.status == "pending"
    assert queued.provider == "google"
    assert queued.sealed_tokens.startswith("v1.")
    assert refresh_token not in queued.sealed_tokens
    # the API process cannot unseal, so it leaves revoking to the worker
    assert [r for r in app.google.requests if r.path == "/revoke"] == []

    # when: the worker's revocation pass runs
    settled = await revoke_until_settled(app.settings, owner.agent_tool_uuid)

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


async def test_removing_a_connected_tool_queues_revocation_of_its_grant(app):
    # given
    owner = await connected_owner(app)
    [refresh_token] = app.google.grants

    # when
    data = await app.gql.data(
        AGENT_TOOL_REMOVE, {"input": {"id": owner.agent_tool_id}}, token=owner.account.token
    )

    # then
    assert data["agentToolRemove"]["errors"] == []
    assert await AgentTool.filter(id=owner.agent_tool_uuid).count() == 0
    assert await agent_tools(app.gql, owner.account, owner.agent_id) == []
    settled = await revoke_until_settled(app.settings, owner.agent_tool_uuid)
    assert settled.status == "revoked"
    assert refresh_token in app.google.revoked


async def test_reconnecting_then_running_revocations_revokes_only_the_replaced_grant(app):
    # given
    owner = await connected_owner(app)
    first_refresh_token = next(iter(app.google.grants))
    assert (await connect(app, owner)).status_code == 303
    second_refresh_token = next(t for t in app.google.grants if t != first_refresh_token)

    # when
    settled = await revoke_until_settled(app.settings, owner.agent_tool_uuid)

    # then
    assert settled.status == "revoked"
    assert first_refresh_token in app.google.revoked
    assert second_refresh_token not in app.google.revoked
    tools = await agent_tools(app.gql, owner.account, owner.agent_id)
    assert tools[0]["connection"]["status"] == "CONNECTED"


async def test_another_organization_cannot_disconnect_your_tool(app):
    # given
    owner = await connected_owner(app)
    stranger = await sign_up(app.gql, name="Stranger")
    await create_organization(app.gql, stranger, "Other business")

    # when
    body = await app.gql.execute(
        AGENT_TOOL_DISCONNECT, {"input": {"id": owner.agent_tool_id}}, token=stranger.token
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    row = await AgentTool.get(id=owner.agent_tool_uuid)
    assert row.sensitive_config is not None
    assert await TokenRevocation.filter(sealed_row_id=owner.agent_tool_uuid).count() == 0


async def test_disconnecting_a_tool_that_is_not_connected_queues_nothing(app):
    # given
    owner = await new_owner(app.gql)

    # when
    data = await app.gql.data(
        AGENT_TOOL_DISCONNECT, {"input": {"id": owner.agent_tool_id}}, token=owner.account.token
    )

    # then
    assert data["agentToolDisconnect"]["errors"] == []
    assert data["agentToolDisconnect"]["agentTool"]["connection"]["status"] == "NOT_CONNECTED"
    assert await TokenRevocation.filter(sealed_row_id=owner.agent_tool_uuid).count() == 0
