"""From a GraphQL input to the typed input of a service, by field name.

Each GraphQL input names its core type in one `to_core()` method, which calls `to_core`
below: every field of the GraphQL input goes to the field of the same name, so adding a
field to both types is all it takes for a value to reach the service. A field the core
type lacks is an error (it would be dropped silently otherwise), unless it is an ID: ids
name what the mutation acts on and are read by the permission check or the resolver.

What the client leaves out is UNSET in the core type. An explicit null is passed on only
where the core field takes None (`phoneNumber: null` releases the number); for any other
field it means the same as leaving it out.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

import strawberry
from strawberry.types.base import StrawberryContainer

T = TypeVar("T")


def to_core(source: Any, core_type: type[T], /, **values: Any) -> T:
    """`core_type` built from the GraphQL input `source`; `values` supplies the fields the
    resolver works out itself (a decoded id)."""
    takes_none = _takes_none(core_type)
    arguments = dict(values)
    for field in type(source).__strawberry_definition__.fields:
        name = field.python_name
        if name in values:
            continue
        if name not in takes_none:
            if _is_id(field.type):
                continue
            raise TypeError(f"{type(source).__name__}.{name} has no field in {core_type.__name__}")
        value = getattr(source, name)
        if value is strawberry.UNSET or (value is None and not takes_none[name]):
            continue
        arguments[name] = value
    return core_type(**arguments)


def _takes_none(core_type: type[Any]) -> dict[str, bool]:
    """Whether each field of the dataclass `core_type` accepts None (worked out once)."""
    known = _TAKES_NONE.get(core_type)
    if known is None:
        hints = typing.get_type_hints(core_type)
        known = _TAKES_NONE[core_type] = {
            field.name: type(None) in typing.get_args(hints[field.name])
            for field in dataclasses.fields(core_type)
        }
    return known


_TAKES_NONE: dict[type[Any], dict[str, bool]] = {}


def _is_id(field_type: Any) -> bool:
    while isinstance(field_type, StrawberryContainer):  # optional, list
        field_type = field_type.of_type
    return field_type is strawberry.ID
