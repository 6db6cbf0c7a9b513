"""Id arguments besides the target: another organization's object there is no way in.

Organization A's admin, allowed on the target, names organization B's object in a second
id argument (an agent filter, a list of functions): the answer must be the one about a
random id, nothing of B may show, and nothing may change. Arguments the registry calls
platform-wide must name objects the code itself treats as platform-wide.
"""

from __future__ import annotations

import pytest

from graphql_api.node import node_types
from tests.security_isolation.cases import CASES
from tests.security_isolation.expectations import get_path, with_missing_id, with_value
from tests.security_isolation.world import A_ORG_ADMIN, World
from tests.support.ids import type_of

TENANT_ARGUMENTS = sorted(
    (key, path)
    for key, case in CASES.items()
    for path, other in case.other_ids.items()
    if other.kind == "tenant"
)
GLOBAL_ARGUMENTS = sorted(
    (key, path)
    for key, case in CASES.items()
    for path, other in case.other_ids.items()
    if other.kind == "global"
)


@pytest.mark.parametrize(("key", "path"), TENANT_ARGUMENTS)
async def test_another_organizations_object_is_answered_like_a_missing_one(
    world: World, key: str, path: str
):
    # given
    case = CASES[key]
    admin = world.callers[A_ORG_ADMIN]
    target = await case.make_target(world)
    foreign = case.other_ids[path].foreign
    assert foreign is not None
    variables = with_value(case.variables(world, target), path, foreign(world))
    before = await case.watch(world, target) if case.watch else None

    # when
    answered = await world.gql.raw(case.operation, variables, token=admin.token)
    after = await case.watch(world, target) if case.watch else None
    missing = await world.gql.raw(
        case.operation, with_missing_id(variables, path), token=admin.token
    )

    # then
    assert answered.status_code == 200
    assert answered.content == missing.content
    of_b_ids = (
        world.org_b,
        world.b_agent,
        world.b_call,
        world.b_custom_function,
        world.b_phone_number,
    )
    for of_b in of_b_ids:
        assert of_b not in answered.text
    assert after == before


@pytest.mark.parametrize(("key", "path"), GLOBAL_ARGUMENTS)
async def test_platform_wide_arguments_name_platform_wide_objects(
    world: World, key: str, path: str
):
    # given
    case = CASES[key]
    target = await case.make_target(world)

    # when
    named = type_of(get_path(case.variables(world, target), path))

    # then: node(id) shows it to anyone signed in, so no organization owns it
    assert node_types()[named].node_kind.permission is None
