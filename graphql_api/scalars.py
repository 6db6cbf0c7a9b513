"""The JSON scalar, refusing the numbers JSON does not have and absurd nesting.

Python's JSON reader accepts `NaN`, `Infinity` and reads `1e999` as infinity; PostgreSQL's
`jsonb` refuses all three, which made a masked 500 of them. Strawberry's own JSON scalar
passes anything through; this one walks the value (without recursion) and answers with a
coded error instead.
"""

from __future__ import annotations

import math
from typing import Any

import strawberry
from graphql import GraphQLError, ValueNode
from graphql.utilities import value_from_ast_untyped
from strawberry.scalars import JSON

NOT_FINITE = "JSON numbers must be finite (NaN and Infinity are not JSON)."
# Deeper values would reach the interpreter's recursion limit when stored or answered.
MAX_DEPTH = 64
TOO_DEEP = f"JSON values may nest at most {MAX_DEPTH} levels."
_SPECIFICATION = (
    "https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf"
)


def _checked(value: Any) -> Any:
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise GraphQLError(NOT_FINITE, extensions={"code": "BAD_REQUEST"})
        if isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                raise GraphQLError(TOO_DEEP, extensions={"code": "BAD_REQUEST"})
            items = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in items)
    return value


def _parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
    return _checked(value_from_ast_untyped(node, variables))


# Name, description and URL as Strawberry's, so the published schema does not change.
FiniteJSON = strawberry.scalar(
    name="JSON",
    description=(
        "The `JSON` scalar type represents JSON values as specified by "
        f"[ECMA-404]({_SPECIFICATION})."
    ),
    specified_by_url=_SPECIFICATION,
    serialize=lambda value: value,
    parse_value=_checked,
    parse_literal=_parse_literal,
)

SCALAR_OVERRIDES: dict[object, Any] = {JSON: FiniteJSON}
