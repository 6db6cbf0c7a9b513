"""POST /webhooks/twilio/refer: Twilio asks what to do with a REFER the agent's LiveKit leg
sent (https://www.twilio.com/docs/voice/api/refer-to-twilio).

Only a genuine request (X-Twilio-Signature over the exact URL) for a call in progress whose
agent has just started a transfer gets a `<Dial>`, and only to the agent's own transfer
target: the REFER's target is checked, never dialled as it comes. Anything else is refused
with a 4xx, which Twilio treats as a failed fetch: the caller stays with the agent
(answerOnBridge), nobody is dialled.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from core.call_events import (
    CallStatus,
    StatusSource,
    TransferMode,
    TransferOutcome,
    TransferStarted,
)
from core.call_events import Transfer as TransferEvent
from core.services import calls
from orm.models import Call
from tests.calls_transfer.helpers import HUMAN, transfer_events
from tests.support.calls import call_in_progress, record_end
from tests.support.telephony import CALLER, PUBLIC_BASE_URL, Telephony

REFER_PATH = "/webhooks/twilio/refer"


def refer_params(call: Call, target: str) -> dict[str, str]:
    """What Twilio posts to a referUrl: the voice webhook's parameters and the Refer-To."""
    return {
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "CallSid": call.twilio_call_sid or "CA" + "1" * 32,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "From": call.from_number,
        "To": call.to_number,
        "ReferTransferTarget": target,
    }


async def refer(
    telephony: Telephony, call_param: str, params: dict[str, str], **kw: object
) -> tuple[int, str]:
    path = f"{REFER_PATH}?call={call_param}"
    kw.setdefault("signed_url", PUBLIC_BASE_URL + path)
    response = await telephony.twilio(path, params, **kw)  # type: ignore[arg-type]
    return response.status_code, response.text


async def call_transferring(
    make, telephony: Telephony, *, transfer_to: str = HUMAN, started: bool = True
) -> Call:
    """A call in progress whose agent (transferring to `transfer_to`) began a cold transfer."""
    call = await call_in_progress(make, telephony, transfer_to=transfer_to)
    if started:
        await calls.record_event(
            call_id=call.id,
            payload=TransferStarted(transfer_to=transfer_to, mode=TransferMode.COLD),
            bus=None,
        )
    return call


def _dial(twiml: str) -> ElementTree.Element:
    root = ElementTree.fromstring(twiml)
    assert root.tag == "Response", twiml
    dial = root.find("./Dial")
    assert dial is not None, twiml
    return dial


@pytest.mark.parametrize("target", [f"<tel:{HUMAN}>", f"tel:{HUMAN}", f"<sip:{HUMAN}@x.test>"])
async def test_twilio_is_told_to_dial_the_agents_human(make, telephony, target):
    # given
    call = await call_transferring(make, telephony)

    # when Twilio posts the REFER, in any of the forms a Refer-To takes
    status, twiml = await refer(telephony, str(call.id), refer_params(call, target))

    # then it dials the agent's number for transfers, showing the caller's number, for as
    # long as a transfer may ring
    assert status == 200, twiml
    dial = _dial(twiml)
    assert [(child.tag, child.text) for child in dial] == [("Number", HUMAN)]
    assert dial.get("callerId") == CALLER
    assert dial.get("timeout") == "1"  # TRANSFER_RINGING_TIMEOUT_SECONDS in these tests


async def test_a_sip_address_is_dialled_as_sip(make, telephony):
    # given an agent that transfers to a desk phone on a PBX
    desk = "sip:desk@pbx.example.com"
    call = await call_transferring(make, telephony, transfer_to=desk)

    # when
    status, twiml = await refer(telephony, str(call.id), refer_params(call, f"<{desk}>"))

    # then
    assert status == 200, twiml
    assert [(child.tag, child.text) for child in _dial(twiml)] == [("Sip", desk)]


async def test_a_refer_to_any_other_number_is_refused(make, telephony):
    # given a transfer the agent began to its own human
    call = await call_transferring(make, telephony)

    # when a REFER names another number (a tampered LiveKit request, or a confused one)
    status, body = await refer(telephony, str(call.id), refer_params(call, "<tel:+19005550123>"))

    # then nobody is dialled
    assert status == 403
    assert "<Dial" not in body


async def test_a_forged_or_unsigned_refer_is_refused_and_changes_nothing(make, telephony):
    # given
    call = await call_transferring(make, telephony)
    params = refer_params(call, f"<tel:{HUMAN}>")
    before = await transfer_events(call.id)

    # when: signed with another token, signed for another URL, not signed
    answers = [
        await refer(telephony, str(call.id), params, auth_token="not-the-auth-token"),
        await refer(
            telephony, str(call.id), params, signed_url=PUBLIC_BASE_URL + REFER_PATH + "?call=x"
        ),
        await refer(telephony, str(call.id), params, sign=False),
    ]

    # then
    assert [status for status, _ in answers] == [403, 403, 403]
    assert await transfer_events(call.id) == before


async def test_a_refer_the_agent_did_not_start_is_refused(make, telephony):
    # given a call in progress whose agent started no transfer
    call = await call_transferring(make, telephony, started=False)

    # when
    status, body = await refer(telephony, str(call.id), refer_params(call, f"<tel:{HUMAN}>"))

    # then
    assert status == 409
    assert "<Dial" not in body


async def test_a_replayed_refer_of_a_finished_transfer_is_refused(make, telephony):
    # given a transfer that already failed (the caller stayed with the agent)
    call = await call_transferring(make, telephony)
    await calls.record_event(
        call_id=call.id,
        payload=TransferEvent(
            transfer_to=HUMAN,
            outcome=TransferOutcome.BUSY,
            reason="sip_486",
            mode=TransferMode.COLD,
        ),
        bus=None,
    )

    # when the same REFER arrives again
    status, _ = await refer(telephony, str(call.id), refer_params(call, f"<tel:{HUMAN}>"))

    # then
    assert status == 409


async def test_a_refer_for_a_call_that_ended_is_refused(make, telephony):
    # given a transfer begun on a call that has ended since
    call = await call_transferring(make, telephony)
    await record_end(call, CallStatus.COMPLETED, "twilio_completed", source=StatusSource.TWILIO)

    # when
    status, _ = await refer(telephony, str(call.id), refer_params(call, f"<tel:{HUMAN}>"))

    # then
    assert status == 409


# A fixed unknown id: xdist workers must collect the same parameters.
@pytest.mark.parametrize("call_param", ["not-a-uuid", "00000000-0000-4000-8000-000000000000", ""])
async def test_a_refer_for_no_call_of_ours_is_refused(make, telephony, call_param):
    # given
    call = await call_transferring(make, telephony)

    # when the signed URL names no call we know
    status, _ = await refer(telephony, call_param, refer_params(call, f"<tel:{HUMAN}>"))

    # then
    assert status == 404


async def test_a_refer_without_a_target_is_a_bad_request(make, telephony):
    # given
    call = await call_transferring(make, telephony)
    params = refer_params(call, "")
    del params["ReferTransferTarget"]

    # when
    status, _ = await refer(telephony, str(call.id), params)

    # then
    assert status == 400
