"""Public errors, payload error types, and the masker for everything else.

Only a small family of errors reaches a client as written: UNAUTHENTICATED,
FORBIDDEN, NOT_FOUND, BAD_REQUEST, and GraphQL's own parse, validation and
limit errors. Anything else becomes "Unexpected error" with a reference that
is also in the server log beside the traceback.
"""

from __future__ import annotations

import enum
import logging
import re
import secrets
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

from core.errors import FieldError

log = logging.getLogger("graphql_api.errors")


class ErrorCode(enum.StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_REQUEST = "BAD_REQUEST"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class PublicError(Exception):
    """An error whose message and code are safe to show to the caller."""

    code = ErrorCode.BAD_REQUEST

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # graphql-core copies `extensions` of the original error into the response.
        self.extensions = {"code": self.code.value}


class Unauthenticated(PublicError):
    code = ErrorCode.UNAUTHENTICATED

    def __init__(self, message: str = "Sign in to do this.") -> None:
        super().__init__(message)


class Forbidden(PublicError):
    code = ErrorCode.FORBIDDEN

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message)


class NotFoundError(PublicError):
    code = ErrorCode.NOT_FOUND

    def __init__(self, what: str = "Resource") -> None:
        super().__init__(f"{what} not found.")


class BadRequest(PublicError):
    code = ErrorCode.BAD_REQUEST


def is_public(error: GraphQLError) -> bool:
    # No original error: a syntax, validation or limit error from graphql-core itself.
    original = error.original_error
    if original is None or isinstance(original, PublicError):
        return True
    # graphql-core's complaint about the request's variables, raised before any resolver
    # runs (so no path): it describes the caller's input, not the server.
    return isinstance(original, GraphQLError) and error.path is None


class PublicErrorsOnly(SchemaExtension):
    """Masks unexpected errors and logs each once, with the reference the client sees.

    With introspection off (production), graphql-core's own messages (validation, and the
    coercion of variables) lose their "Did you mean ...?" suggestions, which would spell
    out the schema that introspection hides, and every copy of what the caller sent
    ("found: {...}", "cannot represent value: ..."), which would carry it into responses,
    proxies' logs and error trackers.
    """

    def __init__(self, *, hide_suggestions: bool = False) -> None:
        self.hide_suggestions = hide_suggestions

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, (GraphQLExecutionResult, StrawberryExecutionResult)):
            self._mask(result)
        elif initial := getattr(result, "initial_result", None):
            self._mask(initial)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # Over WebSocket each result is sent before `on_operation` resumes: masked only
        # there, a subscription's (or a query's) errors reached the client unmasked, and
        # production's validation errors kept their suggestions.
        self._mask(result)
        yield

    def _mask(self, result: Any) -> None:
        if not getattr(result, "errors", None):
            return
        errors = [mask_error(error) for error in result.errors]
        if self.hide_suggestions:
            errors = [_without_suggestion_or_echo(error) for error in errors]
        result.errors = errors


# graphql-core's message templates (graphql/utilities/validate_input_value.py,
# graphql/type/scalars.py, GraphQLEnumType): what each rewrite removes, in order.
_REWRITES = (
    # " Did you mean 'RINGING'?", " Did you mean the enum value 'RINGING'?"
    (re.compile(r"\s*Did you mean [^?]*\?"), ""),
    # ", found: {...}." and ". Found: {...}." end the input-value messages.
    (re.compile(r"[,.;]?\s*[Ff]ound: .*$", re.S), "."),
    # "Expected value of type 'JSON', but encountered error '<the scalar's own text>'."
    (re.compile(r", but encountered error '.*'(?=\.$)", re.S), ""),
    # "Int cannot represent non-integer value: 'ten'", "ID cannot represent value: {...}"
    (re.compile(r"(cannot represent [^:]*): .*$", re.S), r"\1."),
    # "Value 'RINGNG' does not exist in 'CallStatus' enum."
    (
        re.compile(r"Value '.*' does not exist in ('\w+') enum\.", re.S),
        r"Value does not exist in \1 enum.",
    ),
)


def _without_suggestion_or_echo(error: GraphQLError) -> GraphQLError:
    # Our own errors say only what we wrote. (Unexpected ones are masked by now.)
    if isinstance(error.original_error, PublicError):
        return error
    message = error.message
    for pattern, replacement in _REWRITES:
        message = pattern.sub(replacement, message)
    if message == error.message:
        return error
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=error.extensions,
    )


def mask_error(error: GraphQLError) -> GraphQLError:
    if is_public(error):
        return error
    reference = secrets.token_hex(8)
    log.error(
        "unexpected error in GraphQL operation (reference %s)",
        reference,
        exc_info=error.original_error,
        extra={"error_reference": reference, "graphql_path": error.path},
    )
    return GraphQLError(
        message=f"Unexpected error. Reference: {reference}",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value, "reference": reference},
    )


def payload_errors(error_type: type, errors: list[FieldError]) -> list[Any]:
    """Service field errors as a domain's payload error objects."""
    return [error_type(field=e.field, message=e.message, code=e.code) for e in errors]


def error_type(name: str, code_enum: type[enum.Enum]) -> type:
    """A payload error type `<name>` with `field`, `message` and a `code` from `code_enum`."""
    code_type = strawberry.enum(code_enum, name=f"{name}Code")
    namespace = {
        # Real annotation objects: this class is built at run time, not parsed from source.
        "__annotations__": {"field": str | None, "message": str, "code": code_type},
        "field": strawberry.field(
            description="The input field at fault, in camelCase; null when it is the whole input."
        ),
    }
    return strawberry.type(
        type(name, (), namespace),
        name=name,
        description="A problem with the input; `code` says which.",
    )
