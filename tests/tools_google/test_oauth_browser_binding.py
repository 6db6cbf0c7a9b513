"""The OAuth state is bound to the browser that started the flow, not only to the user:
agentToolOAuthStart sets an HttpOnly, SameSite=Lax cookie (Secure in production) whose digest
is kept with the state, and the callback refuses a state that arrives without it.

So a victim tricked into opening someone else's callback link (login CSRF: the attacker's
Google account connected to the victim's tool) is refused, and nothing changes.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

import httpx

from orm.models import AgentTool, OAuthState
from tests.fakes.google import FakeGoogle
from tests.support.operations import AGENT_TOOL_OAUTH_START
from tests.support.servers import RunningServer, asgi_client
from tests.tools_google.helpers import GoogleApp, authorization_url, calendar_tool, query_of


def _cookies_set(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


async def _start(api_gql, account, agent_tool_id: str) -> httpx.Response:
    return await api_gql.raw(
        AGENT_TOOL_OAUTH_START, {"input": {"agentToolId": agent_tool_id}}, token=account.token
    )


async def _assert_refused_and_nothing_stored(app: GoogleApp, response, agent_tool_id) -> None:
    assert response.status_code == 403, response.text
    assert "browser" in response.text
    assert "location" not in response.headers
    assert app.google.token_requests() == []
    row = await AgentTool.get(id=agent_tool_id)
    assert row.sensitive_config is None


async def test_starting_sets_an_http_only_same_site_lax_cookie_for_the_callback(app, make):
    # given
    calendar = await calendar_tool(make)

    # when
    response = await _start(app.gql, calendar.owner, calendar.agent_tool_id)

    # then
    assert response.json()["data"]["agentToolOAuthStart"]["errors"] == []
    [(name, cookie)] = _cookies_set(response).items()
    assert name.startswith("va_oauth_")
    assert len(cookie.value) >= 32
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/oauth/google/callback"
    assert cookie["secure"] == ""  # development: plain http works
    assert 0 < int(cookie["max-age"]) <= app.settings.oauth_state_ttl_seconds
    # only its digest is kept with the state
    state_rows = await OAuthState.filter(agent_tool_id=calendar.agent_tool_uuid).values()
    assert len(state_rows) == 1
    assert cookie.value not in repr(state_rows)


async def test_in_production_the_cookie_is_secure(server: RunningServer, make, google: FakeGoogle):
    # given
    settings = server.settings.model_copy(
        update={**google.settings_overrides(), "environment": "production"}
    )
    calendar = await calendar_tool(make)

    # when
    async with asgi_client(settings) as api:
        response = await _start(api.gql, calendar.owner, calendar.agent_tool_id)

    # then
    [(_, cookie)] = _cookies_set(response).items()
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"


async def test_a_callback_opened_in_another_browser_is_refused_and_changes_nothing(app, make):
    # given: the owner starts connecting and consents; Google redirects back
    calendar = await calendar_tool(make)
    url = await authorization_url(app, calendar.owner, calendar.agent_tool_id)
    redirect = await app.google.consent(url)
    started_in = httpx.Cookies(app.http.cookies)

    # when: another browser (no cookie) opens the callback link
    app.http.cookies.clear()
    refused = await app.callback(redirect)

    # then: refused with a clear page, nothing exchanged or stored, the state not spent
    await _assert_refused_and_nothing_stored(app, refused, calendar.agent_tool_uuid)
    app.http.cookies = started_in
    finished = await app.callback(redirect)
    assert finished.status_code == 303
    assert query_of(finished.headers["location"])["status"] == "connected"


async def test_a_callback_with_another_flows_cookie_is_refused(app, make):
    # given: an attacker consents for their own tool and sends the victim the callback link;
    # the victim's browser holds a cookie of its own flow
    attacker = await calendar_tool(make, "Attacker's practice")
    victim = await calendar_tool(make, "Victim's practice")
    attacker_redirect = await app.google.consent(
        await authorization_url(app, attacker.owner, attacker.agent_tool_id)
    )
    app.http.cookies.clear()
    await authorization_url(app, victim.owner, victim.agent_tool_id)

    # when
    refused = await app.callback(attacker_redirect)

    # then
    await _assert_refused_and_nothing_stored(app, refused, attacker.agent_tool_uuid)
    assert (await AgentTool.get(id=victim.agent_tool_uuid)).sensitive_config is None


async def test_a_forged_cookie_is_refused(app, make):
    # given
    calendar = await calendar_tool(make)
    redirect = await app.google.consent(
        await authorization_url(app, calendar.owner, calendar.agent_tool_id)
    )
    started_in = [(c.name, c.domain, c.path) for c in app.http.cookies.jar]
    assert started_in
    app.http.cookies.clear()
    for name, domain, path in started_in:
        app.http.cookies.set(name, secrets.token_urlsafe(32), domain=domain, path=path)

    # when
    refused = await app.callback(redirect)

    # then
    await _assert_refused_and_nothing_stored(app, refused, calendar.agent_tool_uuid)
