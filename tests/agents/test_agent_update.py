from tests.agents.helpers import AGENT, AGENT_UPDATE, create_agent
from tests.conftest import create_organization, random_phone_number, sign_up


async def _update(gql, account, agent_id, **changes):
    data = await gql.data(AGENT_UPDATE, {"input": {"id": agent_id, **changes}}, token=account.token)
    return data["agentUpdate"]


async def test_agent_update_changes_only_given_fields(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    number = random_phone_number()
    agent = await create_agent(
        gql, owner, organization_id, phoneNumber=number, greeting="Hello!", voice="Kore"
    )

    # when
    payload = await _update(gql, owner, agent["id"], name="Night desk", language="fr-FR")

    # then
    assert payload["errors"] == []
    expected = {**agent, "name": "Night desk", "language": "fr-FR"}
    assert payload["agent"] == expected
    stored = await gql.data(AGENT, {"id": agent["id"]}, token=owner.token)
    assert {k: v for k, v in stored["agent"].items() if k != "organization"} == expected


async def test_agent_update_with_null_phone_number_releases_it(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    number = random_phone_number()
    holder = await create_agent(gql, owner, organization_id, phoneNumber=number)
    other = await create_agent(gql, owner, organization_id, name="Other")

    # when
    released = await _update(gql, owner, holder["id"], phoneNumber=None)
    taken = await _update(gql, owner, other["id"], phoneNumber=number)

    # then
    assert released["errors"] == [] and released["agent"]["phoneNumber"] is None
    assert released["agent"]["name"] == holder["name"]
    assert taken["errors"] == [] and taken["agent"]["phoneNumber"] == number


async def test_agent_update_cannot_take_number_of_another_agent(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    number = random_phone_number()
    await create_agent(gql, owner, organization_id, phoneNumber=number)
    other = await create_agent(gql, owner, organization_id, name="Other")

    # when
    payload = await _update(gql, owner, other["id"], phoneNumber=number)

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("phoneNumber", "PHONE_NUMBER_TAKEN")
    ]
    stored = await gql.data(AGENT, {"id": other["id"]}, token=owner.token)
    assert stored["agent"]["phoneNumber"] is None


async def test_agent_update_keeping_its_own_number_is_fine(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    number = random_phone_number()
    agent = await create_agent(gql, owner, organization_id, phoneNumber=number)

    # when
    payload = await _update(gql, owner, agent["id"], phoneNumber=number, isActive=False)

    # then
    assert payload["errors"] == []
    assert payload["agent"]["phoneNumber"] == number
    assert payload["agent"]["isActive"] is False


async def test_agent_update_rejects_invalid_values_and_changes_nothing(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id)

    # when
    payload = await _update(gql, owner, agent["id"], name="Renamed", voice="Nobody")

    # then
    assert payload["agent"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("voice", "INVALID_VOICE")]
    stored = await gql.data(AGENT, {"id": agent["id"]}, token=owner.token)
    assert stored["agent"]["name"] == agent["name"]


async def test_agent_update_of_another_organizations_agent_is_not_found(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id)
    stranger = await sign_up(gql)
    await create_organization(gql, stranger)

    # when
    body = await gql.execute(
        AGENT_UPDATE, {"input": {"id": agent["id"], "name": "Hijacked"}}, token=stranger.token
    )

    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
