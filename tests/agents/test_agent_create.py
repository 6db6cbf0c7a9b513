from orm.models import VoiceAgent
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes
from tests.support.ids import uuid_of
from tests.support.operations import AGENT_CREATE


async def _owner_and_organization(make):
    tenant = await make.tenant("Agents Inc")
    return tenant.owner, tenant.organization_id


async def _create(gql, owner, organization_id, **fields):
    values = {"name": "Front desk", "systemPrompt": "You answer the phone.", **fields}
    return await gql.payload(
        AGENT_CREATE, {"input": {"organizationId": organization_id, **values}}, token=owner.token
    )


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


async def test_agent_create_normalizes_phone_number_to_e164(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, phoneNumber="(415) 555-0134")

    # then
    assert payload["errors"] == []
    assert payload["agent"]["phoneNumber"] == "+14155550134"


async def test_agent_create_accepts_voice_and_language(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, voice="Kore", language="de-DE")

    # then
    assert payload["errors"] == []
    assert (payload["agent"]["voice"], payload["agent"]["language"]) == ("Kore", "de-DE")


async def test_agent_create_rejects_invalid_phone_number(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)

    # when
    payload = await _create(gql, owner, organization_id, phoneNumber="123")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "INVALID_PHONE_NUMBER")
    ]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_number_of_agent_in_same_organization(gql, make):
    # given
    owner, organization_id = await _owner_and_organization(make)
    number = unique_phone_number()
    await _create(gql, owner, organization_id, phoneNumber=number)

    # when
    payload = await _create(gql, owner, organization_id, name="Second", phoneNumber=number)

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "PHONE_NUMBER_TAKEN")
    ]
    assert await _agent_count(organization_id) == 1


async def test_agent_create_rejects_number_of_agent_in_another_organization(gql, make):
    # given an agent of another organization holds the number
    other = await make.tenant("Other Inc")
    number = unique_phone_number()
    await make.agent(other, phone_number=number)
    owner, organization_id = await _owner_and_organization(make)

    # when the number is written in another format
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    payload = await _create(gql, owner, organization_id, phoneNumber=national)

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "PHONE_NUMBER_TAKEN")
    ]
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
