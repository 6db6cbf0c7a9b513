"""The rooms we create carry the configured timeouts (LiveKit's CreateRoom `empty_timeout`
and `departure_timeout`: https://docs.livekit.io/intro/basics/rooms-participants-tracks/
rooms/): a call's room, and a warm transfer's consultation room. The fake LiveKit keeps
them on the room and closes it by them (tests/fakes/livekit_sip.py,
tests/calls_outbound/test_fake_livekit_dial.py)."""

from __future__ import annotations

import contextlib

from core.integrations.livekit_rooms import LiveKitRooms, consultation_room
from core.settings import Settings
from tests.support.telephony import start_call, telephony_app, telephony_settings


def _timeouts(livekit, room: str) -> tuple[int, int]:
    [request] = [r for r in livekit.requests_for("CreateRoom") if r.message.name == room]
    return request.message.empty_timeout, request.message.departure_timeout


async def test_a_calls_room_has_the_default_timeouts(make, telephony):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)

    # when Twilio brings in a call
    call = await start_call(telephony, agent.phone_number.e164)

    # then: a minute for somebody to join, ten seconds to rejoin after the last one left
    assert _timeouts(telephony.livekit, call.livekit_room or "") == (60, 10)


async def test_a_calls_room_has_the_configured_timeouts(make, server, livekit):
    async with telephony_app(
        server.settings,
        livekit,
        livekit_room_empty_timeout_seconds=45,
        livekit_room_departure_timeout_seconds=7,
    ) as telephony:
        # given
        tenant = await make.tenant()
        agent = await make.agent(tenant, phone_number=True)

        # when
        call = await start_call(telephony, agent.phone_number.e164)

    # then: LiveKit got them, and holds the room by them
    room = call.livekit_room or ""
    assert _timeouts(livekit, room) == (45, 7)
    assert (livekit.rooms[room].empty_timeout, livekit.rooms[room].departure_timeout) == (45, 7)


async def test_a_consultation_room_has_its_own_departure_timeout(server, livekit):
    # given
    settings = telephony_settings(
        server.settings,
        livekit,
        livekit_room_empty_timeout_seconds=50,
        livekit_consultation_room_departure_timeout_seconds=3,
    )
    room = consultation_room("call-0123")

    # when the worker opens a warm transfer's consultation room
    await _create_consultation_room(settings, room)

    # then
    assert _timeouts(livekit, room) == (50, 3)


async def _create_consultation_room(settings: Settings, room: str) -> None:
    async with contextlib.aclosing(LiveKitRooms(settings)) as rooms:
        await rooms.create_consultation_room(name=room)
