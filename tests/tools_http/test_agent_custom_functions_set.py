"""agentCustomFunctionsSet and agent.customFunctions; deleting a function takes it off agents."""

from __future__ import annotations

from orm.models import AgentCustomFunction, CustomFunction
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import (
    AGENT_CUSTOM_FUNCTIONS,
    AGENT_CUSTOM_FUNCTIONS_SET,
    CUSTOM_FUNCTION_DELETE,
    CUSTOM_FUNCTIONS,
)
from tests.tools_http.helpers import (
    agent_with_function,
    function_on_agent,
)


def _names(agent: dict) -> list[str]:
    return [function["name"] for function in agent["customFunctions"]]


def _id(function: CustomFunction) -> str:
    return global_id("CustomFunction", function.id)


async def _set(gql, tenant, agent, function_ids):  # type: ignore[no-untyped-def]
    return await gql.payload(
        AGENT_CUSTOM_FUNCTIONS_SET,
        {"input": {"agentId": global_id("Agent", agent.id), "functionIds": function_ids}},
        token=tenant.token,
    )


async def _offered(agent) -> list:  # type: ignore[no-untyped-def]
    return sorted(
        await AgentCustomFunction.filter(agent_id=agent.id).values_list("function_id", flat=True)
    )


async def test_sets_exactly_the_given_functions(gql, make):
    # given: an agent offering first_fn and second_fn, and third_fn it does not offer
    tenant, agent, first = await agent_with_function(make, name="first_fn")
    second = await function_on_agent(make, tenant, agent, name="second_fn")
    third = await make.custom_function(tenant, name="third_fn")

    # when: replace, not add
    payload = await _set(gql, tenant, agent, [_id(third), _id(second)])

    # then
    assert payload["errors"] == []
    assert _names(payload["agent"]) == ["second_fn", "third_fn"]
    read = await gql.data(
        AGENT_CUSTOM_FUNCTIONS, {"id": global_id("Agent", agent.id)}, token=tenant.token
    )
    assert _names(read["agent"]) == ["second_fn", "third_fn"]
    assert await _offered(agent) == sorted([second.id, third.id])
    assert await CustomFunction.filter(id=first.id).exists()


async def test_an_empty_list_clears_them(gql, make):
    # given
    tenant, agent, function = await agent_with_function(make)

    # when
    payload = await _set(gql, tenant, agent, [])

    # then
    assert payload["errors"] == []
    assert payload["agent"]["customFunctions"] == []
    assert await _offered(agent) == []
    assert await CustomFunction.filter(id=function.id).exists()


async def test_setting_the_same_list_twice_is_idempotent(gql, make):
    # given
    tenant, agent, function = await agent_with_function(make)

    # when
    payload = await _set(gql, tenant, agent, [_id(function), _id(function)])

    # then
    assert payload["errors"] == []
    assert _names(payload["agent"]) == ["lookup_order"]
    assert await _offered(agent) == [function.id]


async def test_another_organizations_function_is_unknown(gql, make):
    # given
    tenant, agent, mine = await agent_with_function(make, name="mine")
    stranger = await make.tenant("Stranger Co")
    theirs = await make.custom_function(stranger, name="theirs")

    # when
    payload = await _set(gql, tenant, agent, [_id(mine), _id(theirs)])
    malformed = await _set(gql, tenant, agent, ["not-an-id"])
    wrong_type = await _set(gql, tenant, agent, [global_id("Agent", agent.id)])

    # then
    for answer in (payload, malformed, wrong_type):
        assert answer["agent"] is None
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [
            ("functionIds", "UNKNOWN_FUNCTION")
        ]
    assert await _offered(agent) == [mine.id]


async def test_one_function_on_two_agents(gql, make):
    # given
    tenant, agent, function = await agent_with_function(make)
    other_agent = await make.agent(tenant, name="Second")

    # when: the second agent offers it too, then the first stops
    both = await _set(gql, tenant, other_agent, [_id(function)])
    cleared = await _set(gql, tenant, agent, [])

    # then: clearing one agent leaves the other alone
    assert both["errors"] == cleared["errors"] == []
    read = await gql.data(
        AGENT_CUSTOM_FUNCTIONS, {"id": global_id("Agent", other_agent.id)}, token=tenant.token
    )
    assert _names(read["agent"]) == ["lookup_order"]
    assert await _offered(other_agent) == [function.id]
    assert await _offered(agent) == []


async def test_delete_removes_the_function_from_agents(gql, make):
    # given
    tenant, agent, kept = await agent_with_function(make, name="kept_fn")
    doomed = await function_on_agent(make, tenant, agent, name="doomed_fn")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": _id(doomed)}}, token=tenant.token
    )

    # then
    assert payload["errors"] == []
    assert payload["customFunction"] == {"id": _id(doomed), "name": "doomed_fn"}
    read = await gql.data(
        AGENT_CUSTOM_FUNCTIONS, {"id": global_id("Agent", agent.id)}, token=tenant.token
    )
    assert _names(read["agent"]) == ["kept_fn"]
    listed = await gql.data(
        CUSTOM_FUNCTIONS, {"organizationId": tenant.organization_id}, token=tenant.token
    )
    assert [f["name"] for f in listed["customFunctions"]] == ["kept_fn"]
    assert not await CustomFunction.filter(id=doomed.id).exists()
    assert not await AgentCustomFunction.filter(function_id=doomed.id).exists()
    assert await _offered(agent) == [kept.id]


async def test_deleting_twice_is_not_found(gql, make):
    # given
    tenant = await make.tenant("Delete Twice Co")
    function = await make.custom_function(tenant)
    first = await gql.payload(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": _id(function)}}, token=tenant.token
    )

    # when
    body = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": _id(function)}}, token=tenant.token
    )

    # then
    assert first["errors"] == []
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
