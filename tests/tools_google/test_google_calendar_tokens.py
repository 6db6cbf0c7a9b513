"""The Google Calendar tool's tokens and Google's failures on a call.

Expired tokens are refreshed once and stored sealed; a revoked grant marks the tool
as needing reconnection; rate limits, 5xx and 404 become messages a caller can hear.
Nothing raises out of the session.
"""

from __future__ import annotations

import time

import pytest

from orm.models import AgentTool
from tests.tools_google.helpers import (
    agent_tools,
    calendar_tool,
    call_tool,
    call_tools,
    connect,
    connected_calendar_tool,
    next_monday,
    stored_secrets,
)

CHECK = "calendar_check_availability"
UNREACHABLE = "I cannot reach the calendar right now; the team will call you back to book."


async def connected_with_expiring_token(app, make):
    """Connected with an access token that is about to expire (the tool refreshes early)."""
    app.google.access_token_lifetime = 30
    calendar = await calendar_tool(make)
    assert (await connect(app, calendar)).status_code == 303
    app.google.access_token_lifetime = 3599
    app.google.expire_access_tokens()
    return calendar


async def test_an_expired_token_is_refreshed_once_per_call_and_stored_sealed(app, make):
    # given
    calendar = await connected_with_expiring_token(app, make)
    [old_access_token] = app.google.access_tokens
    [refresh_token] = app.google.grants
    day = next_monday().isoformat()

    # when: two actions in the same call
    result = await call_tools(
        calendar, app.settings, [(CHECK, {"day": day}), (CHECK, {"day": day})]
    )

    # then: one refresh, and both actions ran with the new token
    assert [o.is_error for o in result.outputs] == [False, False]
    [refresh] = app.google.token_requests("refresh_token")
    assert refresh.body["refresh_token"] == refresh_token
    [new_access_token] = app.google.valid_access_tokens()
    assert new_access_token != old_access_token
    calendar_requests = app.google.calendar_requests()
    assert [r.status for r in calendar_requests] == [200, 200]
    assert {r.headers["authorization"] for r in calendar_requests} == {f"Bearer {new_access_token}"}
    # the new tokens are stored sealed for the next call, the refresh token kept
    row = await AgentTool.get(id=calendar.agent_tool_uuid)
    assert row.sensitive_config.startswith("v1.")
    assert new_access_token not in row.sensitive_config
    secrets = await stored_secrets(calendar.agent_tool_uuid, app.settings)
    assert secrets["access_token"] == new_access_token
    assert secrets["refresh_token"] == refresh_token
    assert secrets["expires_at"] > time.time() + 3000
    assert row.needs_reconnect is False

    # when: the next call starts with the stored, fresh token
    again = await call_tool(calendar, app.settings, CHECK, day=day)

    # then: no further refresh
    assert not again.is_error
    assert len(app.google.token_requests("refresh_token")) == 1


async def test_a_401_with_an_unexpired_token_refreshes_once_and_retries(app, make):
    # given: Google no longer accepts the token although it has not expired for us
    calendar = await connected_calendar_tool(app, make)
    app.google.expire_access_tokens()

    # when
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())

    # then
    assert not result.is_error, result.output
    assert len(app.google.token_requests("refresh_token")) == 1
    assert [r.status for r in app.google.calendar_requests()] == [401, 200]
    [new_access_token] = app.google.valid_access_tokens()
    assert (await stored_secrets(calendar.agent_tool_uuid, app.settings))["access_token"] == (
        new_access_token
    )


@pytest.mark.parametrize("token_state", ["expired", "unexpired"])
async def test_a_revoked_grant_asks_for_reconnection(app, make, token_state):
    # given: the owner withdrew access in their Google account
    if token_state == "expired":
        calendar = await connected_with_expiring_token(app, make)
    else:
        calendar = await connected_calendar_tool(app, make)
    [refresh_token] = app.google.grants
    app.google.revoke_grant(refresh_token)

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_create_event",
        start=f"{next_monday().isoformat()}T10:00",
        caller_name="Ada",
    )

    # then: the caller hears a friendly message, the dashboard shows why
    assert result.is_error
    assert result.output == UNREACHABLE
    [refresh] = app.google.token_requests("refresh_token")
    assert refresh.status == 400
    assert app.google.events() == []
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert tools[0]["connection"]["status"] == "NEEDS_RECONNECT"
    assert tools[0]["connection"]["reason"] == "Access to the calendar was withdrawn."
    row = await AgentTool.get(id=calendar.agent_tool_uuid)
    assert row.needs_reconnect is True


async def test_reconnecting_clears_needs_reconnect(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)
    app.google.revoke_grant(next(iter(app.google.grants)))
    await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())
    assert (await AgentTool.get(id=calendar.agent_tool_uuid)).needs_reconnect is True

    # when
    assert (await connect(app, calendar)).status_code == 303

    # then
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert tools[0]["connection"]["status"] == "CONNECTED"
    assert tools[0]["connection"]["reason"] is None
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())
    assert not result.is_error


async def test_the_token_endpoint_failing_during_refresh_is_a_friendly_message(app, make):
    # given
    calendar = await connected_with_expiring_token(app, make)
    app.google.fail_token(503, error="backend_error", grant_type="refresh_token")

    # when
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())

    # then: not a revoked grant, so no reconnection is asked for
    assert result.is_error
    assert result.output == "The calendar could not be reached."
    assert app.google.calendar_requests() == []
    assert (await AgentTool.get(id=calendar.agent_tool_uuid)).needs_reconnect is False


@pytest.mark.parametrize(
    ("status", "reason", "times", "message", "requests"),
    [
        (403, "rateLimitExceeded", 1, "The calendar is busy right now.", 1),
        (429, None, 2, "The calendar is busy right now.", 2),
        (500, None, 2, "The calendar is not answering right now.", 2),
        (503, None, 2, "The calendar is not answering right now.", 2),
        (404, None, 1, "That was not found in the calendar.", 1),
    ],
    ids=["403-rate-limit", "429-twice", "500-twice", "503-twice", "404"],
)
async def test_google_errors_become_messages_for_the_caller(
    app, make, status, reason, times, message, requests
):
    # given
    calendar = await connected_calendar_tool(app, make)
    app.google.fail_calendar(status, reason=reason, times=times)

    # when
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())

    # then
    assert result.is_error
    assert result.output == message
    assert [r.status for r in app.google.calendar_requests()] == [status] * requests
    assert app.google.token_requests("refresh_token") == []
    assert (await AgentTool.get(id=calendar.agent_tool_uuid)).needs_reconnect is False


async def test_a_403_forbidden_asks_for_reconnection(app, make):
    # given: the grant no longer lets the tool into this calendar
    calendar = await connected_calendar_tool(app, make)
    app.google.fail_calendar(403, reason="forbidden")

    # when
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())

    # then
    assert result.is_error
    assert result.output == UNREACHABLE
    tools = await agent_tools(app.gql, calendar.owner, calendar.agent_id)
    assert tools[0]["connection"]["status"] == "NEEDS_RECONNECT"
    assert tools[0]["connection"]["reason"] == "The calendar does not allow this."


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_a_single_transient_failure_is_retried_once_and_succeeds(app, make, status):
    # given
    calendar = await connected_calendar_tool(app, make)
    app.google.fail_calendar(status)

    # when
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())

    # then
    assert not result.is_error, result.output
    assert result.output.startswith("Free times on ")
    assert [r.status for r in app.google.calendar_requests()] == [status, 200]


async def test_a_tool_that_was_never_connected_says_so(app, make):
    # given
    calendar = await calendar_tool(make)

    # when
    result = await call_tool(calendar, app.settings, CHECK, day=next_monday().isoformat())

    # then
    assert result.is_error
    assert result.output == "The calendar is not connected yet, so I cannot check it now."
    assert app.google.requests == []
