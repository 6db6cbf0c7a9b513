"""Document limits beyond depth, aliases and tokens: how many fields and directives.

A document of a thousand copies of one field parses within the token limit but
makes validation compare every pair of them (graphql-core gives up with a bare
"Validation aborted."). The sizes are counted on the parsed document first, in
one linear walk, and a document over a limit is refused with a clear message
before validation or any resolver runs; the others are validated through a
shared cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    IntValueNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import ParserCache, SchemaExtension

from graphql_api.pagination import MAX_PAGE_SIZE


class _Counter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields = 0
        self.directives = 0
        # `first` arguments as written: an int literal, or the name of a variable.
        self.page_sizes: list[int | str] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.fields += 1
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            if isinstance(argument.value, IntValueNode):
                self.page_sizes.append(int(argument.value.value))
            elif isinstance(argument.value, VariableNode):
                self.page_sizes.append(argument.value.name.value)

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.directives += 1


def size_problem(
    document: DocumentNode,
    *,
    max_fields: int,
    max_directives: int,
    variables: dict[str, Any] | None = None,
) -> str | None:
    counter = _Counter()
    visit(document, counter)
    for size in counter.page_sizes:
        value = (variables or {}).get(size) if isinstance(size, str) else size
        # Connections take at most MAX_PAGE_SIZE: refuse a larger page before anything runs.
        if isinstance(value, int) and not 1 <= value <= MAX_PAGE_SIZE:
            return f"`first` must be between 1 and {MAX_PAGE_SIZE}."
    if counter.fields > max_fields:
        return f"The document selects {counter.fields} fields; the limit is {max_fields}."
    if counter.directives > max_directives:
        return f"The document uses {counter.directives} directives; the limit is {max_directives}."
    return None


@lru_cache(maxsize=1)
def _cached_validate():  # type: ignore[no-untyped-def]
    from strawberry.schema.schema import validate_document

    return lru_cache(maxsize=512)(validate_document)


class SizedValidation(SchemaExtension):
    """Refuses oversized documents, then validates the rest through a shared LRU cache."""

    def __init__(self, *, max_fields: int, max_directives: int) -> None:
        self.max_fields = max_fields
        self.max_directives = max_directives

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        problem = size_problem(
            context.graphql_document,
            max_fields=self.max_fields,
            max_directives=self.max_directives,
            variables=context.variables,
        )
        if problem is not None:
            # Like graphql-core's own limit errors, size errors carry no code; a page size is a
            # bad argument, answered BAD_REQUEST as the connection fields always did.
            extensions = {"code": "BAD_REQUEST"} if problem.startswith("`first`") else None
            context.pre_execution_errors = [GraphQLError(problem, extensions=extensions)]
        else:
            context.pre_execution_errors = _cached_validate()(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        yield


class SafeParserCache(ParserCache):
    """Strawberry's parser cache, minus its one flaw: it parses inside the `on_parse` hook,
    outside the try that turns a syntax error (or the token limit) into an answer. Over HTTP
    the view catches it; over WebSocket the operation's task died with a logged traceback
    (quoting the document) and the client got a bare `complete`. A document that does not
    parse is left to Strawberry, which parses it again (at most `max_tokens` tokens) and
    answers with the syntax error.
    """

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            pass
        yield
