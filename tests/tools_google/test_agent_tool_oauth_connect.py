"""Connecting the Google Calendar tool: agentToolOAuthStart, consent, GET /oauth/google/callback."""

from __future__ import annotations

from urllib.parse import urlsplit

from core.integrations.google_oauth import CALENDAR_SCOPES
from orm.models import AgentTool, TokenRevocation
from tests.fakes.google import s256
from tests.support.secret_scan import SCANNER
from tests.support.servers import APP_BASE_URL
from tests.tools_google.helpers import (
    agent_tools,
    authorization_url,
    calendar_tool,
    connect,
    query_of,
    stored_secrets,
)


async def test_oauth_start_returns_google_authorization_url_with_pkce_and_offline_access(app, make):
    # given
    calendar = await calendar_tool(make)

    # when
    url = await authorization_url(app, calendar.owner, calendar.agent_tool_id)

    # then
    assert url.startswith(f"{app.google.base_url}/o/oauth2/v2/auth?")
    params = query_of(url)
    assert params["client_id"] == app.google.client_id
    assert params["redirect_uri"] == f"{APP_BASE_URL}/oauth/google/callback"
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43
    assert params["access_type"] == "offline"
    assert params["state"].count(".") == 2  # a signed JWT
    assert set(params["scope"].split()) == set(CALENDAR_SCOPES)


async def test_full_connection_stores_sealed_tokens_and_shows_only_the_account(app, make):
    # given
    calendar = await calendar_tool(make)
    google = app.google

    # when
    response = await connect(app, calendar)

    # then: redirected to the dashboard with the outcome
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("https://dashboard.test/integrations/oauth-result?")
    assert query_of(location) == {
        "status": "connected",
        "provider": "google",
        "agentToolId": calendar.agent_tool_id,
    }
    # the code was exchanged once, with the PKCE verifier matching the challenge
    exchanges = google.token_requests("authorization_code")
    assert len(exchanges) == 1
    consent_challenge = next(
        r.query["code_challenge"] for r in google.requests if r.path == "/o/oauth2/v2/auth"
    )
    assert s256(exchanges[0].body["code_verifier"]) == consent_challenge
    assert exchanges[0].headers["authorization"].startswith("Basic ")
    # the dashboard sees the connection and which secret fields are set, never a value
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert len(tools) == 1
    assert tools[0]["connection"]["status"] == "CONNECTED"
    assert tools[0]["connection"]["account"] == google.account
    assert tools[0]["connection"]["connectedAt"] is not None
    assert tools[0]["connection"]["reason"] is None
    assert tools[0]["secretFieldsSet"] == [
        "access_token",
        "expires_at",
        "refresh_token",
        "scope",
        "token_type",
    ]
    # the row holds the tokens sealed; only the worker side can read them back
    [grant] = google.grants.values()
    [access_token] = google.access_tokens
    row = await AgentTool.get(id=calendar.agent_tool_uuid)
    assert row.sensitive_config.startswith("v1.")
    assert grant.refresh_token not in row.sensitive_config
    assert access_token not in row.sensitive_config
    assert row.oauth_account == google.account
    secrets = await stored_secrets(calendar.agent_tool_uuid, app.settings)
    assert secrets["refresh_token"] == grant.refresh_token
    assert secrets["access_token"] == access_token
    # the redirect carries no token; nor may any response or log line of the whole flow:
    # the suite's secret scan checks everything this test received for both tokens
    assert grant.refresh_token not in location
    assert access_token not in location
    watched = {planted.value for planted in SCANNER.planted if planted.anywhere}
    assert {grant.refresh_token, access_token} <= watched
    # a first connection has no earlier grant to revoke
    assert await TokenRevocation.filter(sealed_row_id=calendar.agent_tool_uuid).count() == 0


async def test_connecting_again_replaces_the_grant_and_queues_revocation_of_the_old_one(app, make):
    # given
    calendar = await calendar_tool(make)
    assert (await connect(app, calendar)).status_code == 303
    [first_refresh_token] = app.google.grants

    # when
    second = await connect(app, calendar, account_email="second-account@example.com")

    # then
    assert second.status_code == 303
    assert query_of(second.headers["location"])["status"] == "connected"
    [pending] = await TokenRevocation.filter(sealed_row_id=calendar.agent_tool_uuid)
    assert pending.status == "pending"
    assert first_refresh_token not in pending.sealed_tokens
    secrets = await stored_secrets(calendar.agent_tool_uuid, app.settings)
    assert secrets["refresh_token"] != first_refresh_token
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert tools[0]["connection"]["account"] == "second-account@example.com"


async def test_consent_denied_redirects_with_denied_and_stores_nothing(app, make):
    # given
    calendar = await calendar_tool(make)
    url = await authorization_url(app, calendar.owner, calendar.agent_tool_id)
    redirect = await app.google.consent(url, approve=False)

    # when
    response = await app.callback(redirect)

    # then
    assert response.status_code == 303
    location = query_of(response.headers["location"])
    assert location["status"] == "denied"
    assert location["provider"] == "google"
    assert location["agentToolId"] == calendar.agent_tool_id
    assert app.google.token_requests() == []
    row = await AgentTool.get(id=calendar.agent_tool_uuid)
    assert row.sensitive_config is None
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert tools[0]["connection"]["status"] == "NOT_CONNECTED"
    assert tools[0]["secretFieldsSet"] == []


async def test_refused_code_exchange_redirects_with_failed_and_stores_nothing(app, make):
    # given: Google refuses the code (e.g. it expired while the browser hung)
    calendar = await calendar_tool(make)
    url = await authorization_url(app, calendar.owner, calendar.agent_tool_id)
    redirect = await app.google.consent(url)
    app.google.fail_token(400, error="invalid_grant", grant_type="authorization_code")

    # when
    response = await app.callback(redirect)

    # then
    assert response.status_code == 303
    assert query_of(response.headers["location"])["status"] == "failed"
    assert (await AgentTool.get(id=calendar.agent_tool_uuid)).sensitive_config is None
    assert urlsplit(response.headers["location"]).netloc == "dashboard.test"
