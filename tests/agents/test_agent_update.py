from core.services import phone_numbers
from orm.models import PhoneNumber, VoiceAgent
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes
from tests.support.ids import global_id, uuid_of
from tests.support.operations import AGENT, AGENT_UPDATE


async def _update(gql, account, agent_id, **changes):
    return await gql.payload(
        AGENT_UPDATE, {"input": {"id": agent_id, **changes}}, token=account.token
    )


async def _agent(gql, make, tenant, **values):
    """An agent made by the factory, as the API shows it."""
    agent = await make.agent(tenant, **values)
    data = await gql.data(AGENT, {"id": global_id("Agent", agent.id)}, token=tenant.token)
    return {key: value for key, value in data["agent"].items() if key != "organization"}


async def _number_id(agent: dict) -> str:
    """The global id of the number an agent (as the API shows it) answers."""
    row = await VoiceAgent.get(id=uuid_of(agent["id"]))
    return global_id("PhoneNumber", row.phone_number_id)


async def test_agent_update_changes_only_given_fields(gql, make):
    # given
    tenant = await make.tenant()
    number = unique_phone_number()
    agent = await _agent(gql, make, tenant, phone_number=number, greeting="Hello!", voice="Kore")

    # when
    payload = await _update(gql, tenant, agent["id"], name="Night desk", language="fr-FR")

    # then
    assert payload["errors"] == []
    expected = {**agent, "name": "Night desk", "language": "fr-FR"}
    assert payload["agent"] == expected
    stored = await gql.data(AGENT, {"id": agent["id"]}, token=tenant.token)
    assert {k: v for k, v in stored["agent"].items() if k != "organization"} == expected


async def test_agent_update_with_null_phone_number_id_gives_the_number_up(gql, make):
    # given
    tenant = await make.tenant()
    number = unique_phone_number()
    holder = await _agent(gql, make, tenant, phone_number=number)
    number_id = await _number_id(holder)
    other = await _agent(gql, make, tenant, name="Other")

    # when
    released = await _update(gql, tenant, holder["id"], phoneNumberId=None)
    taken = await _update(gql, tenant, other["id"], phoneNumberId=number_id)

    # then: the organization keeps the number; the other agent answers it now
    assert released["errors"] == [] and released["agent"]["phoneNumber"] is None
    assert released["agent"]["name"] == holder["name"]
    assert taken["errors"] == [] and taken["agent"]["phoneNumber"] == number
    assert await PhoneNumber.filter(e164=number, status="active").exists()


async def test_agent_update_cannot_take_number_of_another_agent(gql, make):
    # given
    tenant = await make.tenant()
    holder = await _agent(gql, make, tenant, phone_number=True)
    other = await _agent(gql, make, tenant, name="Other")

    # when
    payload = await _update(gql, tenant, other["id"], phoneNumberId=await _number_id(holder))

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumberId", "PHONE_NUMBER_IN_USE")
    ]
    stored = await gql.data(AGENT, {"id": other["id"]}, token=tenant.token)
    assert stored["agent"]["phoneNumber"] is None


async def test_agent_update_cannot_take_a_released_number(gql, make):
    # given a number the organization gave back
    tenant = await make.tenant()
    agent = await _agent(gql, make, tenant)
    number = await make.phone_number(tenant)
    await phone_numbers.release(number=number, settings=make.settings)

    # when
    payload = await _update(
        gql, tenant, agent["id"], phoneNumberId=global_id("PhoneNumber", number.id)
    )

    # then
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumberId", "PHONE_NUMBER_NOT_FOUND")
    ]


async def test_agent_update_keeping_its_own_number_is_fine(gql, make):
    # given
    tenant = await make.tenant()
    number = unique_phone_number()
    agent = await _agent(gql, make, tenant, phone_number=number)

    # when
    payload = await _update(
        gql, tenant, agent["id"], phoneNumberId=await _number_id(agent), isActive=False
    )

    # then
    assert payload["errors"] == []
    assert payload["agent"]["phoneNumber"] == number
    assert payload["agent"]["isActive"] is False


async def test_agent_update_rejects_invalid_values_and_changes_nothing(gql, make):
    # given
    tenant = await make.tenant()
    agent = await _agent(gql, make, tenant)

    # when
    payload = await _update(gql, tenant, agent["id"], name="Renamed", voice="Nobody")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("voice", "INVALID_VOICE")]
    stored = await gql.data(AGENT, {"id": agent["id"]}, token=tenant.token)
    assert stored["agent"]["name"] == agent["name"]


async def test_agent_update_of_another_organizations_agent_is_not_found(gql, make):
    # given
    tenant = await make.tenant()
    agent = await _agent(gql, make, tenant)
    stranger = (await make.tenant("Stranger Inc")).owner

    # when
    body = await gql.execute(
        AGENT_UPDATE, {"input": {"id": agent["id"], "name": "Hijacked"}}, token=stranger.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
