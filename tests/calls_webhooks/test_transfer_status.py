"""A transfer LiveKit reports as failed (without an error) is a failed transfer."""

from __future__ import annotations

from livekit import api

from core.call_events import TransferOutcome
from core.integrations.livekit_rooms import LiveKitRooms

_TRANSFER_STATUS = api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name["status"]
TRANSFER_FAILED = _TRANSFER_STATUS.enum_type.values_by_name["STS_TRANSFER_FAILED"].number
TRANSFER_SUCCESSFUL = _TRANSFER_STATUS.enum_type.values_by_name["STS_TRANSFER_SUCCESSFUL"].number


async def test_a_transfer_answered_as_failed_is_not_a_transfer(settings, livekit):
    rooms = LiveKitRooms(settings.model_copy(update=livekit.settings_overrides()))
    try:
        # given: LiveKit answers the transfer with status failed, and no error
        livekit.transfer_status = TRANSFER_FAILED

        # when
        failed = await rooms.transfer(
            room="call-x", identity="sip-caller", transfer_to="+14155550199", ringing_timeout=1
        )

        # then
        assert failed.outcome is TransferOutcome.FAILED

        # given: a successful answer
        livekit.transfer_status = TRANSFER_SUCCESSFUL

        # when
        done = await rooms.transfer(
            room="call-x", identity="sip-caller", transfer_to="+14155550199", ringing_timeout=1
        )

        # then: it is a transfer
        assert done.outcome is TransferOutcome.TRANSFERRED
        assert [r.status for r in livekit.requests_for("TransferSIPParticipant")] == [200, 200]
    finally:
        await rooms.aclose()
