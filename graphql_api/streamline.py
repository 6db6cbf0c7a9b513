"""Plain fields resolved by plain functions: Strawberry's per-field wrapper, where it does nothing.

For every field, Strawberry gives graphql-core a wrapper that, on each resolution,
converts the field's arguments, builds the extension chain, finds which of `self`, `info`
and the arguments the resolver takes, and only then calls it. For a field without
arguments that work has the same outcome every time, so it is done here once per field,
when the schema is built:

- a field read straight off its object (no resolver, no extension) becomes one `getattr`;
- a plain (not async) resolver without arguments, whose extensions can all run plainly,
  becomes one call of its extension chain, built once, ending in the resolver itself.

Anything else keeps Strawberry's wrapper: async resolvers, fields with arguments,
subscriptions, extensions that only run async or that reshape arguments, resolvers that
ask for `root` or `parent`, and schemas with exception handlers. The permission
extensions run exactly as before (the same objects, in the same order), and a resolver
still receives Strawberry's `Info`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLField, GraphQLObjectType, GraphQLResolveInfo
from strawberry.extensions.field_extension import FieldExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Resolve = Callable[..., Any]


def streamline(schema: strawberry.Schema) -> list[str]:
    """Gives the schema's plain fields their plain resolvers; returns their coordinates
    (`Type.field`), for tests and the curious."""
    converter = schema.schema_converter
    if getattr(converter, "_exception_handler_specs", ()):
        return []  # handlers turn exceptions into results inside Strawberry's wrapper
    info_class = schema.config.info_class
    done = []
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, graphql_field in graphql_type.fields.items():
            resolve = _plain_resolver(graphql_field, info_class)
            if resolve is not None:
                graphql_field.resolve = resolve
                done.append(f"{graphql_type.name}.{name}")
    return done


def _plain_resolver(graphql_field: GraphQLField, info_class: type) -> Resolve | None:
    field = (graphql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(field, StrawberryField) or field.is_subscription or graphql_field.args:
        return None
    if field.base_resolver is None:
        if field.extensions:
            return None
        return _attribute(field.python_name, field.default_resolver)
    resolver = field.base_resolver
    if (
        resolver.is_async
        or field.arguments
        or resolver.root_parameter is not None
        or resolver.parent_parameter is not None
        or not all(_runs_plainly(extension) for extension in field.extensions)
    ):
        return None
    function = resolver.wrapped_func
    if not callable(function):  # an unbound staticmethod or classmethod: Strawberry binds it
        return None
    takes_self = resolver.self_parameter is not None
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

    def call(source: Any, info: Any, **kwargs: Any) -> Any:
        if info_name is not None:
            kwargs[info_name] = info
        return function(source, **kwargs) if takes_self else function(**kwargs)

    if not field.extensions and info_name is None:
        if takes_self:
            return lambda source, _info: function(source)
        return lambda _source, _info: function()

    # Strawberry's order: the last extension listed runs first, the resolver last.
    chain: Resolve = call
    for extension in field.extensions:
        chain = partial(extension.resolve, chain)

    def resolve(source: Any, info: GraphQLResolveInfo) -> Any:
        return chain(source, info_class(_raw_info=info, _field=field))

    return resolve


def _attribute(python_name: str, read: Callable[[Any, str], object]) -> Resolve:
    def resolve(source: Any, _info: GraphQLResolveInfo) -> Any:
        return read(source, python_name)

    resolve._is_default = True  # type: ignore[attr-defined]  # as Strawberry marks it
    return resolve


def _runs_plainly(extension: FieldExtension) -> bool:
    return extension.supports_sync and type(extension).map_arguments is FieldExtension.map_arguments
