"""No role reaches an organization's object through another object it may not read directly.

For every field that returns an organization-owned type (Agent, Call, ApiKey, ...: those
with a direct reader in cases.NODE), the ways a caller can arrive at that field are followed
up the live schema: the field's own permission if it declares one, otherwise every way to
reach the type it hangs on (mutation payloads, edges, nested objects), up to the roots.
Every built-in role that docs/permissions.md lets arrive that way must also hold the
permission of the type's direct reader; otherwise, say, a role that may read calls but not
agents would read agents through `call { agent }`.
"""

from __future__ import annotations

from functools import cache

import pytest
from graphql import GraphQLObjectType, get_named_type

from tests.security_isolation.cases import NODE
from tests.security_isolation.expectations import role_of
from tests.security_isolation.schema_facts import (
    ROOT_TYPES,
    documented_role_permissions,
    live_schema,
    requirement_of,
)
from tests.security_isolation.world import (
    A_BILLING,
    A_MEMBER,
    A_MEMBER_API_KEY,
    A_ORG_ADMIN,
    PLATFORM_ADMIN,
    World,
)
from tests.support.graphql import error_codes

ANY_ROLE = "*"  # signed in, no permission needed: every role arrives


def _fields_returning() -> dict[str, list[str]]:
    """{"Agent": ["Query.agent", "AgentEdge.node", ...]}, object types only."""
    returning: dict[str, list[str]] = {}
    for type_name, graphql_type in live_schema()._schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            named = get_named_type(field.type).name
            returning.setdefault(named, []).append(f"{type_name}.{field_name}")
    return returning


def _own_guard(key: str) -> frozenset[str] | None:
    """The permissions a field itself demands; None when it demands nothing of its own."""
    requirement = requirement_of(key)
    if requirement.kind == "org":
        assert requirement.permission
        return frozenset({requirement.permission})
    if requirement.kind == "platform_admin":
        return frozenset({"platform:manage"})
    if requirement.kind in ("authenticated", "user"):
        return frozenset({ANY_ROLE})
    if key.split(".")[0] in ROOT_TYPES:  # open to anyone (signUp, signIn, ...)
        return frozenset({ANY_ROLE})
    return None


@cache
def _arrivals(type_name: str, visiting: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every permission by which some caller can arrive at an object of this type."""
    found: set[str] = set()
    for key in _fields_returning().get(type_name, []):
        found |= _arrivals_at_field(key, visiting | {type_name})
    return frozenset(found)


def _arrivals_at_field(key: str, visiting: frozenset[str]) -> frozenset[str]:
    own = _own_guard(key)
    if own is not None:
        return own
    parent = key.split(".")[0]
    if parent in visiting:  # a cycle adds no new way in
        return frozenset()
    return _arrivals(parent, visiting)


def _roles_holding(permission: str) -> set[str]:
    roles = documented_role_permissions()
    if permission == ANY_ROLE:
        return set(roles)
    return {role for role, granted in roles.items() if permission in granted}


def test_no_role_reaches_an_object_it_may_not_read_directly():
    # given
    roles = documented_role_permissions()
    returning = _fields_returning()

    # when
    side_doors = {}
    for type_name, reader in NODE.readers.items():
        needed = requirement_of(reader).permission
        for key in returning.get(type_name, []):
            for permission in _arrivals_at_field(key, frozenset()):
                lacking = sorted(
                    role for role in _roles_holding(permission) if needed not in roles[role]
                )
                if lacking:
                    side_doors[f"{key} (arrived at with {permission})"] = (
                        f"{lacking} lack {needed}, which {reader} needs"
                    )

    # then
    assert side_doors == {}


def test_the_walk_sees_the_ways_in():
    # then: a few arrivals the schema makes plain
    assert _arrivals_at_field("Query.agent", frozenset()) == {"agent:read"}
    assert "call:read" in _arrivals("Call")
    assert "call:create" in _arrivals("Call")  # callCreate's payload
    assert "call:read" in _arrivals("LiveCallEvent")  # the subscriptions
    assert ANY_ROLE in _arrivals("Membership")  # me { memberships }


CALL_WITH_AGENT = "query Q($id: ID!) { call(id: $id) { id agent { id systemPrompt } } }"


@pytest.mark.parametrize(
    "caller_name", [A_ORG_ADMIN, A_MEMBER, A_BILLING, A_MEMBER_API_KEY, PLATFORM_ADMIN]
)
async def test_a_calls_agent_shows_only_to_roles_that_may_read_agents(world: World, caller_name):
    # given: every one of them may read the call
    caller = world.callers[caller_name]
    may_read_agents = "agent:read" in documented_role_permissions()[role_of(caller)]

    # when
    body = await world.gql.execute(CALL_WITH_AGENT, {"id": world.call}, token=caller.token)

    # then
    assert body["data"]["call"]["id"] == world.call
    if may_read_agents:
        assert "errors" not in body, body
        assert body["data"]["call"]["agent"]["id"] == world.agent
    else:
        assert body["data"]["call"]["agent"] is None
        assert error_codes(body) == ["FORBIDDEN"]
        assert "You answer the phone for A." not in str(body)
