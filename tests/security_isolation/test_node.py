"""`node(id)` with an object of organization A of every Node type, asked by every caller.

`node` needs only a signed-in caller; what it shows depends on the object: the permission
the type's direct reader asks for (`agent` for an Agent, `Organization.members` for a
Membership, ...; read from that field's permission extension), inside the object's
organization, granted to the role as docs/permissions.md says. Anything else is null,
exactly as for a missing id.
Users are visible only to themselves and platform admins; roles, platform tools and plans
are platform-wide.
"""

from __future__ import annotations

import pytest

from tests.security_isolation.cases import NODE
from tests.security_isolation.expectations import UNAUTHENTICATED, role_of
from tests.security_isolation.schema_facts import documented_role_permissions, requirement_of
from tests.security_isolation.world import CALLERS, Caller, World
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id

VISIBLE = "VISIBLE"
NULL = "NULL"


def expected_node(type_name: str, caller: Caller) -> str:
    if caller.kind == "anonymous":
        return UNAUTHENTICATED
    if type_name == "User":  # the target is a member of A who is none of the callers
        return VISIBLE if caller.kind == "platform_admin" else NULL
    if type_name not in NODE.readers:  # platform-wide
        return VISIBLE
    if caller.kind == "stranger":
        return NULL
    permission = requirement_of(NODE.readers[type_name]).permission
    return VISIBLE if permission in documented_role_permissions()[role_of(caller)] else NULL


@pytest.mark.parametrize("caller_name", CALLERS)
@pytest.mark.parametrize("type_name", sorted(NODE.targets))
async def test_node_shows_an_object_only_to_those_who_may_read_it(
    world: World, type_name: str, caller_name: str
):
    # given
    caller = world.callers[caller_name]
    target = getattr(world, NODE.targets[type_name])
    expected = expected_node(type_name, caller)

    # when
    response = await world.gql.raw(NODE.operation, {"id": target}, token=caller.token)

    # then
    body = response.json()
    if expected == VISIBLE:
        assert body == {"data": {"node": {"__typename": type_name, "id": target}}}
        return
    if expected == UNAUTHENTICATED:
        assert error_codes(body) == [UNAUTHENTICATED]
        assert body["data"] == {"node": None}  # node is nullable: the error nulls only it
    else:
        assert body == {"data": {"node": None}}
    missing = await world.gql.raw(
        NODE.operation, {"id": fake_global_id(type_name)}, token=caller.token
    )
    assert response.content == missing.content
