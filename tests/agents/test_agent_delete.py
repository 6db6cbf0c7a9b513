from tests.agents.helpers import AGENT, AGENT_DELETE, add_member, create_agent
from tests.conftest import create_organization, random_phone_number, sign_up


async def test_agent_delete_frees_the_phone_number(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    number = random_phone_number()
    agent = await create_agent(gql, owner, organization_id, phoneNumber=number)

    # when
    data = await gql.data(AGENT_DELETE, {"input": {"id": agent["id"]}}, token=owner.token)

    # then
    payload = data["agentDelete"]
    assert payload["errors"] == []
    assert payload["agent"] == {"id": agent["id"], "name": agent["name"], "phoneNumber": number}
    again = await create_agent(gql, owner, organization_id, name="Successor", phoneNumber=number)
    assert again["phoneNumber"] == number


async def test_deleted_agent_is_not_found(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id)
    await gql.data(AGENT_DELETE, {"input": {"id": agent["id"]}}, token=owner.token)

    # when
    read = await gql.execute(AGENT, {"id": agent["id"]}, token=owner.token)
    deleted_again = await gql.execute(
        AGENT_DELETE, {"input": {"id": agent["id"]}}, token=owner.token
    )

    # then
    assert read["data"] is None
    assert [e["extensions"]["code"] for e in read["errors"]] == ["NOT_FOUND"]
    assert [e["extensions"]["code"] for e in deleted_again["errors"]] == ["NOT_FOUND"]


async def test_member_cannot_delete_an_agent(gql):
    # given a member, who may read and change agents but not delete them
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id)
    member = await add_member(gql, owner, organization_id, role="member")

    # when
    body = await gql.execute(AGENT_DELETE, {"input": {"id": agent["id"]}}, token=member.token)

    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    still = await gql.data(AGENT, {"id": agent["id"]}, token=member.token)
    assert still["agent"]["id"] == agent["id"]


async def test_agent_delete_of_another_organizations_agent_is_not_found(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id)
    stranger = await sign_up(gql)

    # when
    body = await gql.execute(AGENT_DELETE, {"input": {"id": agent["id"]}}, token=stranger.token)

    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
    still = await gql.data(AGENT, {"id": agent["id"]}, token=owner.token)
    assert still["agent"]["id"] == agent["id"]
