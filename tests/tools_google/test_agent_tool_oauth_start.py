"""agentToolOAuthStart: who may start connecting an account, and when it is refused."""

from __future__ import annotations

from orm.models import AgentTool, OAuthState, PlatformTool
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import global_id
from tests.support.operations import AGENT_TOOL_OAUTH_START
from tests.tools_google.helpers import calendar_tool, oauth_start


async def test_an_api_key_cannot_start_oauth(app, make):
    # given: the key's role may configure tools, but a connection belongs to a person
    calendar = await calendar_tool(make)
    api_key = await make.api_key(calendar.tenant, "org_admin")

    # when
    body = await app.gql.execute(
        AGENT_TOOL_OAUTH_START,
        {"input": {"agentToolId": calendar.agent_tool_id}},
        token=api_key.key,
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert await OAuthState.filter(agent_tool_id=calendar.agent_tool_uuid).count() == 0


async def test_a_member_of_another_organization_gets_not_found(app, make):
    # given
    calendar = await calendar_tool(make)
    stranger = await make.tenant("Other business")

    # when
    body = await app.gql.execute(
        AGENT_TOOL_OAUTH_START,
        {"input": {"agentToolId": calendar.agent_tool_id}},
        token=stranger.token,
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    assert await OAuthState.filter(agent_tool_id=calendar.agent_tool_uuid).count() == 0


async def test_a_tool_without_oauth_answers_not_oauth_tool(app, make):
    # given: the platform has no such tool in code, so one is put in the database (switched
    # off, so nothing else can configure it); the module's data is reset after it
    calendar = await calendar_tool(make)
    plain_tool = await PlatformTool.create(
        name="test_plain",
        display_name="Plain",
        description="No auth.",
        auth_type="none",
        is_active=False,
        is_available=False,
    )
    agent_tool = await AgentTool.create(
        organization_id=calendar.organization_uuid,
        agent=calendar.agent,
        tool=plain_tool,
        config={},
    )

    # when
    payload = await oauth_start(app.gql, calendar.owner, global_id("AgentTool", agent_tool.id))

    # then
    assert payload["authorizationUrl"] is None
    assert payload_codes(payload) == ["NOT_OAUTH_TOOL"]
    assert await OAuthState.filter(agent_tool_id=agent_tool.id).count() == 0


async def test_without_a_google_client_the_platform_answers_oauth_not_configured(gql, make):
    # given: the session's server has no GOOGLE_CLIENT_ID / SECRET
    calendar = await calendar_tool(make, "Unconfigured")

    # when
    payload = await oauth_start(gql, calendar.owner, calendar.agent_tool_id)

    # then
    assert payload["authorizationUrl"] is None
    assert payload_codes(payload) == ["OAUTH_NOT_CONFIGURED"]
    assert await OAuthState.filter(agent_tool_id=calendar.agent_tool_uuid).count() == 0
