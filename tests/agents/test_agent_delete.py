from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import AGENT, AGENT_CREATE, AGENT_DELETE


async def test_agent_delete_leaves_the_number_with_the_organization(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)
    agent_id = global_id("Agent", agent.id)
    number_id = global_id("PhoneNumber", agent.phone_number.id)

    # when
    payload = await gql.payload(AGENT_DELETE, {"input": {"id": agent_id}}, token=tenant.token)

    # then: the agent as it was; its number still held, free for another agent
    assert payload["errors"] == []
    assert payload["agent"] == {
        "id": agent_id,
        "name": agent.name,
        "phoneNumber": agent.phone_number.e164,
    }
    again = await gql.ok(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "name": "Successor",
                "systemPrompt": "You answer the phone.",
                "phoneNumberId": number_id,
            }
        },
        token=tenant.token,
    )
    assert again["agent"]["phoneNumber"] == agent.phone_number.e164


async def test_deleted_agent_is_not_found(gql, make):
    # given
    tenant = await make.tenant()
    agent_id = global_id("Agent", (await make.agent(tenant)).id)
    await gql.ok(AGENT_DELETE, {"input": {"id": agent_id}}, token=tenant.token)

    # when
    read = await gql.execute(AGENT, {"id": agent_id}, token=tenant.token)
    deleted_again = await gql.execute(AGENT_DELETE, {"input": {"id": agent_id}}, token=tenant.token)

    # then
    assert read["data"] == {"agent": None}
    assert error_codes(read) == ["NOT_FOUND"]
    assert error_codes(deleted_again) == ["NOT_FOUND"]


async def test_member_cannot_delete_an_agent(gql, make):
    # given a member, who may read and change agents but not delete them
    tenant = await make.tenant()
    agent_id = global_id("Agent", (await make.agent(tenant)).id)
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(AGENT_DELETE, {"input": {"id": agent_id}}, token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    still = await gql.data(AGENT, {"id": agent_id}, token=member.token)
    assert still["agent"]["id"] == agent_id


async def test_agent_delete_of_another_organizations_agent_is_not_found(gql, make):
    # given
    tenant = await make.tenant()
    agent_id = global_id("Agent", (await make.agent(tenant)).id)
    stranger = await make.account()

    # when
    body = await gql.execute(AGENT_DELETE, {"input": {"id": agent_id}}, token=stranger.token)

    # then
    assert error_codes(body) == ["NOT_FOUND"]
    still = await gql.data(AGENT, {"id": agent_id}, token=tenant.token)
    assert still["agent"]["id"] == agent_id
