"""What a role reaches from the roots it may call, walked over the live schema.

`fields_within_reach(permissions)` follows every Query field the role may call down the
object types (edges, nested objects, payload-free reads, and the object types of an interface
through inline fragments) and returns, for every field of
every object type it arrives at, the shortest selection path from a root. A field guarded
by a permission the role lacks is returned (it is what the caller would ask for) but not
descended into: its answer is FORBIDDEN and null. `selection(path, leaf)` writes that
path as a GraphQL query.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    get_named_type,
)

from tests.security_isolation.schema_facts import Requirement, live_schema, requirement_of

# Roots left out: `node` and `nodes` (test_node.py asks them of every Node type and caller).
SKIPPED_ROOTS = {"Query.node", "Query.nodes"}


@dataclass(frozen=True)
class Step:
    field: str  # GraphQL name; for an inline fragment, "... on <Type>"
    arguments: tuple[tuple[str, Any], ...] = ()

    @property
    def is_fragment(self) -> bool:
        return self.field.startswith("... on ")


@dataclass(frozen=True)
class Reached:
    key: str  # "Type.field"
    path: tuple[Step, ...]  # from the root field down to this field, this field last
    guarded_by: str | None  # the permission the field demands and the role lacks, if any
    named_type: str


def _allowed(requirement: Requirement, permissions: frozenset[str]) -> bool:
    if requirement.kind == "org":
        return requirement.permission in permissions
    return requirement.kind != "platform_admin"


def _required_arguments(
    key: str, field: GraphQLField, ids: dict[str, str], scope_type: str | None
) -> tuple[tuple[str, Any], ...]:
    """Values for a field's required arguments: the world's object of the scope's type."""
    values = []
    for name, argument in field.args.items():
        if not isinstance(argument.type, GraphQLNonNull) or argument.default_value is not Undefined:
            continue
        if get_named_type(argument.type).name == "ID" and scope_type in ids:
            values.append((name, ids[scope_type]))
            continue
        raise AssertionError(f"teach reachable.py a value for {key}({name})")
    return tuple(values)


def fields_within_reach(permissions: frozenset[str], ids: dict[str, str]) -> list[Reached]:
    """Every field of every object type a role holding `permissions` can arrive at.

    `ids` gives the global id to pass where a root field asks for an object of a type
    ("Organization", "Call", ...).
    """
    schema = live_schema()._schema
    reached: list[Reached] = []
    queue: deque[tuple[str, tuple[Step, ...]]] = deque()
    seen: set[str] = set()
    for name, field in schema.query_type.fields.items():
        key = f"Query.{name}"
        requirement = requirement_of(key)
        if key in SKIPPED_ROOTS or not _allowed(requirement, permissions):
            continue
        step = Step(name, _required_arguments(key, field, ids, requirement.scope_type))
        reached.append(Reached(key, (step,), None, get_named_type(field.type).name))
        named = get_named_type(field.type)
        if isinstance(named, GraphQLObjectType):
            queue.append((named.name, (step,)))
    while queue:
        type_name, path = queue.popleft()
        if type_name in seen:
            continue
        seen.add(type_name)
        graphql_type = schema.type_map[type_name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for name, field in graphql_type.fields.items():
            key = f"{type_name}.{name}"
            requirement = requirement_of(key)
            named = get_named_type(field.type)
            step = Step(name, _required_arguments(key, field, ids, None))
            if not _allowed(requirement, permissions):
                reached.append(Reached(key, (*path, step), requirement.permission, named.name))
                continue
            reached.append(Reached(key, (*path, step), None, named.name))
            if isinstance(named, GraphQLObjectType) and named.name not in seen:
                queue.append((named.name, (*path, step)))
            if isinstance(named, GraphQLInterfaceType) and named.name != "Node":
                for implementation in schema.get_possible_types(named):
                    fragment = Step(f"... on {implementation.name}")
                    queue.append((implementation.name, (*path, step, fragment)))
    return reached


def selection(path: tuple[Step, ...], leaf_is_object: bool) -> str:
    """The query that asks for the last step of `path` (by `__typename` if it is an object)."""
    text = "__typename" if leaf_is_object else ""
    for step in reversed(path):
        arguments = ""
        if step.arguments:
            arguments = "(" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in step.arguments) + ")"
        inner = f" {{ {text} }}" if text else ""
        text = f"{step.field}{arguments}{inner}"
    return f"query {{ {text} }}"


def values_at(data: Any, path: tuple[Step, ...]) -> list[Any]:
    """Every value the answer holds at `path` (lists are walked through)."""
    found = [data]
    for step in path:
        if step.is_fragment:  # the answer has no level of its own for it
            continue
        following: list[Any] = []
        for value in found:
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict) and step.field in item:
                    following.append(item[step.field])
        found = following
    return found
