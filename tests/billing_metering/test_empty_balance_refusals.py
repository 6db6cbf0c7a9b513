"""An organization with no credit left cannot start calls: inbound calls hear why and hang
up, outgoing calls are refused with INSUFFICIENT_CREDITS; no room is ever opened."""

from __future__ import annotations

import pytest

from core.services import credits
from orm.models import Call, CreditLedgerEntry
from tests.support.ids import global_id
from tests.support.operations import CALL_CREATE
from tests.support.telephony import TwiML, call_by_sid, event_types, voice_params


async def _broke_tenant_with_agent(make, final_balance: int):
    """An organization whose credits were spent down to `final_balance`, and an agent of it
    with a number."""
    tenant = await make.tenant("Broke Co", balance=final_balance)
    assert await credits.balance_of(tenant.organization_uuid) == final_balance
    return tenant, await make.agent(tenant, phone_number=True)


@pytest.mark.parametrize("final_balance", [0, -25])
async def test_an_inbound_call_on_an_empty_balance_hears_why_and_hangs_up(
    make, telephony, final_balance
):
    # given
    tenant, agent = await _broke_tenant_with_agent(make, final_balance)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params)

    # then: Twilio is told to say the unavailable message and hang up
    twiml = TwiML.parse(response)
    assert twiml.verbs == ["Say", "Hangup"]
    assert twiml.said == telephony.settings.unavailable_message
    # and the call is recorded failed, with the reason
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    assert call.organization_id == tenant.organization_uuid  # type: ignore[attr-defined]
    assert call.status == "failed" and call.ended_reason == "insufficient_credits"
    assert call.livekit_room is None and call.answered_at is None
    assert await event_types(call.id) == ["call.status_changed", "call.ended"]
    # and no room was created, nothing charged
    assert telephony.livekit.requests == []
    assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 0
    assert await credits.balance_of(tenant.organization_uuid) == final_balance


async def test_an_inbound_call_with_credit_left_is_bridged(make, telephony):
    # given: a single credit left
    _, agent = await _broke_tenant_with_agent(make, 1)

    # when
    response = await telephony.voice(voice_params(agent.phone_number.e164))

    # then
    assert TwiML.parse(response).verbs == ["Dial"]
    assert [(r.method, r.status) for r in telephony.livekit.requests] == [("CreateRoom", 200)]


@pytest.mark.parametrize("final_balance", [0, -25])
async def test_call_create_on_an_empty_balance_is_refused(make, telephony, final_balance):
    # given
    tenant, agent = await _broke_tenant_with_agent(make, final_balance)

    # when
    payload = await telephony.gql.payload(
        CALL_CREATE,
        {"input": {"agentId": global_id("Agent", agent.id), "toNumber": "+14155550142"}},
        token=tenant.token,
    )

    # then
    assert payload["call"] is None
    assert [error["code"] for error in payload["errors"]] == ["INSUFFICIENT_CREDITS"]
    assert await Call.filter(agent_id=agent.id).count() == 0
    assert telephony.livekit.requests == []
