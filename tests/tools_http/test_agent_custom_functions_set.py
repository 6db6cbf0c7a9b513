"""agentCustomFunctionsSet and agent.customFunctions; deleting a function takes it off agents."""

from __future__ import annotations

from orm.models import AgentCustomFunction, CustomFunction
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import create_agent, uuid_of
from tests.tools_http.helpers import (
    AGENT_CUSTOM_FUNCTIONS,
    CUSTOM_FUNCTION_DELETE,
    CUSTOM_FUNCTIONS,
    create_function,
    set_agent_functions,
    workspace,
)


def _names(agent: dict) -> list[str]:
    return [function["name"] for function in agent["customFunctions"]]


async def test_sets_exactly_the_given_functions(gql):
    # given
    space = await workspace(gql)
    first = await create_function(gql, space.owner, space.organization_id, name="first_fn")
    second = await create_function(gql, space.owner, space.organization_id, name="second_fn")
    third = await create_function(gql, space.owner, space.organization_id, name="third_fn")
    await set_agent_functions(gql, space.owner, space.agent_id, [first["id"], second["id"]])

    # when: replace, not add
    payload = await set_agent_functions(
        gql, space.owner, space.agent_id, [third["id"], second["id"]]
    )

    # then
    assert payload["errors"] == []
    assert _names(payload["agent"]) == ["second_fn", "third_fn"]
    read = await gql.data(AGENT_CUSTOM_FUNCTIONS, {"id": space.agent_id}, token=space.owner.token)
    assert _names(read["agent"]) == ["second_fn", "third_fn"]
    assert sorted(
        await AgentCustomFunction.filter(agent_id=space.agent_uuid).values_list(
            "function_id", flat=True
        )
    ) == sorted([uuid_of(second["id"]), uuid_of(third["id"])])


async def test_an_empty_list_clears_them(gql):
    # given
    space = await workspace(gql)
    function = await create_function(gql, space.owner, space.organization_id)
    await set_agent_functions(gql, space.owner, space.agent_id, [function["id"]])

    # when
    payload = await set_agent_functions(gql, space.owner, space.agent_id, [])

    # then
    assert payload["errors"] == []
    assert payload["agent"]["customFunctions"] == []
    assert await AgentCustomFunction.filter(agent_id=space.agent_uuid).count() == 0
    assert await CustomFunction.filter(id=uuid_of(function["id"])).exists()


async def test_setting_the_same_list_twice_is_idempotent(gql):
    # given
    space = await workspace(gql)
    function = await create_function(gql, space.owner, space.organization_id)
    await set_agent_functions(gql, space.owner, space.agent_id, [function["id"]])

    # when
    payload = await set_agent_functions(
        gql, space.owner, space.agent_id, [function["id"], function["id"]]
    )

    # then
    assert payload["errors"] == []
    assert _names(payload["agent"]) == ["lookup_order"]
    assert await AgentCustomFunction.filter(agent_id=space.agent_uuid).count() == 1


async def test_another_organizations_function_is_unknown(gql):
    # given
    space = await workspace(gql)
    mine = await create_function(gql, space.owner, space.organization_id, name="mine")
    await set_agent_functions(gql, space.owner, space.agent_id, [mine["id"]])
    stranger = await workspace(gql, "Stranger Co")
    theirs = await create_function(gql, stranger.owner, stranger.organization_id, name="theirs")

    # when
    payload = await set_agent_functions(
        gql, space.owner, space.agent_id, [mine["id"], theirs["id"]]
    )
    malformed = await set_agent_functions(gql, space.owner, space.agent_id, ["not-an-id"])
    wrong_type = await set_agent_functions(gql, space.owner, space.agent_id, [space.agent_id])

    # then
    for answer in (payload, malformed, wrong_type):
        assert answer["agent"] is None
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [
            ("functionIds", "UNKNOWN_FUNCTION")
        ]
    assert list(
        await AgentCustomFunction.filter(agent_id=space.agent_uuid).values_list(
            "function_id", flat=True
        )
    ) == [uuid_of(mine["id"])]


async def test_one_function_on_two_agents(gql):
    # given
    space = await workspace(gql)
    other_agent_id = await create_agent(gql, space.owner.token, space.organization_id, "Second")
    function = await create_function(gql, space.owner, space.organization_id)

    # when
    await set_agent_functions(gql, space.owner, space.agent_id, [function["id"]])
    await set_agent_functions(gql, space.owner, other_agent_id, [function["id"]])
    await set_agent_functions(gql, space.owner, space.agent_id, [])

    # then: clearing one agent leaves the other alone
    read = await gql.data(AGENT_CUSTOM_FUNCTIONS, {"id": other_agent_id}, token=space.owner.token)
    assert _names(read["agent"]) == ["lookup_order"]


async def test_delete_removes_the_function_from_agents(gql):
    # given
    space = await workspace(gql)
    kept = await create_function(gql, space.owner, space.organization_id, name="kept_fn")
    doomed = await create_function(gql, space.owner, space.organization_id, name="doomed_fn")
    await set_agent_functions(gql, space.owner, space.agent_id, [kept["id"], doomed["id"]])

    # when
    data = await gql.data(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": doomed["id"]}}, token=space.owner.token
    )

    # then
    payload = data["customFunctionDelete"]
    assert payload["errors"] == []
    assert payload["customFunction"] == {"id": doomed["id"], "name": "doomed_fn"}
    read = await gql.data(AGENT_CUSTOM_FUNCTIONS, {"id": space.agent_id}, token=space.owner.token)
    assert _names(read["agent"]) == ["kept_fn"]
    listed = await gql.data(
        CUSTOM_FUNCTIONS, {"organizationId": space.organization_id}, token=space.owner.token
    )
    assert [f["name"] for f in listed["customFunctions"]] == ["kept_fn"]
    assert not await CustomFunction.filter(id=uuid_of(doomed["id"])).exists()
    assert not await AgentCustomFunction.filter(function_id=uuid_of(doomed["id"])).exists()


async def test_deleting_twice_is_not_found(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Delete Twice Co")
    function = await create_function(gql, owner, organization_id)
    await gql.data(CUSTOM_FUNCTION_DELETE, {"input": {"id": function["id"]}}, token=owner.token)

    # when
    body = await gql.execute(
        CUSTOM_FUNCTION_DELETE, {"input": {"id": function["id"]}}, token=owner.token
    )

    # then
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
