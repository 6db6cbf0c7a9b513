"""The fake LiveKit's dial-outs behave as LiveKit SIP documents them, through livekit-api:
the participant joins while dialing, rings, answers or fails with the far end's SIP status,
and is given up after the ring window (tests/fakes/livekit_sip.py)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from livekit import api

from tests.fakes.livekit_sip import SIP_CALL_STATUS, Callee, SipCallStatus
from tests.support.telephony import LIVEKIT_API_KEY, LIVEKIT_API_SECRET
from tests.support.waiting import eventually

CALLEE = "+14155550142"
TRUNK_NUMBERS = ["+14155550100", "+14155550101"]


def _client(livekit) -> api.LiveKitAPI:
    return api.LiveKitAPI(url=livekit.url, api_key=LIVEKIT_API_KEY, api_secret=LIVEKIT_API_SECRET)


def _dial(trunk_id: str, *, wait: bool, sip_number: str = "", ringing_timeout: float | None = None):
    request = api.CreateSIPParticipantRequest(
        sip_trunk_id=trunk_id,
        sip_call_to=CALLEE,
        sip_number=sip_number,
        room_name="call-dial",
        participant_identity="callee",
        wait_until_answered=wait,
    )
    if ringing_timeout is not None:
        request.ringing_timeout.FromTimedelta(timedelta(seconds=ringing_timeout))
    return request


async def test_the_callee_joins_dialing_then_rings_then_answers(livekit):
    # given a phone that starts ringing a moment after the INVITE, and rings until answered
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    livekit.set_callee(CALLEE, Callee(ring_after=0.05, respond_after=None))
    async with _client(livekit) as client:
        # when the call is placed without waiting for the answer
        info = await client.sip.create_sip_participant(
            _dial(trunk.sip_trunk_id, wait=False, sip_number="+14155550100")
        )

        # then the participant is in the room at once, before anybody answered
        participant = livekit.participant("call-dial", info.participant_identity)
        assert participant is not None and participant.kind == api.ParticipantInfo.Kind.SIP
        assert participant.sip_status in ("dialing", "ringing")
        # and rings, and is active once the phone is picked up
        await eventually(lambda: participant.sip_status == SipCallStatus.RINGING)
        picked_up = time.time()
        livekit.pick_up("call-dial", info.participant_identity)
        await eventually(lambda: participant.sip_status == SipCallStatus.ACTIVE)
    assert participant.sip_statuses == ["dialing", "ringing", "active"]
    assert participant.answered_at is not None and participant.answered_at >= picked_up
    assert participant.attributes["sip.trunkPhoneNumber"] == "+14155550100"
    assert participant.attributes["sip.phoneNumber"] == CALLEE
    # and the room heard of it by webhook, with the status it had then
    [joined] = [w for w in livekit.webhooks if w.event == "participant_joined"]
    assert joined.participant.attributes[SIP_CALL_STATUS] == "dialing"


async def test_waiting_until_answered_returns_when_the_callee_picks_up(livekit):
    # given
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    livekit.set_callee(CALLEE, Callee.answering(after=0.2))
    async with _client(livekit) as client:
        # when
        started = time.time()
        info = await client.sip.create_sip_participant(_dial(trunk.sip_trunk_id, wait=True))

    # then
    participant = livekit.participant("call-dial", info.participant_identity)
    assert participant is not None and participant.sip_status == "active"
    assert time.time() - started >= 0.2
    # livekit-api pinned the ring window the server uses to 30 s
    [request] = livekit.requests_for("CreateSIPParticipant")
    assert request.message.ringing_timeout.seconds == 30


@pytest.mark.parametrize(
    ("callee", "sip_status_code", "disconnect_reason"),
    [
        (Callee.busy(after=0.05), 486, "USER_REJECTED"),
        (Callee.not_answering(after=0.05), 480, "USER_UNAVAILABLE"),
        (Callee.failing(), 503, "SIP_TRUNK_FAILURE"),
    ],
)
async def test_a_refused_call_fails_with_the_sip_status(
    livekit, callee, sip_status_code, disconnect_reason
):
    # given
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    livekit.set_callee(CALLEE, callee)
    async with _client(livekit) as client:
        # when
        with pytest.raises(api.SipCallError) as raised:
            await client.sip.create_sip_participant(_dial(trunk.sip_trunk_id, wait=True))

    # then livekit-api reads the status back, and the participant has left the room
    assert raised.value.sip_status_code == sip_status_code
    assert livekit.participants("call-dial") == []
    [left] = [w for w in livekit.webhooks if w.event == "participant_left"]
    assert left.participant.disconnect_reason == api.DisconnectReason.Value(disconnect_reason)
    assert left.participant.attributes[SIP_CALL_STATUS] != "active"


async def test_a_phone_that_rings_past_the_ring_window_is_given_up(livekit):
    # given
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    livekit.set_callee(CALLEE, Callee.ringing_forever())
    async with _client(livekit) as client:
        # when
        with pytest.raises(api.TwirpError) as raised:
            await client.sip.create_sip_participant(
                _dial(trunk.sip_trunk_id, wait=True, ringing_timeout=0.2)
            )

    # then: cancelled without a SIP status, as LiveKit reports its own timeout
    assert not isinstance(raised.value, api.SipCallError)
    assert (raised.value.code, raised.value.status) == ("canceled", 408)
    assert livekit.participants("call-dial") == []


async def test_without_a_number_livekit_picks_one_of_the_trunk(livekit):
    # given
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    async with _client(livekit) as client:
        # when
        info = await client.sip.create_sip_participant(_dial(trunk.sip_trunk_id, wait=True))

    # then
    participant = livekit.participant("call-dial", info.participant_identity)
    assert participant is not None
    assert participant.attributes["sip.trunkPhoneNumber"] in TRUNK_NUMBERS


async def test_an_unknown_trunk_is_not_found(livekit):
    async with _client(livekit) as client:
        with pytest.raises(api.TwirpError) as raised:
            await client.sip.create_sip_participant(_dial("ST_missing", wait=True))
    assert raised.value.code == "not_found"
    assert "call-dial" not in livekit.rooms


async def test_deleting_the_room_while_it_rings_ends_the_dial(livekit):
    # given a call ringing into a room
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    livekit.set_callee(CALLEE, Callee.ringing_forever())
    async with _client(livekit) as client:
        dial = asyncio.ensure_future(
            client.sip.create_sip_participant(_dial(trunk.sip_trunk_id, wait=True))
        )
        await eventually(lambda: livekit.participant("call-dial", "callee") is not None)

        # when
        await client.room.delete_room(api.DeleteRoomRequest(room="call-dial"))

        # then
        with pytest.raises(api.TwirpError) as raised:
            await dial
    assert raised.value.code == "canceled"
    assert livekit.webhook_events("call-dial")[-2:] == ["participant_left", "room_finished"]
    assert "call-dial" in livekit.closed_rooms


async def test_rooms_close_after_their_empty_and_departure_timeouts(livekit):
    # given a server whose clock runs a thousand times faster
    livekit.time_scale = 0.001
    async with _client(livekit) as client:
        # when a room is created and nobody joins (60 s -> 0.06 s)
        await client.room.create_room(api.CreateRoomRequest(name="call-empty", empty_timeout=60))
        # and another one's only participant leaves (10 s -> 0.01 s)
        await client.room.create_room(
            api.CreateRoomRequest(name="call-left", empty_timeout=60, departure_timeout=10)
        )
        livekit.join("call-left", "agent")
        livekit.leave("call-left", "agent")

    # then both close by themselves
    await eventually(lambda: {"call-empty", "call-left"} <= set(livekit.closed_rooms))
    assert livekit.webhook_events("call-left") == [
        "room_started",
        "participant_joined",
        "participant_left",
        "room_finished",
    ]


async def test_webhooks_are_delivered_in_order_and_signed_like_livekit(livekit):
    # given a receiver that checks them as our API does
    received: list[str] = []
    receiver = api.WebhookReceiver(api.TokenVerifier(LIVEKIT_API_KEY, LIVEKIT_API_SECRET))

    async def sink(body: str, authorization: str) -> None:
        received.append(receiver.receive(body, authorization).event)

    livekit.webhook_sink = sink
    trunk = livekit.add_outbound_trunk(numbers=TRUNK_NUMBERS)
    livekit.set_callee(CALLEE, Callee.busy())
    async with _client(livekit) as client:
        # when
        with pytest.raises(api.SipCallError):
            await client.sip.create_sip_participant(_dial(trunk.sip_trunk_id, wait=True))

    # then
    await eventually(lambda: len(received) == 3)
    assert received == ["room_started", "participant_joined", "participant_left"]
