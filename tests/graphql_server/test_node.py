"""`node(id)` and `nodes(ids)`: any object by global id, refused exactly like the object's own
root field (missing or another organization's: null and NOT_FOUND; a role without the
permission: null and FORBIDDEN), and every object type with an id reachable through them."""

import base64
import dataclasses
import uuid

import pytest
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from strawberry.relay import to_base64

from core.settings import Settings
from graphql_api.dataloaders import DataLoaders
from graphql_api.node import MAX_NODES, Node, node_types
from graphql_api.schema import build_schema
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id
from tests.support.logs import sql_statements
from tests.support.operations import ME
from tests.support.servers import asgi_client

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

NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) { __typename id ... on Agent { name } }
}
"""

AGENT = "query Agent($id: ID!) { agent(id: $id) { id } }"
API_KEYS = "query ApiKeys($org: ID!) { apiKeys(organizationId: $org) { id } }"


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


async def test_node_answers_null_and_not_found_for_other_peoples_objects(gql, make):
    # given
    tenant = await make.tenant()
    agent_id = global_id("Agent", (await make.agent(tenant)).id)
    stranger = await make.account()

    for other_id in (agent_id, tenant.organization_id, tenant.owner.user_id):
        # when
        body = await gql.execute(NODE, {"id": other_id}, token=stranger.token)

        # then: exactly what a missing object gets
        assert body["data"] == {"node": None}, other_id
        assert error_codes(body) == ["NOT_FOUND"], other_id
        assert body["errors"][0]["path"] == ["node"]


async def test_node_answers_null_and_not_found_for_garbage_and_unknown_ids(gql, make):
    # given
    account = await make.account()
    unknown = [
        "garbage",
        "",
        "x" * 10_000,
        base64.b64encode(b"no colon").decode(),
        to_base64("Agent", "not-a-uuid"),
        to_base64("Spaceship", str(uuid.uuid4())),
        fake_global_id("Agent"),
    ]

    for unknown_id in unknown:
        # when
        body = await gql.execute(NODE, {"id": unknown_id}, token=account.token)

        # then
        assert body["data"] == {"node": None}, unknown_id
        assert error_codes(body) == ["NOT_FOUND"], unknown_id


async def test_node_requires_sign_in(gql, make):
    # given
    tenant = await make.tenant()

    # when
    body = await gql.execute(NODE, {"id": tenant.organization_id})

    # then
    assert body["data"] == {"node": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("billing", "FORBIDDEN"), ("member", None)],
)
async def test_node_refuses_an_agent_exactly_like_agent_id_does(gql, make, role, expected):
    # given a member whose role may (member) or may not (billing) read agents
    tenant = await make.tenant()
    agent_id = global_id("Agent", (await make.agent(tenant)).id)
    person = await make.member(tenant, role)

    # when
    by_root_field = await gql.execute(AGENT, {"id": agent_id}, token=person.token)
    by_node = await gql.execute(NODE, {"id": agent_id}, token=person.token)

    # then
    expected_codes = [expected] if expected else []
    assert error_codes(by_root_field) == expected_codes
    assert error_codes(by_node) == expected_codes
    assert (by_node["data"]["node"] is None) == (expected is not None)


async def test_node_refuses_an_api_key_like_the_api_keys_field(gql, make):
    # given a member (no `api_key:manage`) and a key of their organization
    tenant = await make.tenant()
    key = await make.api_key(tenant, "member")
    member = await make.member(tenant, "member")

    # when
    listed = await gql.execute(API_KEYS, {"org": tenant.organization_id}, token=member.token)
    by_node = await gql.execute(NODE, {"id": key.id}, token=member.token)

    # then
    assert error_codes(listed) == ["FORBIDDEN"]
    assert error_codes(by_node) == ["FORBIDDEN"]
    assert by_node["data"] == {"node": None}


async def test_an_api_key_reads_only_its_own_organization_through_node(gql, make):
    # given
    tenant = await make.tenant()
    other = await make.tenant()
    key = await make.api_key(tenant, "member")
    own_agent = global_id("Agent", (await make.agent(tenant)).id)
    foreign_agent = global_id("Agent", (await make.agent(other)).id)

    # when
    body = await gql.execute(NODES, {"ids": [own_agent, foreign_agent]}, token=key.key)

    # then
    assert [node and node["id"] for node in body["data"]["nodes"]] == [own_agent, None]
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["nodes", 1], "NOT_FOUND")
    ]


async def test_nodes_answers_every_id_in_order_with_each_error_at_its_index(gql, make):
    # given
    tenant = await make.tenant()
    first = global_id("Agent", (await make.agent(tenant, name="First")).id)
    second = global_id("Agent", (await make.agent(tenant, name="Second")).id)
    foreign = (await make.tenant()).organization_id

    # when
    body = await gql.execute(
        NODES,
        {"ids": [second, foreign, "garbage", tenant.organization_id, first, second]},
        token=tenant.token,
    )

    # then
    assert body["data"]["nodes"] == [
        {"__typename": "Agent", "id": second, "name": "Second"},
        None,
        None,
        {"__typename": "Organization", "id": tenant.organization_id},
        {"__typename": "Agent", "id": first, "name": "First"},
        {"__typename": "Agent", "id": second, "name": "Second"},
    ]
    # (errors come in the order they happened)
    assert sorted((e["path"], e["extensions"]["code"]) for e in body["errors"]) == [
        (["nodes", 1], "NOT_FOUND"),
        (["nodes", 2], "NOT_FOUND"),
    ]


async def test_nodes_reads_a_page_of_ids_in_as_many_statements_as_one(gql, make):
    # given
    tenant = await make.tenant()
    agent_ids = [global_id("Agent", (await make.agent(tenant)).id) for _ in range(12)]

    # when
    with sql_statements() as one:
        await gql.data(NODES, {"ids": agent_ids[:1]}, token=tenant.token)
    with sql_statements() as twelve:
        data = await gql.data(NODES, {"ids": agent_ids}, token=tenant.token)

    # then: the rows and the access are read once for all of them
    assert [node["id"] for node in data["nodes"]] == agent_ids
    assert len(twelve) == len(one), twelve


async def test_nodes_takes_at_most_its_own_limit_of_ids(server, make):
    # given a server whose list arguments may be longer than `nodes` accepts
    settings = server.settings.model_copy(update={"max_input_list_items": MAX_NODES * 2})
    tenant = await make.tenant()
    ids = [fake_global_id("Agent") for _ in range(MAX_NODES + 1)]

    async with asgi_client(settings) as app:
        # when
        body = await app.gql.execute(NODES, {"ids": ids}, token=tenant.token)
        at_the_limit = await app.gql.execute(NODES, {"ids": ids[:MAX_NODES]}, token=tenant.token)

    # then
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "`nodes` takes at most 100 ids; 101 were sent."
    assert (error["path"], error["extensions"]["code"]) == (["nodes"], "BAD_REQUEST")
    assert at_the_limit["data"]["nodes"] == [None] * MAX_NODES


async def test_nodes_over_the_list_limit_is_refused_before_execution(gql, make):
    # given
    account = await make.account()
    ids = [fake_global_id("Agent") for _ in range(MAX_NODES + 1)]

    # when
    body = await gql.execute(NODES, {"ids": ids}, token=account.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["BAD_REQUEST"]


def _schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def test_every_object_type_with_an_id_implements_node():
    # given
    schema = _schema()

    # when
    with_an_id = {
        name
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and not name.startswith("__")
        and "id" in graphql_type.fields
        and get_named_type(graphql_type.fields["id"].type).name == "ID"
    }
    implementing_node = {
        name
        for name in with_an_id
        if "Node" in {interface.name for interface in schema.type_map[name].interfaces}
    }

    # then
    assert with_an_id, "the schema has objects with ids"
    assert with_an_id == implementing_node


def test_every_node_type_says_how_node_id_reaches_it():
    # given the schema, which imports every object type
    schema = _schema()
    loaders = {field.name for field in dataclasses.fields(DataLoaders)}

    # when
    in_schema = {
        name
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and "Node" in {interface.name for interface in graphql_type.interfaces}
    }

    # then: each has a loader and its own builder, beside its declaration
    assert in_schema <= set(node_types())
    for name in in_schema:
        node_type = node_types()[name]
        assert node_type.node_kind.loader in loaders, name
        assert node_type.from_model.__func__ is not Node.from_model.__func__, name
