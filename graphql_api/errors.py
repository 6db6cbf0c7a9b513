"""Public errors, payload errors and the one way to write a mutation; the masker.

A mutation's expected failures are data: its resolver (or the service it calls)
raises `ServiceError`, and `mutation(...)` turns it into the payload's `errors`,
with the field names in the client's camelCase.

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
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast

import strawberry
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types.base import StrawberryContainer, StrawberryList
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from core.errors import FieldError, ServiceError
from graphql_api.descriptions import summary

log = logging.getLogger("graphql_api.errors")


class ErrorCode(enum.StrEnum):
    """`extensions.code` of every GraphQL error (docs/api.md lists when each is given)."""

    # The document does not parse.
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    # The document does not fit the schema (an unknown field, a wrong argument type, ...).
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # A bad value (variables, an argument, a cursor) or a limit exceeded.
    BAD_REQUEST = "BAD_REQUEST"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
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
            self.mask(result)
        elif initial := getattr(result, "initial_result", None):
            self.mask(initial)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # Over WebSocket each result is sent before `on_operation` resumes: masked only
        # there, a subscription's (or a query's) errors reached the client unmasked, and
        # production's validation errors kept their suggestions.
        self.mask(result)
        yield

    def mask(self, result: Any) -> None:
        """Mask the errors of one result (an operation's, or one event of a subscription)."""
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


# graphql-core's parser refuses a document over the token limit with a syntax error.
_TOKEN_LIMIT = re.compile(r"^Syntax Error: Document contains more than \d+ tokens\.")


def with_error_code(error: GraphQLError) -> GraphQLError:
    """A public error with its `extensions.code`: our own errors and limits carry one,
    graphql-core's parse errors and its refusals of the request's variables do not."""
    if (error.extensions or {}).get("code"):
        return error
    if _TOKEN_LIMIT.match(error.message):
        code = ErrorCode.BAD_REQUEST
    elif isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error:"):
        code = ErrorCode.GRAPHQL_PARSE_FAILED
    else:
        code = ErrorCode.BAD_REQUEST
    extensions = {**(error.extensions or {}), "code": code.value}
    if isinstance(error, GraphQLSyntaxError):
        # Coded in place: the class must stay (graphql-transport-ws closes with 4400 on a
        # syntax error), and the parser raises a new one each time (it is never cached).
        error.extensions = extensions
        return error
    return GraphQLError(
        message=error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


def mask_error(error: GraphQLError) -> GraphQLError:
    if is_public(error):
        return with_error_code(error)
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


# --- expected errors: data in a mutation's payload -------------------------------------------


@strawberry.type
class PayloadError:
    """Base of every payload error type (`AgentError`, ...): each adds its `code` enum."""

    field: str | None = strawberry.field(
        description="The input field at fault, in camelCase; null when it is the whole input."
    )
    message: str = strawberry.field(description="What is wrong, for a person to read.")


PAYLOAD_ERROR_DESCRIPTION = "A problem with the input; `code` says which."
CODE_DESCRIPTION = "Which problem it is: stable, for programs to act on."

E = TypeVar("E", bound=PayloadError)


@strawberry.type
class Payload(Generic[E]):
    """Base of every mutation payload (`AgentPayload(Payload[AgentError])`): its `errors`,
    described once; each payload adds what the mutation returns."""

    errors: list[E] = strawberry.field(
        default_factory=list,
        description="Why the mutation was refused, one entry per problem; empty when it "
        "succeeded. While not empty, the payload's other fields are null (or false).",
    )


def graphql_field_name(field: str | None) -> str | None:
    """A service's field name (snake_case; dotted when nested) as the client spells it."""
    if field is None:
        return None
    return ".".join(to_camel_case(part) for part in field.split("."))


class ServiceErrorsAsPayload(FieldExtension):
    """A `ServiceError` raised by the mutation's resolver becomes its payload's `errors`.

    The payload is the resolver's return type; the error type is the item type of the
    payload's `errors` field, and a service's codes must be that type's code enum.
    """

    payload: type
    error: type
    codes: type[enum.Enum]

    def apply(self, field: StrawberryField) -> None:
        payload = field.type
        errors = _field_named(payload, "errors")
        errors_type = _specialized(payload, errors.type) if errors is not None else None
        if not isinstance(errors_type, StrawberryList):
            raise TypeError(f"{field.python_name}: the payload needs `errors: list[...Error]`")
        error = errors_type.of_type
        code = _field_named(error, "code")
        enum_definition = getattr(code, "type", None)
        if not isinstance(enum_definition, StrawberryEnumDefinition):
            raise TypeError(f"{field.python_name}: the error type needs a `code` enum")
        self.payload = cast(type, payload)
        self.error = cast(type, error)
        self.codes = cast(type[enum.Enum], enum_definition.wrapped_cls)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Any, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except ServiceError as error:
            return self.payload(errors=[self._error(problem) for problem in error.errors])

    def _error(self, problem: FieldError) -> Any:
        if not isinstance(problem.code, self.codes):
            # A code the payload's enum cannot carry is a bug, not an answer for the client.
            raise TypeError(f"{problem.code!r} is not a {self.codes.__name__}")
        return self.error(
            field=graphql_field_name(problem.field), message=problem.message, code=problem.code
        )


def _specialized(strawberry_type: Any, field_type: Any) -> Any:
    """A field's type with the arguments of its type's generic base filled in: `errors` of
    `AgentPayload(Payload[AgentError])` is a list of `AgentError`."""
    type_vars = strawberry_type.__strawberry_definition__.specialized_type_var_map
    return field_type.copy_with(type_vars) if type_vars else field_type


def _field_named(strawberry_type: Any, name: str) -> StrawberryField | None:
    definition = getattr(strawberry_type, "__strawberry_definition__", None)
    fields = definition.fields if definition is not None else []
    return next((field for field in fields if field.python_name == name), None)


def mutation(
    resolver: Callable[..., Awaitable[Any]],
    *,
    permission: Sequence[FieldExtension],
    name: str | None = None,
    description: str | None = None,
) -> Any:
    """The one way to declare a mutation: `permission` (from graphql_api.permissions) is
    checked before the resolver runs; a ServiceError the resolver raises is the payload's
    `errors`. Each mutation's module ends with `field = mutation(resolve, permission=...)`.

    The schema describes the mutation with `description`, or else the first paragraph of
    the resolver's docstring (write it for the client), and its `input` argument with the
    input type's own description.
    """
    # Strawberry chains field extensions from the resolver outwards: the last runs first.
    field = strawberry.mutation(
        resolver=resolver,
        name=name,
        description=description or summary(resolver.__doc__),
        extensions=[ServiceErrorsAsPayload(), *permission],
    )
    for argument in field.arguments:
        if argument.python_name == "input" and argument.description is None:
            argument.description = _description_of(argument.type)
    return field


def _description_of(strawberry_type: Any) -> str | None:
    while isinstance(strawberry_type, StrawberryContainer):  # `SignOutInput | None`
        strawberry_type = strawberry_type.of_type
    definition = getattr(strawberry_type, "__strawberry_definition__", None)
    return definition.description if definition is not None else None
