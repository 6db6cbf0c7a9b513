from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id
from tests.support.operations import AGENT, AGENT_VOICES


async def test_agent_returns_own_agent_with_its_organization(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, greeting="Hi there", phone_number=True)
    agent_id = global_id("Agent", agent.id)

    # when
    data = await gql.data(AGENT, {"id": agent_id}, token=tenant.token)

    # then
    assert data["agent"] == {
        "id": agent_id,
        "name": "Front desk",
        "systemPrompt": "You answer the phone.",
        "greeting": "Hi there",
        "phoneNumber": agent.phone_number.e164,
        "voice": "Puck",
        "language": "en-US",
        "isActive": True,
        "maxCallDurationSeconds": agent.max_call_duration_seconds,
        "transferTo": None,
        "organization": {"id": tenant.organization_id},
    }


async def test_agent_of_another_organization_is_not_found_like_a_missing_one(gql, make):
    # given
    agent = await make.agent(await make.tenant())
    stranger = await make.account()

    # when
    foreign = await gql.execute(AGENT, {"id": global_id("Agent", agent.id)}, token=stranger.token)
    missing = await gql.execute(AGENT, {"id": fake_global_id("Agent")}, token=stranger.token)

    # then
    assert foreign["data"] == missing["data"] == {"agent": None}
    assert error_codes(foreign) == ["NOT_FOUND"]
    assert [e["message"] for e in foreign["errors"]] == [e["message"] for e in missing["errors"]]


async def test_agent_requires_sign_in(gql, make):
    # given
    agent = await make.agent(await make.tenant())

    # when
    body = await gql.execute(AGENT, {"id": global_id("Agent", agent.id)})

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_agent_voices_lists_puck_first(gql, make):
    # given
    account = await make.account()

    # when
    data = await gql.data(AGENT_VOICES, token=account.token)

    # then
    assert data["agentVoices"][0] == "Puck"
    assert "Kore" in data["agentVoices"]
    assert len(data["agentVoices"]) == len(set(data["agentVoices"]))
