"""An organization with no credit left cannot start calls: inbound calls hear why and hang
up, outgoing calls are refused with INSUFFICIENT_CREDITS; no room is ever opened."""

from __future__ import annotations

import contextlib
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from core.events import build_bus
from core.services import credits
from core.services.credits import CreditKind
from graphql_api import ids
from graphql_api.app import create_app
from orm.models import Call, CallEvent, CreditLedgerEntry, VoiceAgent
from tests.conftest import GraphQLClient, create_organization, random_phone_number, sign_up
from tests.fakes.livekit import FakeLiveKit

PUBLIC_BASE_URL = "https://metering.example.test"
TWILIO_TOKEN = "metering-twilio-auth-token-0123456789"
VOICE_PATH = "/webhooks/twilio/voice"

CALL_CREATE = """
mutation CallCreate($input: CallCreateInput!) {
  callCreate(input: $input) {
    call { id status }
    errors { field message code }
  }
}
"""


@contextlib.asynccontextmanager
async def telephony(server, livekit: FakeLiveKit) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    settings = server.settings.model_copy(
        update={
            "public_base_url": PUBLIC_BASE_URL,
            "twilio_auth_token": SecretStr(TWILIO_TOKEN),
            **livekit.settings_overrides(),
            "livekit_sip_outbound_trunk_id": "ST_meteringTrunk",
        }
    )
    bus = build_bus(settings.redis_url)
    app = create_app(settings, run_mail_sender=False, bus=bus)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=PUBLIC_BASE_URL, timeout=20
        ) as http:
            yield http, settings.unavailable_message
    finally:
        await bus.close()


async def _empty_workspace(gql, server, final_balance: int):
    """An owner, an organization whose welcome credits were spent down to `final_balance`,
    and an agent with a number."""
    owner = await sign_up(gql, name="Broke Owner")
    organization_gid = await create_organization(gql, owner, "Broke Co")
    organization_id = ids.decode(organization_gid, "Organization")
    start = await credits.balance_of(organization_id)
    assert start == server.settings.welcome_credits
    await credits.apply(
        organization_id=organization_id,
        amount=final_balance - start,
        kind=CreditKind.CHARGE,
        reason="Spent",
        reference=f"test:{uuid.uuid4()}",
        settings=server.settings,
    )
    agent = None
    for _ in range(20):
        number = random_phone_number()
        if not await VoiceAgent.filter(phone_number=number).exists():
            agent = await VoiceAgent.create(
                organization_id=organization_id,
                name="Front desk",
                system_prompt="You answer the phone.",
                voice="Puck",
                language="en-US",
                phone_number=number,
            )
            break
    assert agent is not None
    return owner, organization_id, agent


@pytest.mark.parametrize("final_balance", [0, -25])
async def test_an_inbound_call_on_an_empty_balance_hears_why_and_hangs_up(
    gql, server, final_balance
):
    async with FakeLiveKit() as livekit, telephony(server, livekit) as (http, unavailable):
        # given
        _, organization_id, agent = await _empty_workspace(gql, server, final_balance)
        params = {
            "AccountSid": "AC" + "0" * 32,
            "CallSid": "CA" + uuid.uuid4().hex,
            "CallStatus": "ringing",
            "Direction": "inbound",
            "From": "+14155550142",
            "To": agent.phone_number,
        }
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(
            PUBLIC_BASE_URL + VOICE_PATH, params
        )

        # when
        response = await http.post(
            VOICE_PATH, data=params, headers={"X-Twilio-Signature": signature}
        )

        # then: Twilio is told to say the unavailable message and hang up
        assert response.status_code == 200, response.text
        root = ElementTree.fromstring(response.text)
        assert [child.tag for child in root] == ["Say", "Hangup"]
        assert root.find("Say").text == unavailable
        # and the call is recorded failed, with the reason
        call = await Call.get(twilio_call_sid=params["CallSid"])
        assert call.organization_id == organization_id
        assert call.status == "failed" and call.ended_reason == "insufficient_credits"
        assert call.livekit_room is None and call.answered_at is None
        types = (
            await CallEvent.filter(call_id=call.id).order_by("seq").values_list("type", flat=True)
        )
        assert types == ["call.status_changed", "call.ended"]
        # and no room was created, nothing charged
        assert livekit.requests == []
        assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 0
        assert await credits.balance_of(organization_id) == final_balance


async def test_an_inbound_call_with_credit_left_is_bridged(gql, server):
    async with FakeLiveKit() as livekit, telephony(server, livekit) as (http, _):
        # given: a single credit left
        _, _, agent = await _empty_workspace(gql, server, 1)
        params = {
            "CallSid": "CA" + uuid.uuid4().hex,
            "CallStatus": "ringing",
            "From": "+14155550142",
            "To": agent.phone_number,
        }
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(
            PUBLIC_BASE_URL + VOICE_PATH, params
        )

        # when
        response = await http.post(
            VOICE_PATH, data=params, headers={"X-Twilio-Signature": signature}
        )

        # then
        assert response.status_code == 200
        assert [child.tag for child in ElementTree.fromstring(response.text)] == ["Dial"]
        assert [r.method for r in livekit.requests] == ["CreateRoom"]


@pytest.mark.parametrize("final_balance", [0, -25])
async def test_call_create_on_an_empty_balance_is_refused(gql, server, final_balance):
    async with FakeLiveKit() as livekit, telephony(server, livekit) as (http, _):
        # given
        owner, _, agent = await _empty_workspace(gql, server, final_balance)
        client = GraphQLClient(http)

        # when
        data = await client.data(
            CALL_CREATE,
            {"input": {"agentId": ids.encode("Agent", agent.id), "toNumber": "+14155550142"}},
            token=owner.token,
        )

        # then
        payload = data["callCreate"]
        assert payload["call"] is None
        assert [error["code"] for error in payload["errors"]] == ["INSUFFICIENT_CREDITS"]
        assert await Call.filter(agent_id=agent.id).count() == 0
        assert livekit.requests == []
