"""`voiceagents livekit setup` (core/integrations/livekit_sip_setup.py) against the fake
LiveKit, which validates trunks and dispatch rules as LiveKit does: it creates the inbound
trunk without numbers, the callee dispatch rule and the outbound trunk, and running it again
changes nothing."""

from __future__ import annotations

import pytest
from livekit import api
from pydantic import SecretStr

from core.integrations.livekit_sip_setup import (
    DISPATCH_RULE_NAME,
    INBOUND_TRUNK_NAME,
    OUTBOUND_TRUNK_NAME,
    SetupError,
    apply,
)
from tests.support.telephony import (
    OUTBOUND_TRUNK_ID,
    SIP_PASSWORD,
    SIP_USERNAME,
    telephony_settings,
)

TWILIO_TERMINATION = "voiceagents.pstn.twilio.com"
WRITES = (
    "CreateSIPInboundTrunk",
    "UpdateSIPInboundTrunk",
    "CreateSIPDispatchRule",
    "UpdateSIPDispatchRule",
    "CreateSIPOutboundTrunk",
    "UpdateSIPOutboundTrunk",
)


def _settings(server, livekit, **overrides):
    values = {
        "livekit_sip_outbound_trunk_id": None,
        "livekit_sip_outbound_address": TWILIO_TERMINATION,
        "livekit_sip_outbound_username": "livekit-outbound",
        "livekit_sip_outbound_password": SecretStr("outbound-credential-password"),
        "livekit_sip_outbound_numbers": ["+14155550100"],
        **overrides,
    }
    return telephony_settings(server.settings, livekit, **values)


def _writes(livekit) -> list[str]:
    return [method for method in livekit.methods() if method in WRITES]


@pytest.fixture
def empty_project(livekit):
    """A LiveKit project with no SIP objects yet."""
    livekit.outbound_trunks.clear()
    return livekit


async def test_it_creates_the_three_objects_then_changes_nothing(server, empty_project):
    livekit = empty_project
    settings = _settings(server, livekit)

    # when it runs on an empty project
    first = await apply(settings)

    # then it created the inbound trunk, the dispatch rule and the outbound trunk
    assert [(s.what, s.change.value) for s in first] == [
        ("inbound trunk", "created"),
        ("dispatch rule", "created"),
        ("outbound trunk", "created"),
    ]
    [inbound] = livekit.inbound_trunks.values()
    assert inbound.name == INBOUND_TRUNK_NAME
    assert list(inbound.numbers) == []  # the SIP user part is the room name, not a number
    assert (inbound.auth_username, inbound.auth_password) == (SIP_USERNAME, SIP_PASSWORD)
    assert inbound.max_call_duration.seconds == settings.livekit_sip_max_call_duration_seconds
    [rule] = livekit.dispatch_rules.values()
    assert rule.name == DISPATCH_RULE_NAME
    assert rule.rule.WhichOneof("rule") == "dispatch_rule_callee"
    assert (
        rule.rule.dispatch_rule_callee.room_prefix,
        rule.rule.dispatch_rule_callee.randomize,
    ) == (
        "",
        False,
    )
    assert list(rule.trunk_ids) == [inbound.sip_trunk_id]
    assert (list(rule.numbers), list(rule.inbound_numbers)) == ([], [])
    assert list(rule.room_config.agents) == []  # the platform dispatches the worker itself
    [outbound] = livekit.outbound_trunks.values()
    assert (outbound.name, outbound.address) == (OUTBOUND_TRUNK_NAME, TWILIO_TERMINATION)
    assert list(outbound.numbers) == ["+14155550100"]
    assert first[2].note == f"set LIVEKIT_SIP_OUTBOUND_TRUNK_ID={outbound.sip_trunk_id}"

    # when it runs again (with the trunk id set as it said)
    writes_before = _writes(livekit)
    second = await apply(
        settings.model_copy(update={"livekit_sip_outbound_trunk_id": outbound.sip_trunk_id})
    )

    # then everything is unchanged, and nothing was written
    assert [s.line() for s in second] == [
        f"inbound trunk {inbound.sip_trunk_id}: unchanged",
        f"dispatch rule {rule.sip_dispatch_rule_id}: unchanged",
        f"outbound trunk {outbound.sip_trunk_id}: unchanged",
    ]
    assert _writes(livekit) == writes_before


async def test_a_changed_setting_updates_the_object_in_place(server, empty_project):
    # given a project set up once
    livekit = empty_project
    await apply(_settings(server, livekit))
    [inbound] = livekit.inbound_trunks.values()

    # when the SIP password changes (LiveKit need not return it for this to be seen)
    steps = await apply(_settings(server, livekit, livekit_sip_password=SecretStr("rotated-pw")))

    # then the same trunk is updated, and the rest left alone
    assert [s.change.value for s in steps] == ["updated", "unchanged", "unchanged"]
    assert list(livekit.inbound_trunks) == [inbound.sip_trunk_id]
    assert livekit.inbound_trunks[inbound.sip_trunk_id].auth_password == "rotated-pw"
    assert "rotated-pw" not in " ".join(step.line() for step in steps)


async def test_the_configured_outbound_trunk_is_updated_not_duplicated(server, livekit):
    # given the project's outbound trunk, made by hand, named by LIVEKIT_SIP_OUTBOUND_TRUNK_ID
    assert list(livekit.outbound_trunks) == [OUTBOUND_TRUNK_ID]

    # when
    steps = await apply(_settings(server, livekit, livekit_sip_outbound_trunk_id=OUTBOUND_TRUNK_ID))

    # then
    assert steps[2].line() == f"outbound trunk {OUTBOUND_TRUNK_ID}: updated"
    assert list(livekit.outbound_trunks) == [OUTBOUND_TRUNK_ID]
    assert livekit.outbound_trunks[OUTBOUND_TRUNK_ID].address == TWILIO_TERMINATION


async def test_without_an_outbound_address_the_outbound_trunk_is_left_alone(server, empty_project):
    # when
    steps = await apply(_settings(server, empty_project, livekit_sip_outbound_address=None))

    # then
    assert steps[2].change.value == "skipped"
    assert empty_project.outbound_trunks == {}


async def test_an_inbound_trunk_without_numbers_needs_credentials_or_addresses(
    server, empty_project
):
    # when / then: refused before LiveKit is asked
    with pytest.raises(SetupError, match="LIVEKIT_SIP_USERNAME"):
        await apply(
            _settings(server, empty_project, livekit_sip_username=None, livekit_sip_password=None)
        )
    assert empty_project.requests == []


async def test_a_conflicting_trunk_made_by_hand_is_reported(server, empty_project):
    # given another catch-all inbound trunk in the project, as LiveKit forbids two of
    async with api.LiveKitAPI(
        url=empty_project.url, api_key=empty_project.api_key, api_secret=empty_project.api_secret
    ) as client:
        await client.sip.create_inbound_trunk(
            api.CreateSIPInboundTrunkRequest(
                trunk=api.SIPInboundTrunkInfo(name="by hand", allowed_addresses=["10.0.0.0/8"])
            )
        )

    # when / then
    with pytest.raises(SetupError, match="Conflicting inbound SIP Trunks"):
        await apply(_settings(server, empty_project))
