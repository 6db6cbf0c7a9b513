"""GET /oauth/google/callback refuses a forged, expired, replayed or no longer authorized state.

A refused callback answers 400, stores nothing, and never exchanges the code.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import jwt

from core.security.oauth_flow import state_keys as _state_keys
from core.security.tokens import digest
from orm.models import AgentTool, OAuthState
from tests.support.operations import MEMBER_REMOVE
from tests.support.servers import APP_BASE_URL
from tests.tools_google.helpers import (
    CalendarTool,
    authorization_url,
    calendar_tool,
    query_of,
)


def callback_url(code: str, state: str) -> str:
    return f"{APP_BASE_URL}/oauth/google/callback?{urlencode({'code': code, 'state': state})}"


def claims_of(state: str) -> dict:
    return jwt.decode(state, options={"verify_signature": False})


def sign(claims: dict, key: bytes) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


async def consented(app, calendar: CalendarTool) -> tuple[str, str]:
    """Start OAuth and consent at the fake Google; returns (code, state) Google sends back."""
    url = await authorization_url(app, calendar.owner, calendar.agent_tool_id)
    query = query_of(await app.google.consent(url))
    return query["code"], query["state"]


async def assert_refused(app, url: str, *agent_tool_ids) -> None:
    response = await app.callback(url)
    assert response.status_code == 400, response.text
    assert "location" not in response.headers
    assert app.google.token_requests() == []
    for agent_tool_id in agent_tool_ids:
        row = await AgentTool.get(id=agent_tool_id)
        assert row.sensitive_config is None
        assert row.secret_fields_set == []


async def test_a_random_state_is_refused(app, make):
    # given
    calendar = await calendar_tool(make)
    code, _ = await consented(app, calendar)

    # when / then
    await assert_refused(
        app, callback_url(code, secrets.token_urlsafe(32)), calendar.agent_tool_uuid
    )


async def test_a_missing_state_is_refused(app, make):
    # given
    calendar = await calendar_tool(make)
    code, _ = await consented(app, calendar)

    # when / then
    await assert_refused(
        app, f"{APP_BASE_URL}/oauth/google/callback?code={code}", calendar.agent_tool_uuid
    )


async def test_a_state_signed_with_another_key_is_refused(app, make):
    # given
    calendar = await calendar_tool(make)
    code, state = await consented(app, calendar)
    forged = sign(claims_of(state), secrets.token_bytes(32))

    # when / then
    await assert_refused(app, callback_url(code, forged), calendar.agent_tool_uuid)


async def test_a_state_naming_another_agent_tool_is_refused(app, make):
    # given: user A's state with the agent tool switched to user B's, keeping A's signature
    alice = await calendar_tool(make, "Alice's practice")
    bob = await calendar_tool(make, "Bob's practice")
    code, state = await consented(app, alice)
    header, _, signature = state.split(".")
    claims = {**claims_of(state), "atl": str(bob.agent_tool_uuid)}
    tampered_payload = jwt.utils.base64url_encode(
        json.dumps(claims, separators=(",", ":")).encode()
    ).decode()

    # when / then
    await assert_refused(
        app,
        callback_url(code, f"{header}.{tampered_payload}.{signature}"),
        alice.agent_tool_uuid,
        bob.agent_tool_uuid,
    )


async def test_a_state_re_signed_with_the_real_key_still_cannot_move_tokens_to_another_tool(
    app, make
):
    # given: even with the signing key, the single-use nonce row binds the state to
    # user A and A's agent tool, so naming B's tool (or B) is refused
    alice = await calendar_tool(make, "Alice's practice")
    bob = await calendar_tool(make, "Bob's practice")
    code, state = await consented(app, alice)
    key = _state_keys(app.settings)[0]
    claims = claims_of(state)
    other_tool = sign({**claims, "atl": str(bob.agent_tool_uuid)}, key)
    other_user = sign({**claims, "sub": str(bob.owner.uuid)}, key)

    # when / then
    await assert_refused(
        app, callback_url(code, other_tool), alice.agent_tool_uuid, bob.agent_tool_uuid
    )
    await assert_refused(
        app, callback_url(code, other_user), alice.agent_tool_uuid, bob.agent_tool_uuid
    )
    # and A's own state still works for A's tool only (it was not spent by the forgeries)
    response = await app.callback(callback_url(code, state))
    assert response.status_code == 303
    assert query_of(response.headers["location"])["agentToolId"] == alice.agent_tool_id
    assert (await AgentTool.get(id=alice.agent_tool_uuid)).sensitive_config is not None
    assert (await AgentTool.get(id=bob.agent_tool_uuid)).sensitive_config is None


async def test_a_state_whose_row_expired_is_refused(app, make):
    # given
    calendar = await calendar_tool(make)
    code, state = await consented(app, calendar)
    nonce = claims_of(state)["nonce"]
    updated = await OAuthState.filter(nonce_hash=digest(nonce)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert updated == 1

    # when / then
    await assert_refused(app, callback_url(code, state), calendar.agent_tool_uuid)


async def test_a_state_with_a_past_expiry_is_refused(app, make):
    # given: correctly signed, nonce still unused, but `exp` is in the past
    calendar = await calendar_tool(make)
    code, state = await consented(app, calendar)
    now = int(time.time())
    expired = sign(
        {**claims_of(state), "iat": now - 700, "exp": now - 100}, _state_keys(app.settings)[0]
    )

    # when / then
    await assert_refused(app, callback_url(code, expired), calendar.agent_tool_uuid)


async def test_a_replayed_state_is_refused_and_the_code_is_exchanged_once(app, make):
    # given
    calendar = await calendar_tool(make)
    code, state = await consented(app, calendar)
    url = callback_url(code, state)
    first = await app.callback(url)
    assert first.status_code == 303
    sealed = (await AgentTool.get(id=calendar.agent_tool_uuid)).sensitive_config

    # when
    second = await app.callback(url)

    # then
    assert second.status_code == 400
    assert len(app.google.token_requests("authorization_code")) == 1
    assert (await AgentTool.get(id=calendar.agent_tool_uuid)).sensitive_config == sealed


async def test_a_user_removed_from_the_organization_after_starting_is_refused(app, make):
    # given: a member starts connecting, then an admin removes them
    calendar = await calendar_tool(make)
    member = await make.member(calendar.tenant, "member")
    url = await authorization_url(app, member, calendar.agent_tool_id)
    query = query_of(await app.google.consent(url))
    await app.gql.ok(
        MEMBER_REMOVE,
        {"input": {"membershipId": member.membership_id}},
        token=calendar.owner.token,
    )

    # when / then
    await assert_refused(app, callback_url(query["code"], query["state"]), calendar.agent_tool_uuid)
