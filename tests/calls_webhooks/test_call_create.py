"""callCreate: the agent calls a number through LiveKit's outbound SIP trunk. The mutation
records the call and opens its room with the worker dispatched; the worker rings the callee
(tests/calls_outbound)."""

from __future__ import annotations

from orm.models import Call
from tests.fakes.livekit import room_metadata
from tests.support.graphql import error_codes
from tests.support.ids import global_id, uuid_of
from tests.support.operations import CALL_CREATE
from tests.support.telephony import AGENT_NAME, event_types, telephony_app


async def _call_create(gql, token: str, agent_id: str, to_number: str) -> dict:
    return await gql.execute(
        CALL_CREATE, {"input": {"agentId": agent_id, "toNumber": to_number}}, token=token
    )


async def _payload(gql, token: str, agent_id: str, to_number: str) -> dict:
    return await gql.payload(
        CALL_CREATE, {"input": {"agentId": agent_id, "toNumber": to_number}}, token=token
    )


async def _tenant_with_agent(make, name: str = "Calls Co", **agent_fields):
    """An organization and an agent of it with a phone number (its global id with it)."""
    tenant = await make.tenant(name)
    agent = await make.agent(tenant, phone_number=True, **agent_fields)
    return tenant, agent, global_id("Agent", agent.id)


async def test_call_create_records_the_call_and_opens_its_room_for_the_worker(make, telephony):
    # given
    tenant, agent, agent_id = await _tenant_with_agent(make)

    # when: a national-format number is given
    payload = await _payload(telephony.gql, tenant.token, agent_id, "(415) 555-0142")

    # then: a ringing outbound call from the agent's number to the E.164 number
    assert payload["errors"] == []
    created = payload["call"]
    assert created["direction"] == "OUTBOUND"
    assert created["status"] == "RINGING"
    assert created["fromNumber"] == agent.phone_number.e164
    assert created["toNumber"] == "+14155550142"
    assert created["agent"]["id"] == agent_id
    call = await Call.get(id=uuid_of(created["id"]))
    room = f"call-{call.id.hex}"
    assert call.livekit_room == room
    assert call.organization_id == tenant.organization_uuid  # type: ignore[attr-defined]
    assert call.snapshot["system_prompt"] == "You answer the phone."
    assert await event_types(call.id) == ["call.status_changed"]

    # then: LiveKit got the room with our worker dispatched, which dials from there; the
    # mutation itself rings nobody (it would wait for the answer)
    livekit = telephony.livekit
    assert livekit.methods() == ["CreateRoom"]
    [create_room] = livekit.requests_for("CreateRoom")
    assert create_room.message.name == room
    assert room_metadata(create_room)["call_id"] == str(call.id)
    assert [d.agent_name for d in create_room.message.agents] == [AGENT_NAME]


async def test_an_invalid_number_is_a_payload_error(make, telephony):
    # given
    tenant, _, agent_id = await _tenant_with_agent(make)

    # when
    payload = await _payload(telephony.gql, tenant.token, agent_id, "12345")

    # then
    assert payload["call"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_NUMBER", "toNumber")]
    assert telephony.livekit.requests == []


async def test_an_agent_without_a_number_has_no_caller_id(make, telephony):
    # given
    tenant = await make.tenant("Calls Co")
    silent = await make.agent(tenant)

    # when
    payload = await _payload(
        telephony.gql, tenant.token, global_id("Agent", silent.id), "+14155550142"
    )

    # then
    assert payload["call"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NO_CALLER_ID", "agentId")]
    assert await Call.filter(agent_id=silent.id).count() == 0
    assert telephony.livekit.requests == []


async def test_an_inactive_agent_cannot_call(make, telephony):
    # given
    tenant, _, agent_id = await _tenant_with_agent(make, is_active=False)

    # when
    payload = await _payload(telephony.gql, tenant.token, agent_id, "+14155550142")

    # then
    assert payload["call"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("AGENT_INACTIVE", "agentId")]
    assert telephony.livekit.requests == []


async def test_without_an_outbound_trunk_calls_are_not_configured(make, server, livekit):
    # given
    tenant, _, agent_id = await _tenant_with_agent(make)
    async with telephony_app(
        server.settings, livekit, livekit_sip_outbound_trunk_id=None
    ) as unconfigured:
        # when
        payload = await _payload(unconfigured.gql, tenant.token, agent_id, "+14155550142")

    # then
    assert payload["call"] is None
    assert [e["code"] for e in payload["errors"]] == ["OUTBOUND_NOT_CONFIGURED"]
    assert await Call.filter(organization_id=tenant.organization_uuid).count() == 0
    assert livekit.requests == []


async def test_livekit_unavailable_is_recorded_and_reported(make, telephony):
    # given
    tenant, _, agent_id = await _tenant_with_agent(make)
    telephony.livekit.fail_next("CreateRoom", status=503)

    # when
    payload = await _payload(telephony.gql, tenant.token, agent_id, "+14155550142")

    # then
    assert payload["call"] is None
    assert [e["code"] for e in payload["errors"]] == ["TELEPHONY_UNAVAILABLE"]
    [call] = await Call.filter(organization_id=tenant.organization_uuid)
    assert (call.status, call.ended_reason, call.livekit_room) == (
        "failed",
        "livekit_unavailable",
        None,
    )
    assert telephony.livekit.requests_for("CreateSIPParticipant", accepted_only=False) == []


async def test_the_billing_role_may_not_place_calls(make, telephony):
    # given
    tenant, _, agent_id = await _tenant_with_agent(make)
    billing = await make.member(tenant, "billing")

    # when
    body = await _call_create(telephony.gql, billing.token, agent_id, "+14155550142")

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert await Call.filter(organization_id=tenant.organization_uuid).count() == 0
    assert telephony.livekit.requests == []


async def test_another_organizations_agent_is_not_found(make, telephony):
    # given
    tenant, _, agent_id = await _tenant_with_agent(make)
    stranger = await make.tenant("Stranger Co")

    # when
    body = await _call_create(telephony.gql, stranger.token, agent_id, "+14155550142")

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    assert await Call.filter(organization_id=tenant.organization_uuid).count() == 0
    assert telephony.livekit.requests == []
