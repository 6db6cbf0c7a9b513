"""An outgoing call that no worker takes ends `failed` / `no_worker` within seconds of the
latest a dial-out could still be ringing, its room deleted, never charged.

`callCreate` records the call ringing and creates its room with the worker dispatched; the
job dials (worker/outbound.py), and LiveKit ends a dial-out nobody answers after
OUTBOUND_RINGING_TIMEOUT_SECONDS. Nothing records that dialling began, so the API's janitor
(`fail_unclaimed_outbound`, every OUTBOUND_NO_WORKER_CHECK_SECONDS) ends a call still
ringing OUTBOUND_RINGING_TIMEOUT_SECONDS + OUTBOUND_DISPATCH_MARGIN_SECONDS after it was
placed. The pass runs here with a clock (`now`); the janitor's loop once, on a call placed
long enough ago.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

from core.call_events import CallStatus
from core.integrations.livekit_rooms import LiveKitRooms
from core.services import calls
from graphql_api.app import _janitor
from orm.models import Call, CreditLedgerEntry, Organization
from tests.support.ids import global_id, uuid_of
from tests.support.operations import CALL_CREATE
from tests.support.telephony import event_types, telephony_settings
from tests.support.waiting import eventually

CALLEE = "+14155550142"


async def _placed_call(make, telephony) -> Call:
    """An outgoing call as `callCreate` leaves it: ringing, its room open for the worker."""
    tenant = await make.tenant("Outbound Co", balance=1000)
    agent = await make.agent(tenant, phone_number=True)
    payload = await telephony.gql.payload(
        CALL_CREATE,
        {"input": {"agentId": global_id("Agent", agent.id), "toNumber": CALLEE}},
        token=tenant.token,
    )
    assert payload["errors"] == [], payload
    return await Call.get(id=uuid_of(payload["call"]["id"]))


async def _aged(call: Call, seconds: float) -> Call:
    await Call.filter(id=call.id).update(created_at=datetime.now(UTC) - timedelta(seconds=seconds))
    return await Call.get(id=call.id)


async def test_a_call_no_worker_took_fails_once_no_dial_out_could_still_ring(make, telephony):
    # given an outgoing call that no worker takes
    call = await _placed_call(make, telephony)
    deadline = call.created_at + timedelta(
        seconds=calls.no_worker_deadline_seconds(telephony.settings)
    )
    balance = (await Organization.get(id=call.organization_id)).credit_balance
    rooms = LiveKitRooms(telephony.settings)
    try:
        # when the janitor looks just before the latest a dial-out could end
        early = await calls.fail_unclaimed_outbound(
            bus=None, settings=telephony.settings, rooms=rooms, now=deadline - timedelta(seconds=1)
        )

        # then the call may still be ringing at the callee's: it is left alone
        assert early == 0
        assert (await Call.get(id=call.id)).status == "ringing"
        assert telephony.livekit.requests_for("DeleteRoom") == []

        # when it looks just after
        late = await calls.fail_unclaimed_outbound(
            bus=None, settings=telephony.settings, rooms=rooms, now=deadline + timedelta(seconds=1)
        )
    finally:
        await rooms.aclose()

    # then the call failed, says why, and its room is gone (a late worker finds it over)
    assert late == 1
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason) == ("failed", "no_worker")
    assert await event_types(call.id) == [
        "call.status_changed",
        "call.status_changed",
        "call.ended",
    ]
    assert [r.message.room for r in telephony.livekit.requests_for("DeleteRoom")] == [  # type: ignore[union-attr]
        call.livekit_room
    ]
    assert call.livekit_room not in telephony.livekit.rooms
    # and nobody was billed for a call nobody answered
    assert ended.answered_at is None and ended.duration_seconds == 0
    assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 0
    assert (await Organization.get(id=call.organization_id)).credit_balance == balance


async def test_only_outgoing_calls_still_ringing_are_ended(make, telephony):
    # given calls as old as an unclaimed outgoing call would be
    age = calls.no_worker_deadline_seconds(telephony.settings) + 5
    tenant = await make.tenant("Outbound Co")
    agent = await make.agent(tenant, phone_number=True)
    incoming = await _aged(await make.call(tenant, agent), age)
    answered = await _aged(
        await make.call(tenant, agent, direction="outbound", answered_seconds_ago=age - 20), age
    )
    busy = await _aged(
        await make.call(
            tenant, agent, direction="outbound", status=CallStatus.BUSY, ended_reason="sip_486"
        ),
        age,
    )
    unclaimed = await _aged(await make.call(tenant, agent, direction="outbound"), age)

    # when
    failed = await calls.fail_unclaimed_outbound(bus=None, settings=telephony.settings)

    # then an incoming call ringing (Twilio's <Dial> and its action decide), a call the
    # callee answered and a call that ended are not the janitor's business
    assert failed == 1
    assert [
        ((c := await Call.get(id=call.id)).status, c.ended_reason)
        for call in (incoming, answered, busy, unclaimed)
    ] == [
        ("ringing", None),
        ("in_progress", None),
        ("busy", "sip_486"),
        ("failed", "no_worker"),
    ]


async def test_a_second_pass_changes_nothing(make, telephony):
    # given an unclaimed call the janitor ended
    call = await _placed_call(make, telephony)
    later = call.created_at + timedelta(
        seconds=calls.no_worker_deadline_seconds(telephony.settings) + 1
    )
    await calls.fail_unclaimed_outbound(bus=None, settings=telephony.settings, now=later)
    before = (await Call.get(id=call.id), await event_types(call.id))

    # when another replica's janitor looks too
    failed = await calls.fail_unclaimed_outbound(bus=None, settings=telephony.settings, now=later)

    # then
    assert failed == 0
    after = (await Call.get(id=call.id), await event_types(call.id))
    assert (after[0].ended_at, after[1]) == (before[0].ended_at, before[1])


async def test_the_janitor_checks_for_unclaimed_calls_on_its_own_short_interval(
    make, server, livekit
):
    # given the API's janitor checking every 10 ms, an outgoing call placed longer ago than
    # the deadline, and an incoming call ringing past the minute pass's ten minutes
    settings = telephony_settings(server.settings, livekit, outbound_no_worker_check_seconds=0.01)
    tenant = await make.tenant("Outbound Co")
    agent = await make.agent(tenant, phone_number=True)
    unclaimed = await _aged(
        await make.call(tenant, agent, direction="outbound", livekit_room="call-unclaimed"),
        calls.no_worker_deadline_seconds(settings) + 1,
    )
    stale = await _aged(await make.call(tenant, agent), calls.RINGING_LIMIT_SECONDS + 60)

    # when the janitor runs
    async with contextlib.aclosing(LiveKitRooms(settings)) as rooms:
        janitor = asyncio.create_task(_janitor(None, rooms, settings))  # type: ignore[arg-type]
        try:
            # then the unclaimed call ends within moments, its room deleted
            await eventually(
                lambda: _ended_with(unclaimed, "no_worker"), what="the unclaimed call ends"
            )
            await eventually(
                lambda: livekit.requests_for("DeleteRoom") != [], what="its room is deleted"
            )
        finally:
            janitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await janitor

    # and the minute pass has not run yet: the two checks keep their own clocks
    assert (await Call.get(id=stale.id)).status == "ringing"


async def _ended_with(call: Call, reason: str) -> bool:
    return (await Call.get(id=call.id)).ended_reason == reason
