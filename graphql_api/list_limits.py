"""Every list an operation passes in is bounded, in variables and in literals.

A list argument becomes an `IN (...)` with one parameter per item: 50,000 ids in
`functionIds` or a 200,000-value `status` list made a statement PostgreSQL refuses (at most
32,767 parameters), answered as a masked 500. The bound applies to GraphQL list types only,
found by following the schema's types, so a JSON value (a tool's config, a JSON schema) may
hold longer arrays: its size is bounded by the request body's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    ListValueNode,
    OperationDefinitionNode,
    ValidationRule,
    get_nullable_type,
    is_input_object_type,
    is_list_type,
)
from graphql.utilities import type_from_ast

BAD_REQUEST = {"code": "BAD_REQUEST"}


def list_length_rule(max_items: int) -> type[ValidationRule]:
    """A validation rule refusing list literals over `max_items`; build it once (a new rule
    class per request would defeat the validation cache)."""

    class ListLength(ValidationRule):
        def enter_list_value(self, node: ListValueNode, *_: Any) -> None:
            # The type the list is given to (TypeInfo has already stepped into its items): a
            # list type, or a scalar such as JSON.
            expected = get_nullable_type(self.context.get_parent_input_type())
            if is_list_type(expected) and len(node.values) > max_items:
                self.report_error(
                    GraphQLError(
                        f"A list takes at most {max_items} items; this one holds "
                        f"{len(node.values)}.",
                        node,
                        extensions=BAD_REQUEST,
                    )
                )

    return ListLength


def variable_list_error(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    *,
    max_items: int,
) -> GraphQLError | None:
    """The refusal of the first variable holding a list over `max_items`, before
    graphql-core coerces (and copies) every item of it."""
    if not variables:
        return None
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for variable in definition.variable_definitions or ():
            name = variable.variable.name.value
            declared = type_from_ast(schema, variable.type)
            if name not in variables or declared is None:
                continue
            longest = _longest_list(variables[name], declared, max_items)
            if longest > max_items:
                return GraphQLError(
                    f"A list takes at most {max_items} items; variable '${name}' holds one "
                    f"of {longest}.",
                    variable,
                    extensions=BAD_REQUEST,
                )
    return None


def _longest_list(value: Any, input_type: Any, max_items: int) -> int:
    """The length of the first list over `max_items` in `value` (read as `input_type`), or
    of the longest one when none is over; follows list and input object types only."""
    longest = 0
    pending = [(value, input_type)]
    while pending:
        value, input_type = pending.pop()
        input_type = get_nullable_type(input_type)
        if is_list_type(input_type) and isinstance(value, list):
            if len(value) > max_items:
                return len(value)
            longest = max(longest, len(value))
            pending.extend((item, input_type.of_type) for item in value)
        elif is_input_object_type(input_type) and isinstance(value, dict):
            pending.extend(
                (value[field_name], field.type)
                for field_name, field in input_type.fields.items()
                if field_name in value
            )
    return longest
