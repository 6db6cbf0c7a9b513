"""One way to write a mutation: `mutation(resolver, permission=...)` in the mutation's own
module; a ServiceError becomes the payload's errors; error types are static classes."""

from __future__ import annotations

import enum
import sys
from typing import Any

import strawberry
from strawberry.permission import BasePermission, PermissionExtension

from core.errors import FieldError, ServiceError
from core.settings import Settings
from graphql_api.errors import (
    CODE_DESCRIPTION,
    PAYLOAD_ERROR_DESCRIPTION,
    PayloadError,
    ServiceErrorsAsPayload,
    graphql_field_name,
    mutation,
)
from graphql_api.schema import build_schema


def _app_types() -> dict[str, Any]:
    schema = build_schema(Settings(introspection_enabled=True))
    return {
        name: graphql_type.definition
        for name, graphql_type in schema.schema_converter.type_map.items()
    }


def test_every_mutation_is_declared_with_its_permission_in_its_own_module():
    # given
    mutation_fields = _app_types()["Mutation"].fields

    # then: each is the `field` its resolver's module declares, built by `mutation()`
    for field in mutation_fields:
        name, extensions, resolver = field.name, field.extensions, field.base_resolver
        assert any(isinstance(e, ServiceErrorsAsPayload) for e in extensions), name
        assert resolver is not None, name
        module = sys.modules[resolver.wrapped_func.__module__]
        assert getattr(module, "field", None) is field, name


def test_every_payload_error_type_is_a_static_class():
    # given
    error_types = [
        definition
        for name, definition in _app_types().items()
        if name.endswith("Error") and hasattr(definition, "fields")
    ]

    # then: declared by name in a module (not built at run time), on the one base
    assert len(error_types) >= 10
    for definition in error_types:
        cls = definition.origin
        assert issubclass(cls, PayloadError), definition.name
        assert getattr(sys.modules[cls.__module__], cls.__name__) is cls, definition.name
        assert [field.name for field in definition.fields] == ["field", "message", "code"]


def test_field_names_reach_clients_in_camel_case():
    # then
    assert graphql_field_name("max_call_duration_seconds") == "maxCallDurationSeconds"
    assert graphql_field_name("config.business_hours") == "config.businessHours"
    assert graphql_field_name("name") == "name"
    assert graphql_field_name(None) is None


# --- a mutation built the one way, in a schema of its own --------------------------------


class ShoutCode(enum.Enum):
    TOO_LOUD = "too_loud"


class ElsewhereCode(enum.Enum):
    SOMEWHERE_ELSE = "somewhere_else"


strawberry.enum(ShoutCode, name="ShoutErrorCode")


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class ShoutError(PayloadError):
    code: ShoutCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type
class ShoutPayload:
    heard: str | None = None
    errors: list[ShoutError] = strawberry.field(default_factory=list)


class Allowed(BasePermission):
    message = "Not allowed."

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        info.context["steps"].append("permission")
        return bool(info.context["allowed"])


async def shout(info: strawberry.Info, words: str, volume: int) -> ShoutPayload:
    info.context["steps"].append("resolver")
    if volume > 10:
        raise ServiceError(
            FieldError("shout_volume", "Too loud.", ShoutCode.TOO_LOUD),
            FieldError(None, "All of it is too loud.", ShoutCode.TOO_LOUD),
        )
    if volume < 0:
        raise ServiceError.single(ElsewhereCode.SOMEWHERE_ELSE, "A code of another payload.")
    return ShoutPayload(heard=words)


@strawberry.type
class ShoutQuery:
    ok: bool = True


@strawberry.type
class ShoutMutation:
    shout = mutation(shout, permission=[PermissionExtension([Allowed()], use_directives=False)])


SHOUT_SCHEMA = strawberry.Schema(query=ShoutQuery, mutation=ShoutMutation)
SHOUT = """
mutation Shout($volume: Int!) {
  shout(words: "hello", volume: $volume) { heard errors { field message code } }
}
"""


async def _shout(volume: int, *, allowed: bool = True) -> tuple[Any, list[str]]:
    context: dict[str, Any] = {"allowed": allowed, "steps": []}
    result = await SHOUT_SCHEMA.execute(
        SHOUT, variable_values={"volume": volume}, context_value=context
    )
    return result, context["steps"]


async def test_a_service_error_is_the_payloads_errors_in_camel_case():
    # when
    result, _ = await _shout(11)

    # then
    assert result.errors is None
    assert result.data == {
        "shout": {
            "heard": None,
            "errors": [
                {"field": "shoutVolume", "message": "Too loud.", "code": "TOO_LOUD"},
                {"field": None, "message": "All of it is too loud.", "code": "TOO_LOUD"},
            ],
        }
    }


async def test_the_permission_runs_before_the_resolver():
    # when
    allowed, allowed_steps = await _shout(1)
    refused, refused_steps = await _shout(1, allowed=False)

    # then
    assert allowed.data == {"shout": {"heard": "hello", "errors": []}}
    assert allowed_steps == ["permission", "resolver"]
    assert refused.data is None
    assert [error.message for error in refused.errors] == ["Not allowed."]
    assert refused_steps == ["permission"]


async def test_a_code_the_payload_cannot_carry_is_an_error_not_an_answer():
    # when
    result, _ = await _shout(-1)

    # then: a bug, reported as an error (which the app masks), never a wrong code
    assert result.data is None
    [error] = result.errors
    assert isinstance(error.original_error, TypeError)
