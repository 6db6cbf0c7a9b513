"""Descriptions in the public schema: where each comes from, and the check that none is missing.

Every type, field, argument and enum value of the schema has a description
(tests/graphql_server/test_schema_descriptions.py fails on a new one without). Most are
written beside what they describe; where one text would otherwise be copied, it has a
single source:

- a mutation: its resolver's docstring, first paragraph (`graphql_api.errors.mutation`);
  its `input` argument: the input type's description;
- a payload's `errors`: the `Payload` base (graphql_api/errors.py);
- an error code: the core enum member's own description (`core.errors.DescribedEnum`),
  published by `error_code_enum`;
- the permission a field needs: added from its permission extension when the schema is
  built (`graphql_api.permissions_doc.describe_requirements`), the same source as
  docs/permissions.md.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Mapping
from typing import Annotated, TypeVar

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)
from graphql.type import is_introspection_type, is_specified_scalar_type
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

from core.errors import DescribedEnum

E = TypeVar("E", bound=enum.Enum)
D = TypeVar("D", bound=DescribedEnum)

# The argument of every field that lists what one organization holds, described once.
OrganizationId = Annotated[
    strawberry.ID,
    strawberry.argument(description="The organization's global id."),
]


def summary(docstring: str | None) -> str | None:
    """The first paragraph of a docstring, on one line: what a client reads. Later
    paragraphs are for the code's readers."""
    if not docstring:
        return None
    first = inspect.cleandoc(docstring).split("\n\n", 1)[0]
    return " ".join(first.split()) or None


def described_enum(
    core_enum: type[E], *, name: str, description: str, values: Mapping[E, str]
) -> type[E]:
    """`core_enum` as the GraphQL enum `name`, each value described by `values`; a member
    without a description fails at import."""
    missing = [member.name for member in core_enum if not values.get(member)]
    if missing:
        raise TypeError(f"{name}: no description for {missing}")
    wrapped = strawberry.enum(core_enum, name=name, description=description)
    for value in _enum_definition(wrapped).values:
        value.description = values[core_enum[value.name]]
    return wrapped


def _enum_definition(enum_class: object) -> StrawberryEnumDefinition:
    """What `strawberry.enum` attached to the class (its return type does not say so)."""
    if not has_enum_definition(enum_class):
        raise TypeError(f"{enum_class!r} is not a Strawberry enum")
    return enum_class.__strawberry_definition__


def error_code_enum(core_enum: type[D], *, name: str, description: str) -> type[D]:
    """A service's error codes as the GraphQL enum `name`, each value described by the
    core member's own description."""
    return described_enum(
        core_enum,
        name=name,
        description=description,
        values={member: member.description for member in core_enum},
    )


def undocumented(schema: GraphQLSchema) -> list[str]:
    """Every element of `schema` without a description: types (but GraphQL's own scalars and
    introspection types), fields and arguments of objects and interfaces, fields of input
    objects, enum values. Named `Type`, `Type.field`, `Type.field(argument)`, `Enum.VALUE`."""
    missing: list[str] = []
    for name, named_type in sorted(schema.type_map.items()):
        if is_introspection_type(named_type) or is_specified_scalar_type(named_type):
            continue
        if not named_type.description:
            missing.append(name)
        if isinstance(named_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({argument_name})"
                    for argument_name, argument in field.args.items()
                    if not argument.description
                )
        elif isinstance(named_type, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in named_type.fields.items()
                if not field.description
            )
        elif isinstance(named_type, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in named_type.values.items()
                if not value.description
            )
    return missing
