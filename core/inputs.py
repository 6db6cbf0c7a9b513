"""Typed inputs of services: "not given", and checking each field by its own rule.

A service takes a frozen dataclass of the values it writes (`AgentCreate`,
`AgentChanges`, ...). An update type leaves every field `UNSET` by default, so
"not given" is told apart from None (which, for some fields, means "clear it").
A service writes every field of its input, so a new field reaches the database
without anyone adding it to a list: `given()` and `Changes.changes()` read the
dataclass's own fields.

Problems are keyed by the input's Python field name (snake_case); transports
rename them for their clients (GraphQL: once, in `graphql_api/errors.py`).
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, TypeAlias, TypeVar

from tortoise.models import Model

from core.errors import FieldError, ServiceError

T = TypeVar("T")


class Unset(enum.Enum):
    """The type of UNSET: an enum of one member, so type checkers can narrow it away."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        # Never mistaken for a value: `if changes.x:` skips it like None (test `is UNSET`
        # where the difference matters).
        return False


UNSET = Unset.UNSET
# A field that may be left out: its value, or UNSET.
Maybe: TypeAlias = T | Literal[Unset.UNSET]


def given(values: Any) -> dict[str, Any]:
    """The fields of a typed input (a dataclass instance) by name, leaving out the UNSET ones."""
    return {
        field.name: value
        for field in dataclasses.fields(values)
        if (value := getattr(values, field.name)) is not UNSET
    }


class Changes:
    """Base of an update's input: a frozen dataclass whose fields all default to UNSET."""

    def changes(self) -> dict[str, Any]:
        """The fields given, by name: exactly what the update changes."""
        return given(self)


class Invalid(Exception):
    """A value breaks its field's rule; `clean` names the field (and the path `at` inside
    it, for a field whose value is an object: `analysis_plan.summary_prompt`)."""

    def __init__(self, message: str, code: enum.Enum, *, at: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.at = at


# A field's rule: the value to store, or Invalid (an async rule may look things up).
Rule: TypeAlias = Callable[[Any], Any | Awaitable[Any]]


async def clean(values: Mapping[str, Any], rules: Mapping[str, Rule]) -> dict[str, Any]:
    """Each value through its field's rule (a field without one is stored as given); every
    problem at once, keyed by field name, as one ServiceError."""
    cleaned: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, value in values.items():
        rule = rules.get(name)
        try:
            result = rule(value) if rule is not None else value
            cleaned[name] = await result if inspect.isawaitable(result) else result
        except Invalid as invalid:
            where = f"{name}.{invalid.at}" if invalid.at else name
            problems.append(FieldError(where, invalid.message, invalid.code))
    if problems:
        raise ServiceError(*problems)
    return cleaned


def columns(model: type[Model], values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` to write onto `model`'s row; a field the model has no column for is a bug
    (a field added to an input type but not to the model), which Tortoise would drop
    silently."""
    missing = sorted(set(values) - set(model._meta.fields_db_projection))
    if missing:
        raise TypeError(f"{model.__name__} has no column for {', '.join(missing)}")
    return dict(values)
