"""Voicemail on outgoing calls (LiveKit's pattern: a tool the model calls when it hears an
answering machine, https://docs.livekit.io/agents/start/telephony/): the agent hangs up at
once, or leaves its message and then hangs up, as the agent chose. A machine answered, so
the call was answered and is billed from then; it ends `completed` with the reason
`voicemail` or `voicemail_left`. Incoming calls have no such tool."""

from __future__ import annotations

import contextlib

import httpx

from core.call_events import CallStatus, StatusSource
from core.events import InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.services import calls
from core.services.agents import VoicemailAction
from orm.models import Call, CallEvent, CreditLedgerEntry
from tests.calls_outbound.helpers import GREETING, outbound_job
from tests.support.scripted_llm import ScriptedLLM
from tests.support.telephony import telephony_settings
from worker.session import WorkerDeps, prepare_call
from worker.voicemail import COMPOSE_INSTRUCTIONS, VOICEMAIL_INSTRUCTIONS

MACHINE = "Hi, you've reached Grace. I can't take your call; leave a message after the tone."
MESSAGE = "Hi Grace, this is Ada from Bright Smile Dental about your check-up. Please call us back."
COMPOSED = "Hello, this is Ada from Bright Smile Dental. We will call you back about your visit."
REPORT = [("report_voicemail", {})]


def _said(session) -> list[tuple[str, str]]:
    return [
        (item.role, item.text_content)
        for item in session.history.items
        if getattr(item, "role", None) in ("user", "assistant") and item.text_content
    ]


async def _timeline(call_id) -> list[tuple[str, dict]]:
    return [(e.type, e.data) for e in await CallEvent.filter(call_id=call_id).order_by("seq")]


def _ending(timeline: list[tuple[str, dict]]) -> list[tuple[str, str | None]]:
    return [
        (kind, data.get("reason"))
        for kind, data in timeline
        if kind == "call.ended" or (kind == "call.status_changed" and data["to"] == "completed")
    ]


async def test_the_agent_hangs_up_on_an_answering_machine(server, make, livekit):
    # given an agent that hangs up on answering machines, its call answered by one
    async with outbound_job(
        server.settings,
        make,
        livekit,
        script=[REPORT, "(after the hang-up)"],
        agent={"voicemail_action": VoicemailAction.HANG_UP},
    ) as job:
        prepared = await job.prepared()
        room = job.call.livekit_room

        # when the machine's greeting plays and the model reports it
        await prepared.session.run(user_input=MACHINE)
        await prepared.recorder.flush()

    # then the call ended at once, as voicemail, its room deleted (the line dropped)
    ended = await job.record()
    assert (ended.status, ended.ended_reason) == ("completed", "voicemail")
    assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [room]
    assert room in livekit.closed_rooms
    # and the agent said nothing to the machine, neither before nor after hanging up
    assert _said(prepared.session) == [("user", MACHINE)]
    timeline = await _timeline(job.call.id)
    # and the record says why, once; the machine answered, so the call was billed
    assert _ending(timeline) == [
        ("call.status_changed", "voicemail"),
        ("call.ended", "voicemail"),
    ]
    assert ended.answered_at is not None
    assert await CreditLedgerEntry.filter(call_id=job.call.id).count() == 1


async def test_the_agent_leaves_its_message_word_for_word_then_hangs_up(server, make, livekit):
    # given an agent that leaves a message of its own
    async with outbound_job(
        server.settings,
        make,
        livekit,
        script=[REPORT, "(after the message)"],
        agent={"voicemail_action": VoicemailAction.LEAVE_MESSAGE, "voicemail_message": MESSAGE},
    ) as job:
        prepared = await job.prepared()
        room = job.call.livekit_room

        # when the machine's greeting has played and the model reports it
        await prepared.session.run(user_input=MACHINE)
        await prepared.recorder.flush()

    # then the message was said as it is, after the machine's greeting
    said = _said(prepared.session)
    assert said[:2] == [("user", MACHINE), ("assistant", MESSAGE)]
    # and only then was the call ended and its room deleted
    ended = await job.record()
    assert (ended.status, ended.ended_reason) == ("completed", "voicemail_left")
    assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [room]
    timeline = await _timeline(job.call.id)
    kinds = [(kind, data.get("text") or data.get("reason")) for kind, data in timeline]
    message_at = kinds.index(("call.transcript", MESSAGE))
    ended_at = kinds.index(("call.status_changed", "voicemail_left"))
    assert message_at < ended_at
    assert _ending(timeline) == [
        ("call.status_changed", "voicemail_left"),
        ("call.ended", "voicemail_left"),
    ]
    assert await CreditLedgerEntry.filter(call_id=job.call.id).count() == 1


async def test_without_a_message_of_its_own_the_model_composes_one(server, make, livekit):
    # given an agent that leaves messages but has none written
    async with outbound_job(
        server.settings,
        make,
        livekit,
        script=[REPORT, COMPOSED, "(after the message)"],
        agent={"voicemail_action": VoicemailAction.LEAVE_MESSAGE, "voicemail_message": ""},
    ) as job:
        prepared = await job.prepared()

        # when
        await prepared.session.run(user_input=MACHINE)
        await prepared.recorder.flush()

    # then the model was asked for a short message, and said it before the hang-up
    asked = job.model.requests[1].items[-1]
    assert (asked.role, asked.text_content) == ("system", COMPOSE_INSTRUCTIONS)
    assert ("assistant", COMPOSED) in _said(prepared.session)
    ended = await job.record()
    assert (ended.status, ended.ended_reason) == ("completed", "voicemail_left")


async def test_a_voicemail_ending_is_not_replaced_by_what_livekit_sees_afterwards(
    server, make, livekit
):
    # given a call ended as voicemail by the worker
    async with outbound_job(
        server.settings, make, livekit, script=[REPORT, "(after the hang-up)"]
    ) as job:
        prepared = await job.prepared()
        await prepared.session.run(user_input=MACHINE)
        await prepared.recorder.flush()

    # when LiveKit reports the callee's line leaving the deleted room
    await calls.apply_status(
        call_id=job.call.id,
        status=CallStatus.COMPLETED,
        source=StatusSource.LIVEKIT,
        reason="caller_hung_up",
        bus=None,
    )

    # then the decided ending stays
    assert (await job.record()).ended_reason == "voicemail"


async def test_outgoing_calls_offer_the_voicemail_tool_and_say_when_to_use_it(
    server, make, livekit
):
    # given an outgoing call
    async with outbound_job(
        server.settings, make, livekit, script=["Hello Grace, this is Ada."]
    ) as job:
        prepared = await job.prepared()

        # when the callee speaks
        await prepared.session.run(user_input="Hello?")

    # then the model has the tool, and its instructions say when to call it
    assert "report_voicemail" in job.model.tools_seen[0]
    instructions = job.model.requests[0].items[0].text_content
    assert VOICEMAIL_INSTRUCTIONS.strip() in instructions


async def test_incoming_calls_have_no_voicemail_tool(server, make, livekit):
    # given an incoming call of an agent that would leave messages on outgoing ones
    tenant = await make.tenant()
    agent = await make.agent(
        tenant, voicemail_action=VoicemailAction.LEAVE_MESSAGE, voicemail_message=MESSAGE
    )
    call = await make.call(tenant, agent, direction="inbound")
    model = ScriptedLLM([GREETING])
    settings = telephony_settings(server.settings, livekit)

    # when its session starts (the greeting is the model's first request)
    async with httpx.AsyncClient() as http, contextlib.aclosing(LiveKitRooms(settings)) as rooms:
        deps = WorkerDeps(
            settings=settings,
            bus=InProcessBus(),
            rooms=rooms,
            model_factory=lambda snapshot, s: model,
            http=http,
            specs={},
            manage_database=False,
            use_room=False,
        )
        prepared = await prepare_call(call_id=call.id, deps=deps, hang_up=_no_hang_up)
        assert prepared is not None
        async with prepared.session:
            await prepared.session.start(prepared.agent)

    # then neither the tool nor the instructions about it
    assert model.tools_seen[0] == ["end_call"]
    instructions = model.requests[0].items[0].text_content or ""
    assert "report_voicemail" not in instructions
    assert (await Call.get(id=call.id)).status == "ringing"


async def _no_hang_up(room: str | None) -> None:
    raise AssertionError("nothing hangs up here")
