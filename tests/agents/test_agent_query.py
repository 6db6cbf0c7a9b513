from strawberry.relay import to_base64

from tests.agents.helpers import AGENT, create_agent
from tests.conftest import create_organization, sign_up

AGENT_VOICES = "query AgentVoices { agentVoices }"


async def test_agent_returns_own_agent_with_its_organization(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id, greeting="Hi there")

    # when
    data = await gql.data(AGENT, {"id": agent["id"]}, token=owner.token)

    # then
    assert data["agent"] == {**agent, "organization": {"id": organization_id}}


async def test_agent_of_another_organization_is_not_found_like_a_missing_one(gql):
    # given
    owner = await sign_up(gql)
    agent = await create_agent(gql, owner, await create_organization(gql, owner))
    stranger = await sign_up(gql)
    missing_id = to_base64("Agent", "00000000-0000-4000-8000-000000000000")

    # when
    foreign = await gql.execute(AGENT, {"id": agent["id"]}, token=stranger.token)
    missing = await gql.execute(AGENT, {"id": missing_id}, token=stranger.token)

    # then
    assert foreign["data"] is None and missing["data"] is None
    assert [e["extensions"]["code"] for e in foreign["errors"]] == ["NOT_FOUND"]
    assert [e["message"] for e in foreign["errors"]] == [e["message"] for e in missing["errors"]]


async def test_agent_requires_sign_in(gql):
    # given
    owner = await sign_up(gql)
    agent = await create_agent(gql, owner, await create_organization(gql, owner))

    # when
    body = await gql.execute(AGENT, {"id": agent["id"]})

    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_agent_voices_lists_puck_first(gql):
    # given
    account = await sign_up(gql)

    # when
    data = await gql.data(AGENT_VOICES, token=account.token)

    # then
    assert data["agentVoices"][0] == "Puck"
    assert "Kore" in data["agentVoices"]
    assert len(data["agentVoices"]) == len(set(data["agentVoices"]))
