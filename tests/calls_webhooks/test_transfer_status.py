"""A transfer LiveKit reports as failed (without an error) is a failed transfer."""

import pytest

from core.integrations.livekit_rooms import LiveKitRooms, TelephonyUnavailable
from tests.fakes.livekit import FakeLiveKit


async def test_a_transfer_answered_as_failed_raises(server):
    from livekit import api

    failed = (
        api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name["status"]
        .enum_type.values_by_name["STS_TRANSFER_FAILED"]
        .number
    )
    async with FakeLiveKit() as livekit:
        rooms = LiveKitRooms(server.settings.model_copy(update=livekit.settings_overrides()))
        try:
            # given LiveKit answers the transfer with status failed, no error
            livekit.transfer_status = failed
            # when / then
            with pytest.raises(TelephonyUnavailable, match="transfer failed"):
                await rooms.transfer(
                    room="call-x", identity="sip-caller", transfer_to="+14155550199"
                )
            # and a successful answer is a transfer
            livekit.transfer_status = (
                api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name["status"]
                .enum_type.values_by_name["STS_TRANSFER_SUCCESSFUL"]
                .number
            )
            await rooms.transfer(room="call-x", identity="sip-caller", transfer_to="+14155550199")
        finally:
            await rooms.aclose()
