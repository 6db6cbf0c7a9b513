import base64
import uuid

from strawberry.relay import to_base64

from tests.agents.helpers import create_agent
from tests.conftest import create_organization, sign_up

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Agent { name }
    ... on Organization { name }
    ... on Membership { role { key } }
    ... on ApiKey { name }
    ... on Role { key }
    ... on User { email }
  }
}
"""

ME = "query Me { me { id memberships { id role { id key } } } }"

API_KEY_CREATE = """
mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) { apiKey { id } errors { code } }
}
"""


async def _node(gql, global_id, token):
    return (await gql.data(NODE, {"id": global_id}, token=token))["node"]


async def test_node_returns_the_callers_own_objects(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Node Org")
    agent = await create_agent(gql, owner, organization_id, name="Node Agent")
    me = (await gql.data(ME, token=owner.token))["me"]
    [membership] = me["memberships"]
    created = await gql.data(
        API_KEY_CREATE,
        {"input": {"organizationId": organization_id, "name": "CI key", "role": "member"}},
        token=owner.token,
    )
    api_key_id = created["apiKeyCreate"]["apiKey"]["id"]

    # when / then
    assert await _node(gql, agent["id"], owner.token) == {
        "__typename": "Agent",
        "id": agent["id"],
        "name": "Node Agent",
    }
    assert await _node(gql, organization_id, owner.token) == {
        "__typename": "Organization",
        "id": organization_id,
        "name": "Node Org",
    }
    assert await _node(gql, membership["id"], owner.token) == {
        "__typename": "Membership",
        "id": membership["id"],
        "role": {"key": "org_admin"},
    }
    assert await _node(gql, api_key_id, owner.token) == {
        "__typename": "ApiKey",
        "id": api_key_id,
        "name": "CI key",
    }
    assert await _node(gql, membership["role"]["id"], owner.token) == {
        "__typename": "Role",
        "id": membership["role"]["id"],
        "key": "org_admin",
    }
    assert await _node(gql, me["id"], owner.token) == {
        "__typename": "User",
        "id": me["id"],
        "email": owner.email,
    }


async def test_node_answers_null_for_other_peoples_objects(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)
    agent = await create_agent(gql, owner, organization_id)
    owner_id = (await gql.data(ME, token=owner.token))["me"]["id"]
    stranger = await sign_up(gql)

    # when / then
    for global_id in (agent["id"], organization_id, owner_id):
        assert await _node(gql, global_id, stranger.token) is None, global_id


async def test_node_answers_null_for_garbage_and_unknown_ids(gql):
    # given
    account = await sign_up(gql)
    unknown = [
        "garbage",
        "",
        base64.b64encode(b"no colon").decode(),
        to_base64("Agent", "not-a-uuid"),
        to_base64("Spaceship", str(uuid.uuid4())),
        to_base64("Agent", str(uuid.uuid4())),
    ]

    for global_id in unknown:
        # when
        body = await gql.execute(NODE, {"id": global_id}, token=account.token)

        # then
        assert body == {"data": {"node": None}}, global_id


async def test_node_requires_sign_in(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner)

    # when
    body = await gql.execute(NODE, {"id": organization_id})

    # then
    assert body["data"] == {"node": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
