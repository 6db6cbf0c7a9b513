"""Errors raised by services and understood by every transport.

`ServiceError` carries expected, per-field failures (the GraphQL layer turns
them into payload `errors`). `NotFound` and `PermissionDenied` are the two
access failures; a resource of another organization is always `NotFound`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
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
