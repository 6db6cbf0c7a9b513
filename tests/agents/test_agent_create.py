from graphql_api import ids
from orm.models import VoiceAgent
from tests.agents.helpers import AGENT_CREATE, AGENT_DELETE, create_agent
from tests.conftest import create_organization, random_phone_number, sign_up


async def _owner_and_organization(gql):
    owner = await sign_up(gql)
    return owner, await create_organization(gql, owner, "Agents Inc")


async def _create(gql, owner, organization_id, **fields):
    values = {"name": "Front desk", "systemPrompt": "You answer the phone.", **fields}
    data = await gql.data(
        AGENT_CREATE, {"input": {"organizationId": organization_id, **values}}, token=owner.token
    )
    return data["agentCreate"]


async def _agent_count(organization_id: str) -> int:
    return await VoiceAgent.filter(
        organization_id=ids.decode(organization_id, "Organization")
    ).count()


async def test_agent_create_uses_default_voice_and_language(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

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


async def test_agent_create_normalizes_phone_number_to_e164(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

    # when
    payload = await _create(gql, owner, organization_id, phoneNumber="(415) 555-0134")

    # then
    assert payload["errors"] == []
    assert payload["agent"]["phoneNumber"] == "+14155550134"
    # release the well-known number so that no other test finds it taken
    await gql.data(AGENT_DELETE, {"input": {"id": payload["agent"]["id"]}}, token=owner.token)


async def test_agent_create_accepts_voice_and_language(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

    # when
    payload = await _create(gql, owner, organization_id, voice="Kore", language="de-DE")

    # then
    assert payload["errors"] == []
    assert (payload["agent"]["voice"], payload["agent"]["language"]) == ("Kore", "de-DE")


async def test_agent_create_rejects_invalid_phone_number(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

    # when
    payload = await _create(gql, owner, organization_id, phoneNumber="123")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "INVALID_PHONE_NUMBER")
    ]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_number_of_agent_in_same_organization(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)
    number = random_phone_number()
    await create_agent(gql, owner, organization_id, phoneNumber=number)

    # when
    payload = await _create(gql, owner, organization_id, name="Second", phoneNumber=number)

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "PHONE_NUMBER_TAKEN")
    ]
    assert await _agent_count(organization_id) == 1


async def test_agent_create_rejects_number_of_agent_in_another_organization(gql):
    # given an agent of another organization holds the number
    other_owner, other_organization_id = await _owner_and_organization(gql)
    number = random_phone_number()
    await create_agent(gql, other_owner, other_organization_id, phoneNumber=number)
    owner, organization_id = await _owner_and_organization(gql)

    # when the number is written in another format
    national = f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    payload = await _create(gql, owner, organization_id, phoneNumber=national)

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "PHONE_NUMBER_TAKEN")
    ]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_unknown_voice(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

    # when
    payload = await _create(gql, owner, organization_id, voice="Darth")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("voice", "INVALID_VOICE")]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_rejects_invalid_language(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

    # when
    payload = await _create(gql, owner, organization_id, language="english")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("language", "INVALID_LANGUAGE")
    ]
    assert await _agent_count(organization_id) == 0


async def test_agent_create_reports_every_invalid_field_at_once(gql):
    # given
    owner, organization_id = await _owner_and_organization(gql)

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


async def test_agent_create_in_organization_of_someone_else_is_not_found(gql):
    # given
    _, other_organization_id = await _owner_and_organization(gql)
    stranger = await sign_up(gql)

    # when
    body = await gql.execute(
        AGENT_CREATE,
        {"input": {"organizationId": other_organization_id, "name": "x", "systemPrompt": "y"}},
        token=stranger.token,
    )

    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    assert await _agent_count(other_organization_id) == 0
