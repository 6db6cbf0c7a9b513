"""What each caller must get, from the field's permission extension and docs/permissions.md."""

from __future__ import annotations

import json
from typing import Any

from tests.security_isolation.schema_facts import Requirement, documented_role_permissions
from tests.security_isolation.world import Caller
from tests.support.ids import fake_global_id, type_of

ALLOWED = "ALLOWED"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"


def role_of(caller: Caller) -> str:
    if caller.kind == "platform_admin":
        return "platform_admin"
    assert caller.role is not None, caller
    return caller.role


def expected_outcome(requirement: Requirement, caller: Caller, *, user_only: bool = False) -> str:
    if caller.kind == "anonymous":
        return UNAUTHENTICATED
    if requirement.kind == "platform_admin":
        return ALLOWED if caller.kind == "platform_admin" else FORBIDDEN
    assert requirement.kind == "org" and requirement.permission, requirement
    if caller.kind == "stranger":
        return NOT_FOUND
    if requirement.permission not in documented_role_permissions()[role_of(caller)]:
        return FORBIDDEN
    if user_only and caller.is_api_key:
        return FORBIDDEN
    return ALLOWED


def get_path(values: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        values = values[part]
    return values


def with_value(values: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `values` with `path` replaced."""
    copied = json.loads(json.dumps(values))
    *parents, last = path.split(".")
    holder = copied
    for part in parents:
        holder = holder[part]
    holder[last] = value
    return copied


def with_missing_id(values: dict[str, Any], path: str) -> dict[str, Any]:
    """The same variables naming a random object of the same type at `path`."""
    current = get_path(values, path)
    if isinstance(current, list):
        return with_value(values, path, [fake_global_id(type_of(item)) for item in current])
    return with_value(values, path, fake_global_id(type_of(current)))
