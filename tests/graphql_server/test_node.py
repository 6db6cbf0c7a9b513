import base64
import uuid

from strawberry.relay import to_base64

from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id
from tests.support.operations import ME

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


async def _node(gql, node_id, token):
    return (await gql.data(NODE, {"id": node_id}, token=token))["node"]


async def test_node_returns_the_callers_own_objects(gql, make):
    # given
    tenant = await make.tenant("Node Org")
    owner = tenant.owner
    agent_id = global_id("Agent", (await make.agent(tenant, name="Node Agent")).id)
    api_key_id = (await make.api_key(tenant, "member", name="CI key")).id
    me = (await gql.data(ME, token=owner.token))["me"]
    [membership] = me["memberships"]

    # when / then
    assert await _node(gql, agent_id, owner.token) == {
        "__typename": "Agent",
        "id": agent_id,
        "name": "Node Agent",
    }
    assert await _node(gql, tenant.organization_id, owner.token) == {
        "__typename": "Organization",
        "id": tenant.organization_id,
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


async def test_node_answers_null_for_other_peoples_objects(gql, make):
    # given
    tenant = await make.tenant()
    agent_id = global_id("Agent", (await make.agent(tenant)).id)
    stranger = await make.account()

    # when / then
    for other_id in (agent_id, tenant.organization_id, tenant.owner.user_id):
        assert await _node(gql, other_id, stranger.token) is None, other_id


async def test_node_answers_null_for_garbage_and_unknown_ids(gql, make):
    # given
    account = await make.account()
    unknown = [
        "garbage",
        "",
        base64.b64encode(b"no colon").decode(),
        to_base64("Agent", "not-a-uuid"),
        to_base64("Spaceship", str(uuid.uuid4())),
        fake_global_id("Agent"),
    ]

    for unknown_id in unknown:
        # when
        body = await gql.execute(NODE, {"id": unknown_id}, token=account.token)

        # then
        assert body == {"data": {"node": None}}, unknown_id


async def test_node_requires_sign_in(gql, make):
    # given
    tenant = await make.tenant()

    # when
    body = await gql.execute(NODE, {"id": tenant.organization_id})

    # then
    assert body["data"] == {"node": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]
