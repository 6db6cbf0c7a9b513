"""A call driven through the Twilio and LiveKit webhooks reaches a partner's endpoint as
signed Standard Webhooks: `call.started`, the conversation, `call.ended` with the
end-of-call report and `call.analyzed`, each verified with the `standardwebhooks` library."""

from __future__ import annotations

from core.call_events import CallEventType, Speaker, ToolInvoked, ToolOutcome, TranscriptSegment
from core.services import calls
from orm.models import Call, CallAnalysis, CreditLedgerEntry, WebhookDelivery
from tests.call_analysis.helpers import (
    agent_with_plan,
    analysis_settings,
    good_answer,
    run_due,
    runner_for,
)
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import fast, running_dispatcher
from tests.support.ids import global_id
from tests.support.telephony import (
    SIP,
    livekit_authorization,
    livekit_event_body,
    new_call_sid,
    start_call,
    status_params,
)
from tests.support.waiting import eventually

SUBSCRIBED = [
    CallEventType.STARTED,
    CallEventType.TRANSCRIPT_SEGMENT,
    CallEventType.TOOL_INVOKED,
    CallEventType.ENDED,
]


async def _answered_and_hung_up(telephony, agent) -> Call:
    """Twilio brings a call to the agent's number, LiveKit's SIP participant answers, the
    worker records a turn each and a tool call, and Twilio reports the caller hung up."""
    call = await start_call(telephony, agent.phone_number.e164, call_sid=new_call_sid())
    joined = livekit_event_body(
        "participant_joined", room=call.livekit_room, call_id=call.id, participant_kind=SIP
    )
    assert (await telephony.livekit_event(joined, livekit_authorization(joined))).is_success
    for payload in (
        TranscriptSegment(speaker=Speaker.AGENT, text="Thanks for calling, how can I help?"),
        TranscriptSegment(speaker=Speaker.CALLER, text="Is Monday at nine free?"),
        ToolInvoked(
            function="calendar_check_availability",
            arguments={"day": "monday"},
            outcome=ToolOutcome.OK,
            latency_ms=212,
        ),
        TranscriptSegment(speaker=Speaker.AGENT, text="Monday at nine is free."),
    ):
        await calls.record_event(call_id=call.id, payload=payload, bus=None)
    sid = call.twilio_call_sid
    assert sid is not None
    assert (await telephony.status(status_params(sid, "completed", CallDuration="47"))).is_success
    return await Call.get(id=call.id)


async def test_a_call_reaches_the_partner_signed_with_its_report(
    make, telephony, receiver: PartnerReceiver
):
    # given: an organization with an agent, and a partner's endpoint for four event types
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/voice-events"), event_types=SUBSCRIBED
    )

    # when: a call is answered, talked through and hung up, with a dispatcher running
    async with running_dispatcher(fast(telephony.settings)):
        call = await _answered_and_hung_up(telephony, agent)
        await eventually(lambda: len(receiver.received()) == 6, what="six webhooks")
        # Received is not yet recorded: stopping the dispatcher between the two gives the
        # delivery back, to be sent again (at least once).
        await eventually(lambda: _none_pending(issued.endpoint.id), what="outcomes recorded")

    # then: each verifies with the endpoint's secret, and says what the record says
    payloads = [request.verified(issued.signing_secret) for request in receiver.received()]
    payloads.sort(key=lambda payload: payload["data"]["seq"])
    assert [p["type"] for p in payloads] == [
        "call.started",
        "call.transcript",
        "call.transcript",
        "call.tool_invoked",
        "call.transcript",
        "call.ended",
    ]
    call_id = global_id("Call", call.id)
    for payload, request in zip(payloads, receiver.received(), strict=False):
        assert payload["organizationId"] == tenant.organization_id
        assert payload["data"]["call"] == {"id": call_id}
    for request in receiver.received():
        assert request.message_id == request.json["id"]
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == "VoiceAgents-Webhooks/1"

    started = payloads[0]["data"]
    assert started["__typename"] == "CallStarted"
    assert (started["direction"], started["fromNumber"], started["toNumber"]) == (
        "INBOUND",
        call.from_number,
        call.to_number,
    )
    assert started["source"] == "LIVEKIT"

    ended = payloads[-1]["data"]
    assert (ended["__typename"], ended["status"], ended["reason"]) == (
        "CallEnded",
        "COMPLETED",
        "twilio_completed",
    )
    charge = await CreditLedgerEntry.get(reference=f"call:{call.id}")
    report = ended["report"]
    p1, p2, p3, p4 = payloads[1:5]
    assert report == {
        "agentId": global_id("Agent", agent.id),
        "direction": "INBOUND",
        "fromNumber": call.from_number,
        "toNumber": call.to_number,
        "answeredAt": report["answeredAt"],
        "endedAt": report["endedAt"],
        "durationSeconds": 47,
        "endedReason": "twilio_completed",
        "cost": {"credits": -charge.amount, "billedSeconds": charge.data["seconds"]},
        "transcript": [
            {"speaker": "AGENT", "text": "Thanks for calling, how can I help?", "at": _at(p1)},
            {"speaker": "CALLER", "text": "Is Monday at nine free?", "at": _at(p2)},
            {"speaker": "AGENT", "text": "Monday at nine is free.", "at": _at(p4)},
        ],
        "toolCalls": [
            {
                "name": "calendar_check_availability",
                "outcome": "OK",
                "latencyMs": 212,
                "at": _at(p3),
            }
        ],
    }
    assert charge.amount < 0
    assert report["answeredAt"] == call.answered_at.isoformat()  # type: ignore[union-attr]
    assert report["endedAt"] == call.ended_at.isoformat()  # type: ignore[union-attr]

    # and every delivery is recorded as delivered, once
    rows = await WebhookDelivery.filter(endpoint_id=issued.endpoint.id)
    assert len(rows) == 6
    assert {(row.status, row.attempts, row.last_response_status) for row in rows} == {
        ("succeeded", 1, 204)
    }
    assert all(row.delivered_at is not None and row.last_latency_ms is not None for row in rows)
    assert all(row.claimed_until is None and row.last_error is None for row in rows)


def _at(payload: dict) -> str:
    at: str = payload["data"]["occurredAt"]
    return at


async def test_unsubscribed_types_and_disabled_endpoints_get_nothing(
    make, telephony, receiver: PartnerReceiver
):
    # given: one endpoint for call.ended only, and one switched off
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)
    await make.webhook_endpoint(
        tenant, url=receiver.url("/ended-only"), event_types=[CallEventType.ENDED]
    )
    await make.webhook_endpoint(tenant, url=receiver.url("/off"), is_enabled=False)

    # when
    async with running_dispatcher(fast(telephony.settings)):
        call = await _answered_and_hung_up(telephony, agent)
        await eventually(lambda: receiver.types() == ["call.ended"], what="the end")

    # then: only what was asked for was written, let alone sent
    written = await WebhookDelivery.filter(organization_id=tenant.organization_uuid)
    assert [row.event_type for row in written] == ["call.ended"]
    assert receiver.received("/off") == []
    assert call.status == "completed"


async def test_started_ended_and_analyzed_reach_the_partner_for_one_call(
    server, make, telephony, gemini, receiver: PartnerReceiver
):
    # given: an agent with an analysis plan, and an endpoint for the three outcomes
    tenant = await make.tenant()
    agent = await agent_with_plan(make, tenant, phone_number=True)
    issued = await make.webhook_endpoint(
        tenant,
        url=receiver.url("/outcomes"),
        event_types=[CallEventType.STARTED, CallEventType.ENDED, CallEventType.ANALYZED],
    )

    async with running_dispatcher(fast(telephony.settings)):
        # when: the call happens, and a worker's analysis pass runs when it is due
        call = await _answered_and_hung_up(telephony, agent)
        gemini.answer_json(good_answer())
        async with runner_for(analysis_settings(server.settings, gemini)) as runner:
            assert await run_due(runner, call.id) == 1
        await eventually(lambda: len(receiver.received("/outcomes")) == 3, what="three")

    # then: each verifies, and the analysis is the one stored on the call
    payloads = sorted(
        (request.verified(issued.signing_secret) for request in receiver.received("/outcomes")),
        key=lambda payload: payload["data"]["seq"],
    )
    assert [p["type"] for p in payloads] == ["call.started", "call.ended", "call.analyzed"]
    assert payloads[1]["data"]["report"]["transcript"][0]["speaker"] == "AGENT"
    analysis = payloads[2]["data"]["analysis"]
    stored = await CallAnalysis.get(call_id=call.id)
    assert (analysis["status"], analysis["summary"]) == ("COMPLETED", stored.summary)
    assert analysis["structuredData"] == good_answer()["structuredData"]
    assert analysis["successEvaluation"]["kind"] == "CRITERIA"


async def _none_pending(endpoint_id) -> bool:
    return not await WebhookDelivery.filter(endpoint_id=endpoint_id, status="pending").exists()
