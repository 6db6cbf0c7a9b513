"""agentToolOAuthStart: who may start connecting an account, and when it is refused."""

from __future__ import annotations

import uuid

from orm.models import AgentTool, OAuthState, PlatformTool
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import create_api_key
from tests.tools_google.helpers import (
    AGENT_TOOL_OAUTH_START,
    create_agent,
    error_codes,
    new_owner,
    oauth_start,
)


async def test_an_api_key_cannot_start_oauth(app):
    # given: the key's role may configure tools, but a connection belongs to a person
    owner = await new_owner(app.gql)
    _, key = await create_api_key(app.gql, owner.account, owner.organization_id, role="org_admin")

    # when
    body = await app.gql.execute(
        AGENT_TOOL_OAUTH_START, {"input": {"agentToolId": owner.agent_tool_id}}, token=key
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert await OAuthState.filter(agent_tool_id=owner.agent_tool_uuid).count() == 0


async def test_a_member_of_another_organization_gets_not_found(app):
    # given
    owner = await new_owner(app.gql)
    stranger = await sign_up(app.gql, name="Stranger")
    await create_organization(app.gql, stranger, "Other business")

    # when
    body = await app.gql.execute(
        AGENT_TOOL_OAUTH_START,
        {"input": {"agentToolId": owner.agent_tool_id}},
        token=stranger.token,
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    assert await OAuthState.filter(agent_tool_id=owner.agent_tool_uuid).count() == 0


async def test_a_tool_without_oauth_answers_not_oauth_tool(app):
    # given: the platform has no such tool in code, so one is put in the database for the
    # length of this test (switched off, so no other test can see or configure it)
    owner = await new_owner(app.gql)
    tool = await PlatformTool.create(
        name=f"test_plain_{uuid.uuid4().hex[:8]}",
        display_name="Plain",
        description="No auth.",
        auth_type="none",
        is_active=False,
        is_available=False,
    )
    try:
        agent_tool = await AgentTool.create(
            organization_id=owner.organization_uuid,
            agent_id=owner.agent_uuid,
            tool=tool,
            config={},
        )
        from graphql_api import ids

        # when
        payload = await oauth_start(app.gql, owner.account, ids.encode("AgentTool", agent_tool.id))

        # then
        assert payload["authorizationUrl"] is None
        assert [e["code"] for e in payload["errors"]] == ["NOT_OAUTH_TOOL"]
        assert await OAuthState.filter(agent_tool_id=agent_tool.id).count() == 0
    finally:
        await tool.delete()


async def test_without_a_google_client_the_platform_answers_oauth_not_configured(gql):
    # given: the session's test server has no GOOGLE_CLIENT_ID / SECRET
    account = await sign_up(gql)
    organization_id = await create_organization(gql, account, "Unconfigured")
    agent_id = await create_agent(gql, account, organization_id)
    from tests.tools_google.helpers import configure_calendar

    agent_tool = await configure_calendar(gql, account, agent_id)

    # when
    payload = await oauth_start(gql, account, agent_tool["id"])

    # then
    assert payload["authorizationUrl"] is None
    assert [e["code"] for e in payload["errors"]] == ["OAUTH_NOT_CONFIGURED"]
