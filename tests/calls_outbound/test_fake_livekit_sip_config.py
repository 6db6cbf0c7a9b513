"""The fake LiveKit refuses SIP trunks and dispatch rules as LiveKit does (livekit/protocol
`ValidateResult`, `ValidateTrunksIter`, `DispatchRuleValidator`), so a set-up that passes
against it would pass against the server."""

from __future__ import annotations

import httpx
import pytest
from livekit import api

from tests.support.telephony import LIVEKIT_API_KEY, LIVEKIT_API_SECRET


def _client(livekit) -> api.LiveKitAPI:
    return api.LiveKitAPI(url=livekit.url, api_key=LIVEKIT_API_KEY, api_secret=LIVEKIT_API_SECRET)


async def test_an_inbound_trunk_open_to_anyone_is_refused(livekit):
    async with _client(livekit) as client:
        with pytest.raises(api.TwirpError) as raised:
            await client.sip.create_inbound_trunk(
                api.CreateSIPInboundTrunkRequest(trunk=api.SIPInboundTrunkInfo(name="open"))
            )
    assert raised.value.code == "invalid_argument"
    assert "for security" in raised.value.message
    assert livekit.inbound_trunks == {}


async def test_an_outbound_trunk_needs_numbers_and_an_address(livekit):
    async with _client(livekit) as client:
        with pytest.raises(api.TwirpError) as no_numbers:
            await client.sip.create_outbound_trunk(
                api.CreateSIPOutboundTrunkRequest(
                    trunk=api.SIPOutboundTrunkInfo(name="t", address="x.pstn.twilio.com")
                )
            )
        with pytest.raises(api.TwirpError) as no_address:
            await client.sip.create_outbound_trunk(
                api.CreateSIPOutboundTrunkRequest(
                    trunk=api.SIPOutboundTrunkInfo(name="t", numbers=["+14155550100"])
                )
            )
    assert no_numbers.value.message == "no trunk numbers specified"
    assert no_address.value.message == "no outbound address specified"


async def test_two_rules_for_the_same_trunk_numbers_and_pin_conflict(livekit):
    # given a callee rule for a trunk
    rule = api.SIPDispatchRuleInfo(
        name="first",
        rule=api.SIPDispatchRule(dispatch_rule_callee=api.SIPDispatchRuleCallee()),
        trunk_ids=["ST_inbound"],
    )
    async with _client(livekit) as client:
        created = await client.sip.create_dispatch_rule(
            api.CreateSIPDispatchRuleRequest(dispatch_rule=rule)
        )
        # when another one matches the same calls
        rule.name = "second"
        with pytest.raises(api.TwirpError) as raised:
            await client.sip.create_dispatch_rule(
                api.CreateSIPDispatchRuleRequest(dispatch_rule=rule)
            )
        # then it is refused, while replacing the first one in place is fine
        replaced = await client.sip.update_dispatch_rule(created.sip_dispatch_rule_id, rule)
        listed = await client.sip.list_dispatch_rule(api.ListSIPDispatchRuleRequest())
    assert raised.value.code == "invalid_argument"
    assert replaced.name == "second"
    assert [r.sip_dispatch_rule_id for r in listed.items] == [created.sip_dispatch_rule_id]


async def test_trunk_management_needs_the_sip_admin_grant(livekit):
    # given a token that may place calls but not manage trunks
    token = (
        api.AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET)
        .with_sip_grants(api.SIPGrants(call=True))
        .to_jwt()
    )
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{livekit.url}/twirp/livekit.SIP/ListSIPInboundTrunk",
            json={},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
