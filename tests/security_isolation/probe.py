"""One probe: a field of the registry, called by one caller, checked against the docs.

Anonymous -> UNAUTHENTICATED; organization B's admin and B's org_admin API key ->
NOT_FOUND, byte for byte the answer about a random id of the same type; each role of
organization A (users, and a member-role API key) -> allowed exactly when
docs/permissions.md gives the role the permission the field's permission extension names,
FORBIDDEN otherwise; a platform admin -> allowed. Platform-admin fields are FORBIDDEN to
every organization role. A refused mutation changes nothing it targets.
"""

from __future__ import annotations

import json

from tests.security_isolation.cases import CASES
from tests.security_isolation.expectations import ALLOWED, expected_outcome, with_missing_id
from tests.security_isolation.schema_facts import documented_permission, requirement_of
from tests.security_isolation.world import World
from tests.support.graphql import error_codes


async def probe_field(world: World, key: str, caller_name: str) -> None:
    # given
    case = CASES[key]
    caller = world.callers[caller_name]
    requirement = requirement_of(key)
    assert requirement.permission == documented_permission(key), "docs/permissions.md is stale"
    expected = expected_outcome(requirement, caller, user_only=case.user_only)
    target = await case.make_target(world)
    variables = case.variables(world, target)
    before = await case.watch(world, target) if case.watch else None

    # when
    try:
        response = await world.gql.raw(case.operation, variables, token=caller.token)
        after = await case.watch(world, target) if case.watch else None
    finally:
        if case.undo:
            await case.undo(world, target)

    # then
    assert response.status_code == 200, response.text
    body = response.json()
    field = key.split(".")[1]
    if expected == ALLOWED:
        assert "errors" not in body, body
        payload = body["data"][field]
        assert payload is not None, body
        refused_by_validation = False
        if isinstance(payload, dict) and "errors" in payload:
            assert {error["code"] for error in payload["errors"]} <= case.ok_errors, payload
            refused_by_validation = bool(payload["errors"])
        if case.watch and not refused_by_validation:
            assert after != before, "an allowed mutation changed nothing"
        if case.shows:
            shown = target if case.shows == "target" else getattr(world, case.shows)
            assert shown in json.dumps(payload), (shown, payload)
        return
    assert error_codes(body) == [expected], body
    # A nullable root field is null alone; a non-null one (a mutation's payload) nulls data.
    assert (body["data"] or {}).get(field) is None, body
    if case.watch:
        assert after == before, "a refused mutation changed the data"
    if caller.kind in ("anonymous", "stranger"):
        # Nothing tells an outsider whether the object exists.
        missing = await world.gql.raw(
            case.operation, with_missing_id(variables, case.target_arg), token=caller.token
        )
        assert response.content == missing.content
