"""Errors raised by services and understood by every transport.

`ServiceError` carries expected, per-field failures (the GraphQL layer turns
them into payload `errors`). `NotFound` and `PermissionDenied` are the two
access failures; a resource of another organization is always `NotFound`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Self


class DescribedEnum(enum.Enum):
    """An enum whose members say what they mean: `NAME = "value", "what it means"`.

    Error codes are written this way: transports publish each member's description with it
    (GraphQL: the enum value's description), so a client learns what a code means from the
    one text written beside the member.
    """

    _value_: str
    description: str

    def __new__(cls, value: str, description: str) -> Self:
        member = object.__new__(cls)
        member._value_ = value
        member.description = description
        return member


@dataclass(frozen=True)
class FieldError:
    # The input's Python field name (snake_case), None for the input as a whole. Transports
    # rename it for their clients (GraphQL: camelCase, in graphql_api/errors.py).
    field: str | None
    message: str
    code: enum.Enum


class ServiceError(Exception):
    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)

    @classmethod
    def single(cls, code: enum.Enum, message: str, field: str | None = None) -> ServiceError:
        return cls(FieldError(field=field, message=message, code=code))


class NotFound(Exception):
    def __init__(self, what: str = "Resource") -> None:
        super().__init__(f"{what} not found")


class PermissionDenied(Exception):
    def __init__(self, message: str = "You do not have permission to do this") -> None:
        super().__init__(message)
