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

from core.security.tokens import digest
from core.services.oauth import _state_keys
from graphql_api import ids
from orm.models import AgentTool, OAuthState
from tests.organizations.helpers import add_member
from tests.tools_google.helpers import (
    APP_BASE_URL,
    Owner,
    authorization_url,
    new_owner,
    query_of,
)

MEMBER_REMOVE = """
mutation MemberRemove($input: MemberRemoveInput!) {
  memberRemove(input: $input) { membership { id } errors { field message code } }
}
"""


def callback_url(code: str, state: str) -> str:
    return f"{APP_BASE_URL}/oauth/google/callback?{urlencode({'code': code, 'state': state})}"


def claims_of(state: str) -> dict:
    return jwt.decode(state, options={"verify_signature": False})


def sign(claims: dict, key: bytes) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


async def consented(app, owner: Owner) -> tuple[str, str]:
    """Start OAuth and consent at the fake Google; returns (code, state) Google sends back."""
    url = await authorization_url(app, owner.account, owner.agent_tool_id)
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


async def test_a_random_state_is_refused(app):
    # given
    owner = await new_owner(app.gql)
    code, _ = await consented(app, owner)

    # when / then
    await assert_refused(app, callback_url(code, secrets.token_urlsafe(32)), owner.agent_tool_uuid)


async def test_a_missing_state_is_refused(app):
    # given
    owner = await new_owner(app.gql)
    code, _ = await consented(app, owner)

    # when / then
    await assert_refused(
        app, f"{APP_BASE_URL}/oauth/google/callback?code={code}", owner.agent_tool_uuid
    )


async def test_a_state_signed_with_another_key_is_refused(app):
    # given
    owner = await new_owner(app.gql)
    code, state = await consented(app, owner)
    forged = sign(claims_of(state), secrets.token_bytes(32))

    # when / then
    await assert_refused(app, callback_url(code, forged), owner.agent_tool_uuid)


async def test_a_state_naming_another_agent_tool_is_refused(app):
    # given: user A's state with the agent tool switched to user B's, keeping A's signature
    alice = await new_owner(app.gql, name="Alice")
    bob = await new_owner(app.gql, name="Bob")
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


async def test_a_state_re_signed_with_the_real_key_still_cannot_move_tokens_to_another_tool(app):
    # given: even with the signing key, the single-use nonce row binds the state to
    # user A and A's agent tool, so naming B's tool (or B) is refused
    alice = await new_owner(app.gql, name="Alice")
    bob = await new_owner(app.gql, name="Bob")
    code, state = await consented(app, alice)
    key = _state_keys(app.settings)[0]
    claims = claims_of(state)
    other_tool = sign({**claims, "atl": str(bob.agent_tool_uuid)}, key)
    other_user = sign({**claims, "sub": str(ids.decode(bob.account.user_id, "User"))}, key)

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


async def test_a_state_whose_row_expired_is_refused(app):
    # given
    owner = await new_owner(app.gql)
    code, state = await consented(app, owner)
    nonce = claims_of(state)["nonce"]
    updated = await OAuthState.filter(nonce_hash=digest(nonce)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert updated == 1

    # when / then
    await assert_refused(app, callback_url(code, state), owner.agent_tool_uuid)


async def test_a_state_with_a_past_expiry_is_refused(app):
    # given: correctly signed, nonce still unused, but `exp` is in the past
    owner = await new_owner(app.gql)
    code, state = await consented(app, owner)
    now = int(time.time())
    expired = sign(
        {**claims_of(state), "iat": now - 700, "exp": now - 100}, _state_keys(app.settings)[0]
    )

    # when / then
    await assert_refused(app, callback_url(code, expired), owner.agent_tool_uuid)


async def test_a_replayed_state_is_refused_and_the_code_is_exchanged_once(app):
    # given
    owner = await new_owner(app.gql)
    code, state = await consented(app, owner)
    url = callback_url(code, state)
    first = await app.callback(url)
    assert first.status_code == 303
    sealed = (await AgentTool.get(id=owner.agent_tool_uuid)).sensitive_config

    # when
    second = await app.callback(url)

    # then
    assert second.status_code == 400
    assert len(app.google.token_requests("authorization_code")) == 1
    assert (await AgentTool.get(id=owner.agent_tool_uuid)).sensitive_config == sealed


async def test_a_user_removed_from_the_organization_after_starting_is_refused(app):
    # given: a member starts connecting, then an admin removes them
    owner = await new_owner(app.gql)
    member, membership_id = await add_member(app.gql, owner.account, owner.organization_id)
    url = await authorization_url(app, member, owner.agent_tool_id)
    query = query_of(await app.google.consent(url))
    removed = await app.gql.data(
        MEMBER_REMOVE, {"input": {"membershipId": membership_id}}, token=owner.account.token
    )
    assert removed["memberRemove"]["errors"] == [], removed

    # when / then
    await assert_refused(app, callback_url(query["code"], query["state"]), owner.agent_tool_uuid)
