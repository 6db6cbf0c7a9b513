import uuid

import pytest

from orm.models import VoiceAgent
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes
from tests.support.ids import global_id, uuid_of
from tests.support.operations import AGENT_CREATE


async def _owner_and_organization(make):
    tenant = await make.tenant("Agents Inc")
    return tenant.owner, tenant.organization_id


async def _create(gql, owner, organization_id, **fields):
    values = {"name": "Front desk", "systemPrompt": "You answer the phone.", **fields}
    return await gql.payload(
        AGENT_CREATE, {"input": {"organizationId": organization_id, **values}}, token=owner.token
    )


def _input(organization_id: str, **fields) -> dict:
    values = {"name": "Front desk", "systemPrompt": "You answer the phone.", **fields}
    return {"input": {"organizationId": organization_id, **values}}


async def _agent_count(organization_id: str) -> int:
    return await VoiceAgent.filter(organization_id=uuid_of(organization_id)).count()


async def test_agent_create_uses_default_voice_and_language(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, name="  Reception  ")

    # then
    assert payload["errors"] == []
    agent = payload["agent"]
    assert agent["name"] == "Reception"
    assert agent["systemPrompt"] == "You answer the phone."
    assert agent["voice"] == "Puck"
    assert agent["language"] == "en-US"
    assert agent["greeting"] == ""
    assert agent["phoneNumber"] is None
    assert agent["isActive"] is True


async def test_agent_create_assigns_a_number_the_organization_holds(gql, make):
    # given
    tenant = await make.tenant("Agents Inc")
    number = await make.phone_number(tenant)

    # when
    payload = await _create(
        gql, tenant.owner, tenant.organization_id, phoneNumberId=global_id("PhoneNumber", number.id)
    )

    # then
    assert payload["errors"] == []
    assert payload["agent"]["phoneNumber"] == number.e164
    agent = await VoiceAgent.get(id=uuid_of(payload["agent"]["id"]))
    assert agent.phone_number_id == number.id


async def test_agent_create_accepts_voice_and_language(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, voice="Kore", language="de-DE")

    # then
    assert payload["errors"] == []
    assert (payload["agent"]["voice"], payload["agent"]["language"]) == ("Kore", "de-DE")


async def test_agent_create_no_longer_takes_a_typed_number(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when: a number typed in, as before numbers were owned
    body = await gql.execute(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": organization_id,
                "name": "Front desk",
                "systemPrompt": "You answer the phone.",
                "phoneNumber": unique_phone_number(),
            }
        },
        token=owner.token,
    )

    # then
    assert error_codes(body) == ["BAD_REQUEST"]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_number_of_agent_in_same_organization(gql, make):
    # given
    tenant = await make.tenant("Agents Inc")
    holder = await make.agent(tenant, phone_number=True)
    number_id = global_id("PhoneNumber", holder.phone_number.id)

    # when
    payload = await _create(
        gql, tenant.owner, tenant.organization_id, name="Second", phoneNumberId=number_id
    )

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumberId", "PHONE_NUMBER_IN_USE")
    ]
    assert await _agent_count(tenant.organization_id) == 1


@pytest.mark.parametrize("whose", ["held by another organization", "assigned in another one"])
async def test_agent_create_refuses_another_organizations_number_like_a_missing_one(
    gql, make, whose
):
    # given a number of another organization (assigned to its agent, or not)
    other = await make.tenant("Other Inc")
    if whose == "held by another organization":
        foreign = await make.phone_number(other)
    else:
        foreign = (await make.agent(other, phone_number=True)).phone_number
    owner, organization_id = await _owner_and_organization(make)

    # when
    answered = await gql.raw(
        AGENT_CREATE,
        _input(organization_id, phoneNumberId=global_id("PhoneNumber", foreign.id)),
        token=owner.token,
    )
    missing = await gql.raw(
        AGENT_CREATE,
        _input(organization_id, phoneNumberId=global_id("PhoneNumber", uuid.uuid4())),
        token=owner.token,
    )
    malformed = await gql.payload(
        AGENT_CREATE, _input(organization_id, phoneNumberId="not-an-id"), token=owner.token
    )

    # then: the same answer, byte for byte, as for a number that does not exist
    assert answered.content == missing.content
    payload = answered.json()["data"]["agentCreate"]
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumberId", "PHONE_NUMBER_NOT_FOUND")
    ]
    assert foreign.e164 not in answered.text
    assert malformed["errors"] == payload["errors"]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_unknown_voice(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, voice="Darth")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("voice", "INVALID_VOICE")]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_invalid_language(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, language="english")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("language", "INVALID_LANGUAGE")
    ]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_reports_every_invalid_field_at_once(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, name="   ", systemPrompt="")

    # then
    assert payload["agent"] is None
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("name", "INVALID_NAME"),
        ("systemPrompt", "INVALID_SYSTEM_PROMPT"),
    ]
    assert all(e["message"] for e in payload["errors"])
    assert await _agent_count(organization_id) == 0


async def test_agent_create_in_organization_of_someone_else_is_not_found(gql, make):
    # given
    _, other_organization_id = await _owner_and_organization(make)
    stranger = await make.account()

    # when
    body = await gql.execute(
        AGENT_CREATE,
        {"input": {"organizationId": other_organization_id, "name": "x", "systemPrompt": "y"}},
        token=stranger.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert await _agent_count(other_organization_id) == 0
