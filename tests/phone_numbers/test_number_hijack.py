"""A tenant cannot route another tenant's number to itself.

Reproduced before numbers were owned: tenant B typed tenant A's published number on its own
agent (`agentUpdate(input: {phoneNumber})`) while A was moving it between agents, and
received A's callers. Now an agent can only be given a number its organization holds, and a
number is held by one organization at a time.
"""

from __future__ import annotations

from orm.models import PhoneNumber
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import global_id
from tests.support.operations import (
    AGENT_UPDATE,
    PHONE_NUMBER_BUY,
    PHONE_NUMBER_IMPORT,
)
from tests.support.telephony import CALLER, TwiML, call_by_sid


async def test_a_tenant_cannot_route_another_tenants_number_to_its_agent(
    make, telephony, twilio_fake
):
    # given: A's number, bought through the platform, between two of A's agents for a moment
    tenant_a = await make.tenant("Victim")
    a_agent = await make.agent(tenant_a)
    number = unique_phone_number()
    twilio_fake.stock(number)
    bought = await telephony.gql.payload(
        PHONE_NUMBER_BUY,
        {"input": {"organizationId": tenant_a.organization_id, "phoneNumber": number}},
        token=tenant_a.token,
    )
    number_id = bought["phoneNumber"]["id"]
    tenant_b = await make.tenant("Hijacker")
    b_agent = await make.agent(tenant_b)
    b_agent_id = global_id("Agent", b_agent.id)

    # when: B tries every way to get the number onto its agent
    typed = await telephony.gql.execute(
        AGENT_UPDATE, {"input": {"id": b_agent_id, "phoneNumber": number}}, token=tenant_b.token
    )
    by_id = await telephony.gql.payload(
        AGENT_UPDATE,
        {"input": {"id": b_agent_id, "phoneNumberId": number_id}},
        token=tenant_b.token,
    )
    claim = {"input": {"organizationId": tenant_b.organization_id, "phoneNumber": number}}
    imported = await telephony.gql.payload(PHONE_NUMBER_IMPORT, claim, token=tenant_b.token)
    repurchased = await telephony.gql.payload(PHONE_NUMBER_BUY, claim, token=tenant_b.token)
    # ...and a caller phones the number
    first_call = await twilio_fake.dial_in(number, from_=CALLER, app=telephony.http)

    # then: every attempt is refused, and the call is A's (A has not assigned it yet)
    assert error_codes(typed) == ["BAD_REQUEST"]
    assert payload_codes(by_id) == ["PHONE_NUMBER_NOT_FOUND"]
    assert payload_codes(imported) == ["NUMBER_NOT_AVAILABLE"]
    assert payload_codes(repurchased) == ["NUMBER_NOT_AVAILABLE"]
    refused = await call_by_sid(_sid(twilio_fake, 0))
    assert refused is not None
    assert refused.organization_id == tenant_a.organization_uuid
    assert (refused.status, refused.ended_reason) == ("failed", "no_agent")
    assert TwiML.parse(first_call).verbs == ["Say", "Hangup"]
    assert (await PhoneNumber.get(e164=number)).organization_id == tenant_a.organization_uuid

    # when: A gives the number to its agent, and the caller phones again
    await telephony.gql.ok(
        AGENT_UPDATE,
        {"input": {"id": global_id("Agent", a_agent.id), "phoneNumberId": number_id}},
        token=tenant_a.token,
    )
    second_call = await twilio_fake.dial_in(number, from_=CALLER, app=telephony.http)

    # then: the call reaches A's agent
    answered = await call_by_sid(_sid(twilio_fake, 1))
    assert answered is not None
    assert answered.agent_id == a_agent.id
    assert TwiML.parse(second_call).verbs == ["Dial"]


def _sid(twilio_fake, index: int) -> str:
    inbound = [sid for sid, call in twilio_fake.calls.items() if call["direction"] == "inbound"]
    return inbound[index]
