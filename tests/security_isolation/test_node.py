"""`node(id)` with an object of organization A of every Node type, asked by every caller.

`node` needs only a signed-in caller; what it shows depends on the object: the permission
the type's direct reader asks for (`agent` for an Agent, `Organization.members` for a
Membership, ...; read from that field's permission extension), inside the object's
organization, granted to the role as docs/permissions.md says. Otherwise it is null with the
error that field gives: NOT_FOUND outside the organization (byte for byte what a missing id
gets), FORBIDDEN for a member whose role lacks the permission.
Users are visible only to themselves and platform admins; roles, platform tools and plans
are platform-wide.
"""

from __future__ import annotations

import pytest

from tests.security_isolation.cases import NODE, NODES
from tests.security_isolation.expectations import (
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHENTICATED,
    role_of,
)
from tests.security_isolation.schema_facts import documented_role_permissions, requirement_of
from tests.security_isolation.world import CALLERS, Caller, World
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id

VISIBLE = "VISIBLE"


def expected_node(type_name: str, caller: Caller) -> str:
    if caller.kind == "anonymous":
        return UNAUTHENTICATED
    if type_name == "User":  # the target is a member of A who is none of the callers
        return VISIBLE if caller.kind == "platform_admin" else NOT_FOUND
    if type_name not in NODE.readers:  # platform-wide
        return VISIBLE
    if caller.kind == "stranger":
        return NOT_FOUND
    permission = requirement_of(NODE.readers[type_name]).permission
    return VISIBLE if permission in documented_role_permissions()[role_of(caller)] else FORBIDDEN


@pytest.mark.parametrize("caller_name", CALLERS)
@pytest.mark.parametrize("type_name", sorted(NODE.targets))
async def test_node_shows_an_object_only_to_those_who_may_read_it(
    world: World, type_name: str, caller_name: str
):
    # given
    caller = world.callers[caller_name]
    target = NODE.target(world, type_name)
    expected = expected_node(type_name, caller)

    # when
    response = await world.gql.raw(NODE.operation, {"id": target}, token=caller.token)

    # then
    body = response.json()
    if expected == VISIBLE:
        assert body == {"data": {"node": {"__typename": type_name, "id": target}}}
        return
    assert error_codes(body) == [expected]
    assert body["data"] == {"node": None}  # node is nullable: the error nulls only it
    if expected == NOT_FOUND:
        missing = await world.gql.raw(
            NODE.operation, {"id": fake_global_id(type_name)}, token=caller.token
        )
        assert response.content == missing.content


@pytest.mark.parametrize("caller_name", CALLERS)
@pytest.mark.parametrize("type_name", sorted(NODES.targets))
async def test_nodes_answers_each_id_as_node_does(world: World, type_name: str, caller_name: str):
    # given
    caller = world.callers[caller_name]
    target = NODES.target(world, type_name)
    single = (await world.gql.raw(NODE.operation, {"id": target}, token=caller.token)).json()

    # when
    listed = (await world.gql.raw(NODES.operation, {"ids": [target]}, token=caller.token)).json()

    # then: the same object or the same error, at its index
    assert error_codes(listed) == error_codes(single)
    if expected_node(type_name, caller) == UNAUTHENTICATED:
        assert listed["data"] is None  # `nodes` itself is refused
        return
    assert listed["data"] == {"nodes": [single["data"]["node"]]}
    assert [error["path"] for error in listed.get("errors", [])] == [
        ["nodes", 0] for _ in single.get("errors", [])
    ]
