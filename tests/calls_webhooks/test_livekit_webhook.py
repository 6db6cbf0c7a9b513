"""POST /webhooks/livekit: room and participant events, verified with livekit-api's
WebhookReceiver, move calls along; anything not signed by our API secret changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from livekit import api

from orm.models import Call, CallEvent
from tests.support.telephony import (
    AGENT_KIND,
    LIVEKIT_API_KEY,
    LIVEKIT_API_SECRET,
    SIP,
    body_sha256,
    event_types,
    livekit_authorization,
    livekit_event_body,
    start_call,
)
from tests.support.waiting import eventually


async def _ringing_call(make, telephony) -> Call:
    """A call Twilio brought to an agent's number: ringing, with its LiveKit room."""
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True)
    return await start_call(telephony, agent.phone_number.e164)


async def _deliver(telephony, body: str):
    return await telephony.livekit_event(body, livekit_authorization(body))


async def _ended_as(call_id, reason: str) -> bool:
    return (await Call.get(id=call_id)).ended_reason == reason


async def _state(call_id) -> tuple:
    call = await Call.get(id=call_id)
    count = await CallEvent.filter(call_id=call_id).count()
    return call.status, call.ended_reason, call.answered_at, call.ended_at, count


async def test_a_sip_participant_joining_puts_the_call_in_progress(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    body = livekit_event_body(
        "participant_joined", room=call.livekit_room, call_id=call.id, participant_kind=SIP
    )

    # when
    response = await _deliver(telephony, body)

    # then
    assert response.status_code == 204
    updated = await Call.get(id=call.id)
    assert updated.status == "in_progress"
    assert updated.answered_at is not None
    started, changed = await CallEvent.filter(call_id=call.id).order_by("-seq").limit(2)
    assert changed.type == "call.status_changed"
    assert changed.data["to"] == "in_progress"
    assert changed.data["source"] == "livekit"
    # and the call's start follows its change of status
    assert started.type == "call.started"
    assert (started.data["direction"], started.data["source"]) == ("inbound", "livekit")


async def test_the_agent_joining_does_not_answer_the_call(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    before = await _state(call.id)
    body = livekit_event_body(
        "participant_joined",
        room=call.livekit_room,
        call_id=call.id,
        participant_kind=AGENT_KIND,
        identity="agent-worker",
    )

    # when
    response = await _deliver(telephony, body)

    # then
    assert response.status_code == 204
    assert await _state(call.id) == before


async def test_the_sip_participant_leaving_completes_the_call_as_hung_up(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    await _deliver(
        telephony,
        livekit_event_body(
            "participant_joined", room=call.livekit_room, call_id=call.id, participant_kind=SIP
        ),
    )

    # when
    response = await _deliver(
        telephony,
        livekit_event_body(
            "participant_left", room=call.livekit_room, call_id=call.id, participant_kind=SIP
        ),
    )

    # then: once the worker had its chance to say otherwise (LIVEKIT_DEPARTURE_GRACE_SECONDS;
    # tests/calls_webhooks/test_livekit_departures.py), the caller hung up
    assert response.status_code == 204
    await eventually(lambda: _ended_as(call.id, "caller_hung_up"), what="the call ends as hung up")
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason) == ("completed", "caller_hung_up")
    assert ended.ended_at is not None
    assert await event_types(call.id) == [
        "call.status_changed",
        "call.status_changed",
        "call.started",
        "call.status_changed",
        "call.ended",
    ]


async def test_the_room_finishing_completes_the_call(make, telephony):
    # given
    call = await _ringing_call(make, telephony)

    # when
    response = await _deliver(
        telephony, livekit_event_body("room_finished", room=call.livekit_room, call_id=call.id)
    )

    # then
    assert response.status_code == 204
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason) == ("completed", "room_closed")


async def test_the_call_is_found_by_room_name_when_metadata_is_missing(make, telephony):
    # given
    call = await _ringing_call(make, telephony)

    # when
    response = await _deliver(
        telephony, livekit_event_body("room_finished", room=call.livekit_room, call_id=None)
    )

    # then
    assert response.status_code == 204
    assert (await Call.get(id=call.id)).status == "completed"


async def test_a_repeated_event_changes_nothing(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    body = livekit_event_body("room_finished", room=call.livekit_room, call_id=call.id)
    await _deliver(telephony, body)
    before = await _state(call.id)

    # when
    response = await _deliver(telephony, body)

    # then
    assert response.status_code == 204
    assert await _state(call.id) == before


async def test_an_event_for_a_room_that_is_not_a_call_is_acknowledged(telephony):
    # when
    response = await _deliver(telephony, livekit_event_body("room_finished", room="lobby"))

    # then
    assert response.status_code == 204


def _expired_with_pyjwt(body: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": LIVEKIT_API_KEY,
        "sub": "",
        "sha256": body_sha256(body),
        "video": {},
        "nbf": int((now - timedelta(hours=2)).timestamp()),
        "exp": int((now - timedelta(hours=1)).timestamp()),
    }
    return jwt.encode(claims, LIVEKIT_API_SECRET, algorithm="HS256")


def _forged(body: str, forgery: str) -> tuple[str, str | None]:
    """(the body sent, the Authorization header) for each kind of forgery."""
    if forgery == "tampered_body":
        return body.replace("room_finished", "participant_left"), livekit_authorization(body)
    if forgery == "other_secret":
        other_secret = "another-livekit-secret-0123456789abcdef"
        return body, livekit_authorization(body, api_secret=other_secret)
    if forgery == "other_key":
        return body, livekit_authorization(body, api_key="APIsomeoneElse")
    if forgery == "no_sha256":
        return body, api.AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET).to_jwt()
    if forgery == "expired_ttl":
        return body, livekit_authorization(body, ttl=timedelta(hours=-1))
    if forgery == "expired_pyjwt":
        return body, _expired_with_pyjwt(body)
    if forgery == "missing":
        return body, None
    if forgery == "garbage":
        return body, "not-a-jwt"
    raise AssertionError(forgery)


@pytest.mark.parametrize(
    "forgery",
    [
        "tampered_body",
        "other_secret",
        "other_key",
        "no_sha256",
        "expired_ttl",
        "expired_pyjwt",
        "missing",
        "garbage",
    ],
)
async def test_a_forged_or_stale_webhook_is_refused_and_changes_nothing(make, telephony, forgery):
    # given
    call = await _ringing_call(make, telephony)
    before = await _state(call.id)
    body = livekit_event_body("room_finished", room=call.livekit_room, call_id=call.id)
    sent, authorization = _forged(body, forgery)

    # when
    response = await telephony.livekit_event(sent, authorization)

    # then
    assert response.status_code == 401
    assert await _state(call.id) == before
