"""No role reaches an organization's object through another object it may not read directly.

For every field that returns an organization-owned type (Agent, Call, ApiKey, ...: those
with a direct reader in cases.NODE), the ways a caller can arrive at that field are followed
up the live schema: the field's own permission if it declares one, otherwise every way to
reach the type it hangs on (mutation payloads, edges, nested objects), up to the roots.
Every built-in role that docs/permissions.md lets arrive that way must also hold the
permission of the type's direct reader; otherwise, say, a role that may read calls but not
agents would read agents through `call { agent }`.

Agent configuration (prompt, greeting, transfer target, tools) also travels in JSON fields,
which name no type: every JSON field, every field returning agent configuration and every
field of it is checked for every role without `agent:read`, both along the schema's ways
in and live, by asking for each one the way such a caller can reach it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pytest
from graphql import GraphQLInterfaceType, GraphQLObjectType, get_named_type

from core.call_events import ToolInvoked, ToolOutcome
from core.services import calls, custom_functions
from orm.models import CallAnalysis
from tests.security_isolation.cases import NODE
from tests.security_isolation.expectations import role_of
from tests.security_isolation.reachable import fields_within_reach, selection, values_at
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
from tests.support.factories import unique_name
from tests.support.graphql import error_codes
from tests.support.ids import global_id

ANY_ROLE = "*"  # signed in, no permission needed: every role arrives


def _fields_returning() -> dict[str, list[str]]:
    """{"Agent": ["Query.agent", "AgentEdge.node", ...]}, object types only.

    A field returning an interface returns each of its object types (`Call.timeline` returns
    CallTranscriptSegment, ...), except `Node`: `node(id)` checks each type's own reader
    (test_node.py).
    """
    schema = live_schema()._schema
    returning: dict[str, list[str]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            named = get_named_type(field.type)
            key = f"{type_name}.{field_name}"
            returning.setdefault(named.name, []).append(key)
            if isinstance(named, GraphQLInterfaceType) and named.name != "Node":
                for implementation in schema.get_possible_types(named):
                    returning.setdefault(implementation.name, []).append(key)
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
    assert "call:read" in _arrivals("CallTranscriptSegment")  # timelines and subscriptions
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


# --- agent configuration, JSON fields included -------------------------------------------------

AGENT_READ = "agent:read"
AGENT_CONFIGURATION_READERS = ("agent:read", "tool:read")
# JSON fields a role without agent:read may read, and why none of them is agent configuration.
NOT_AGENT_CONFIGURATION = {
    "Organization.businessDetails": "the organization's own details, under org:read",
    "PlatformTool.configSchema": "the platform's tool catalogue, the same for everyone",
    "PlatformTool.secretConfigSchema": "the platform's tool catalogue, the same for everyone",
    "ToolFunction.parameters": "the platform's tool catalogue, the same for everyone",
    "CallToolInvoked.arguments": "the call's own record (what the model passed to a tool), "
    "under call:read",
    "CallAnalysis.structuredData": "what the model took from the call after it ended (the "
    "call's own record, like its transcript), under call:read",
    "WebhookDelivery.payload": "a call event as partners receive it (the call's own record, "
    "no agent configuration), under webhook:manage and call:read",
}


@cache
def _agent_configuration_types() -> frozenset[str]:
    """The types whose direct reader asks for agent:read or tool:read (Agent, AgentTool,
    CustomFunction), and the types reached only through them (AgentToolFunction, ...)."""
    found = {
        type_name
        for type_name, reader in NODE.readers.items()
        if requirement_of(reader).permission in AGENT_CONFIGURATION_READERS
    }
    returning = _fields_returning()
    type_map = live_schema()._schema.type_map
    grew = True
    while grew:
        grew = False
        for type_name, keys in returning.items():
            if type_name in found or not isinstance(type_map[type_name], GraphQLObjectType):
                continue
            if all(key.split(".")[0] in found for key in keys):
                found.add(type_name)
                grew = True
    return frozenset(found)


def _carries_agent_configuration(key: str, named_type: str) -> bool:
    """A JSON field, a field returning agent configuration, or a field of agent configuration."""
    types = _agent_configuration_types()
    return named_type == "JSON" or named_type in types or key.split(".")[0] in types


def _fields_carrying_agent_configuration() -> dict[str, str]:
    """{"Call.agentSnapshot": "JSON", "Call.agent": "Agent", ...} over the whole schema."""
    found = {}
    for type_name, graphql_type in live_schema()._schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            key = f"{type_name}.{field_name}"
            named = get_named_type(field.type).name
            if _carries_agent_configuration(key, named):
                found[key] = named
    return found


def _roles_without_agent_read() -> list[str]:
    roles = documented_role_permissions()
    return sorted(role for role, granted in roles.items() if AGENT_READ not in granted)


def test_the_configuration_walk_sees_json_fields_and_agent_types():
    # then: generated from the schema, not listed
    carrying = _fields_carrying_agent_configuration()
    assert {"Agent", "AgentTool", "CustomFunction", "AgentToolFunction"} <= (
        _agent_configuration_types()
    )
    assert carrying["Call.agentSnapshot"] == "JSON"
    assert carrying["Call.agent"] == "Agent"
    assert carrying["Agent.systemPrompt"] == "String"
    assert _roles_without_agent_read() == ["billing"]
    for key in NOT_AGENT_CONFIGURATION:  # the exceptions name JSON fields that exist
        assert carrying.get(key) == "JSON", key


def test_no_role_without_agent_read_arrives_at_agent_configuration():
    # given
    roles = documented_role_permissions()

    # when: every way in (queries, mutation payloads, subscriptions) to every such field
    open_doors = {}
    for key in _fields_carrying_agent_configuration():
        if key in NOT_AGENT_CONFIGURATION:
            continue
        for permission in _arrivals_at_field(key, frozenset()):
            lacking = sorted(r for r in _roles_holding(permission) if AGENT_READ not in roles[r])
            if lacking:
                open_doors[f"{key} (arrived at with {permission})"] = lacking

    # then
    assert open_doors == {}


@dataclass(frozen=True)
class ConfiguredCall:
    """A call of A whose agent's every setting is recognisable in an answer."""

    call: str
    agent: str
    configuration: tuple[str, ...]


async def _configured_call(world: World) -> ConfiguredCall:
    if "configured_call" in world.cache:
        return world.cache["configured_call"]
    function = await world.make.custom_function(world.tenant_a, name=unique_name("loyalty_lookup"))
    agent = await world.make.agent(
        world.tenant_a,
        name="Side door desk",
        system_prompt="Never mention the side door prompt.",
        greeting="Welcome to the side door greeting.",
        transfer_to="+14155550142",
    )
    await world.make.agent_tool(agent, "google_calendar")
    await custom_functions.set_for_agent(agent=agent, function_ids=[function.id])
    call = await world.make.call(world.tenant_a, agent)
    await calls.record_event(
        call_id=call.id,
        payload=ToolInvoked(
            function="calendar_check_availability",
            arguments={"day": "2099-03-02"},
            outcome=ToolOutcome.OK,
            latency_ms=12,
        ),
        bus=None,
    )
    # and its post-call analysis, with structured data (the call's record, not configuration)
    await CallAnalysis.create(
        call_id=call.id,
        organization_id=call.organization_id,
        status="completed",
        next_attempt_at=call.created_at,
        summary="A caller asked about the side door.",
        structured_data={"asked_about": "the door"},
        attempts=1,
    )
    assert call.snapshot["tools"] and call.snapshot["custom_functions"] == [function.name]
    configured = ConfiguredCall(
        call=global_id("Call", call.id),
        agent=global_id("Agent", agent.id),
        configuration=(
            "Never mention the side door prompt.",
            "Welcome to the side door greeting.",
            "+14155550142",
            function.name,
        ),
    )
    world.cache["configured_call"] = configured
    return configured


@pytest.mark.parametrize("role", _roles_without_agent_read())
async def test_agent_configuration_answers_forbidden_to_roles_without_agent_read(
    world: World, role
):
    # given: every field carrying agent configuration that a member with the role can ask for
    configured = await _configured_call(world)
    caller = next(
        c
        for c in world.callers.values()
        if c.kind == "insider" and c.role == role and not c.is_api_key
    )
    permissions = documented_role_permissions()[role]
    ids = {"Organization": world.org_a, "Call": configured.call, "Agent": configured.agent}
    type_map = live_schema()._schema.type_map
    asked = [
        reached
        for reached in fields_within_reach(permissions, ids)
        if _carries_agent_configuration(reached.key, reached.named_type)
    ]
    assert {reached.key for reached in asked} >= {"Call.agentSnapshot", "CallToolInvoked.arguments"}

    # when
    wrong = {}
    for reached in asked:
        query = selection(reached.path, isinstance(type_map[reached.named_type], GraphQLObjectType))
        body = await world.gql.execute(query, token=caller.token)
        values = values_at(body.get("data"), reached.path)
        answer = json.dumps(values)

        # then: guarded ones are FORBIDDEN and null; the rest are no agent's configuration
        if not values:
            wrong[reached.key] = f"nothing answered at {query}: the walk proves nothing"
        elif reached.guarded_by is not None:
            if set(error_codes(body)) != {"FORBIDDEN"} or any(v is not None for v in values):
                wrong[reached.key] = f"not refused: {body}"
        elif reached.key not in NOT_AGENT_CONFIGURATION:
            wrong[reached.key] = f"answered without {AGENT_READ}: {answer[:200]}"
        elif "errors" in body or any(text in answer for text in configured.configuration):
            wrong[reached.key] = f"shows agent configuration: {answer[:200]}"
    assert wrong == {}


CALL_WITH_AGENT_SNAPSHOT = "query Q($id: ID!) { call(id: $id) { id agentSnapshot } }"


@pytest.mark.parametrize(
    "caller_name", [A_ORG_ADMIN, A_MEMBER, A_BILLING, A_MEMBER_API_KEY, PLATFORM_ADMIN]
)
async def test_a_calls_agent_snapshot_shows_only_to_roles_that_may_read_agents(
    world: World, caller_name
):
    # given: every one of them may read the call
    configured = await _configured_call(world)
    caller = world.callers[caller_name]
    may_read_agents = AGENT_READ in documented_role_permissions()[role_of(caller)]

    # when
    body = await world.gql.execute(
        CALL_WITH_AGENT_SNAPSHOT, {"id": configured.call}, token=caller.token
    )

    # then: exactly as `Call.agent` answers
    assert body["data"]["call"]["id"] == configured.call
    if may_read_agents:
        assert "errors" not in body, body
        assert body["data"]["call"]["agentSnapshot"]["greeting"] == configured.configuration[1]
    else:
        assert body["data"]["call"]["agentSnapshot"] is None
        assert error_codes(body) == ["FORBIDDEN"]
        assert not any(text in json.dumps(body) for text in configured.configuration)
