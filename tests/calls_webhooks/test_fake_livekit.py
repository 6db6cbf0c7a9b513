"""The LiveKit stub itself: it answers livekit-api like the server, and refuses what the
server refuses, so the tests that rely on it prove something."""

from __future__ import annotations

import aiohttp
import httpx
import pytest
from livekit import api

from tests.support.telephony import LIVEKIT_API_KEY, LIVEKIT_API_SECRET


def _client(livekit, secret: str = LIVEKIT_API_SECRET) -> api.LiveKitAPI:
    return api.LiveKitAPI(url=livekit.url, api_key=LIVEKIT_API_KEY, api_secret=secret)


async def test_it_answers_every_method_the_platform_uses(livekit):
    # given an outbound trunk, as LiveKit needs one to dial out
    livekit.add_outbound_trunk(trunk_id="ST_1", numbers=["+14155550100"])
    async with _client(livekit) as client:
        # when
        room = await client.room.create_room(
            api.CreateRoomRequest(
                name="call-1",
                metadata='{"call_id":"1"}',
                agents=[api.RoomAgentDispatch(agent_name="worker")],
            )
        )
        dispatch = await client.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(agent_name="worker", room="call-1")
        )
        participant = await client.sip.create_sip_participant(
            api.CreateSIPParticipantRequest(
                sip_trunk_id="ST_1",
                sip_call_to="+14155550142",
                room_name="call-1",
                participant_identity="callee",
            )
        )
        transfer = await client.sip.transfer_sip_participant(
            api.TransferSIPParticipantRequest(
                room_name="call-1", participant_identity="callee", transfer_to="tel:+14155550199"
            )
        )
        await client.room.delete_room(api.DeleteRoomRequest(room="call-1"))

    # then
    assert room.name == "call-1" and room.metadata == '{"call_id":"1"}' and room.sid
    assert (dispatch.agent_name, dispatch.room) == ("worker", "call-1")
    assert (participant.room_name, participant.participant_identity) == ("call-1", "callee")
    assert (
        transfer.status
        == api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name["status"]
        .enum_type.values_by_name["STS_TRANSFER_SUCCESSFUL"]
        .number
    )
    assert livekit.methods() == [
        "CreateRoom",
        "CreateDispatch",
        "CreateSIPParticipant",
        "TransferSIPParticipant",
        "DeleteRoom",
    ]
    assert livekit.rooms == {}
    assert livekit.requests_for("CreateSIPParticipant")[0].message.sip_call_to == "+14155550142"


async def test_it_takes_json_requests_too(livekit):
    # given
    token = (
        api.AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET)
        .with_grants(api.VideoGrants(room_create=True))
        .to_jwt()
    )

    # when
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{livekit.url}/twirp/livekit.RoomService/CreateRoom",
            json={"name": "call-json", "metadata": "m"},
            headers={"Authorization": f"Bearer {token}"},
        )

    # then
    assert response.status_code == 200
    assert response.json()["name"] == "call-json"
    assert livekit.requests_for("CreateRoom")[0].message.metadata == "m"


async def test_a_token_signed_with_another_secret_is_unauthenticated(livekit):
    # when
    async with _client(livekit, secret="another-secret-of-enough-length-0123456789") as client:
        with pytest.raises(api.TwirpError) as raised:
            await client.room.create_room(api.CreateRoomRequest(name="call-x"))

    # then
    assert (raised.value.status, raised.value.code) == (401, "unauthenticated")
    assert livekit.rooms == {}


async def test_a_missing_grant_is_permission_denied(livekit):
    # given: a participant's join token, not an admin one
    token = (
        api.AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET)
        .with_identity("x")
        .with_grants(api.VideoGrants(room_join=True, room="call-x"))
        .to_jwt()
    )

    # when
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{livekit.url}/twirp/livekit.SIP/CreateSIPParticipant",
            json={"sip_trunk_id": "ST_1", "sip_call_to": "+1", "room_name": "call-x"},
            headers={"Authorization": f"Bearer {token}"},
        )

    # then
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert livekit.sip_participants == []


async def test_scripted_failures_and_a_stopped_server(livekit):
    # given
    livekit.fail_next(
        "TransferSIPParticipant",
        status=412,
        code="failed_precondition",
        meta={"sip_status_code": "486", "sip_status": "Busy Here"},
    )
    async with _client(livekit) as client:
        # when
        with pytest.raises(api.SipCallError) as raised:
            await client.sip.transfer_sip_participant(
                api.TransferSIPParticipantRequest(
                    room_name="call-1", participant_identity="callee", transfer_to="tel:+1415"
                )
            )
        # then
        assert raised.value.sip_status_code == 486
        await livekit.stop()
        try:
            with pytest.raises(aiohttp.ClientConnectionError):
                await client.room.create_room(api.CreateRoomRequest(name="call-2"))
        finally:
            await livekit.start()
        assert (
            await client.room.create_room(api.CreateRoomRequest(name="call-2"))
        ).name == "call-2"
