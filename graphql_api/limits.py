"""Document limits beyond depth, aliases and tokens: bytes, fields and directives.

A document of a thousand copies of one field parses within the token limit but
makes validation compare every pair of them (graphql-core gives up with a bare
"Validation aborted."). The sizes are counted on the parsed document first, in
one linear walk, and a document over a limit is refused with a clear message
before validation or any resolver runs; the others are validated through a
shared cache.

Every refusal carries `extensions.code`: a limit is BAD_REQUEST, any other validation
failure GRAPHQL_VALIDATION_FAILED. Page sizes are not checked here: each connection has its
own maximum, checked by its field (graphql_api/pagination.py), whose error has a path.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    ValidationContext,
    ValidationRule,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import ParserCache, SchemaExtension, max_aliases, query_depth_limiter
from strawberry.schema.schema import validate_document

from graphql_api.errors import ErrorCode
from graphql_api.list_limits import variable_list_error

T = TypeVar("T")

LIMIT_EXCEEDED = {"code": ErrorCode.BAD_REQUEST.value}
VALIDATION_FAILED = {"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value}


def with_code(error: GraphQLError, extensions: dict[str, Any]) -> GraphQLError:
    """`error` with `extensions` added, unless it already has a code."""
    if (error.extensions or {}).get("code"):
        return error
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        {**(error.extensions or {}), **extensions},
    )


def byte_size(text: str) -> int:
    """UTF-8 size; a lone surrogate (JSON allows `\\ud800`) counts as its three bytes."""
    return len(text.encode("utf-8", "surrogatepass"))


def document_size_error(query: object, max_bytes: int) -> GraphQLError | None:
    """The refusal of a document over `max_bytes`, for the transports to answer before the
    parser reads it: the token limit skips comments, so an 8 MB comment after `{ __typename }`
    passed it and kept the event loop scanning for seconds."""
    if not isinstance(query, str):
        return None
    size = byte_size(query)
    if size <= max_bytes:
        return None
    return GraphQLError(
        f"The document is {size} bytes; the limit is {max_bytes}.", extensions=LIMIT_EXCEEDED
    )


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    """Strawberry's depth limiter, minus its crash on a spread of a fragment the document does
    not define: a KeyError whose text (`'Nope'`) was the whole answer. graphql-core's own
    rule reports the unknown fragment; the depth of such a document is not measured."""
    limiter: Any = query_depth_limiter.create_validator(max_depth, None)

    class DepthLimit(limiter):
        def __init__(self, context: ValidationContext) -> None:
            if _spreads_an_undefined_fragment(context.document):
                ValidationRule.__init__(self, context)
            else:
                super().__init__(_ReportsCoded(context))

    return DepthLimit


def alias_limit_rule(max_alias_count: int) -> type[ValidationRule]:
    """Strawberry's alias limiter, its refusal coded as a limit."""
    limiter: Any = max_aliases.create_validator(max_alias_count)

    class AliasLimit(limiter):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(_ReportsCoded(context))

    return AliasLimit


class _ReportsCoded:
    """A validation context whose reported errors carry the code of a limit: Strawberry's
    limiters report to their context directly, with no code."""

    def __init__(self, context: ValidationContext) -> None:
        self._context = context

    def report_error(self, error: GraphQLError) -> None:
        self._context.report_error(with_code(error, LIMIT_EXCEEDED))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


class _FragmentSpreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        self.names.add(node.name.value)


def _spreads_an_undefined_fragment(document: DocumentNode) -> bool:
    defined = {
        definition.name.value
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    spreads = _FragmentSpreads()
    visit(document, spreads)
    return not spreads.names <= defined


class _Counter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.fields = 0
        self.directives = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.fields += 1

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        self.directives += 1


def size_problem(document: DocumentNode, *, max_fields: int, max_directives: int) -> str | None:
    counter = _Counter()
    visit(document, counter)
    if counter.fields > max_fields:
        return f"The document selects {counter.fields} fields; the limit is {max_fields}."
    if counter.directives > max_directives:
        return f"The document uses {counter.directives} directives; the limit is {max_directives}."
    return None


class PerDocument:
    """Results computed from a parsed document, remembered for the last `maxsize` documents.

    The parser cache hands the same document object back for the same text, so a result
    is computed once per document, not per request. Entries are found by the document's
    identity: a document hashes and compares by walking all its nodes (the validation
    cache did that on every request). An entry holds its document, so that id is not
    reused while it lives, and the `key` it was computed under (schema, rules, limits)."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[int, tuple[DocumentNode, object, Any]] = OrderedDict()

    def get(self, document: DocumentNode, key: object, compute: Callable[[], T]) -> T:
        entry = self._entries.get(id(document))
        if entry is not None and entry[0] is document and entry[1] == key:
            self._entries.move_to_end(id(document))
            return cast(T, entry[2])
        value = compute()
        self._entries[id(document)] = (document, key, value)
        self._entries.move_to_end(id(document))
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return value


_SIZE_PROBLEMS = PerDocument(maxsize=512)
_VALIDATION_ERRORS = PerDocument(maxsize=512)


def _validate_once(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]
) -> list[GraphQLError]:
    return _VALIDATION_ERRORS.get(
        document, (schema, rules), lambda: validate_document(schema, document, rules)
    )


def _cached_validate() -> Callable[..., list[GraphQLError]]:
    """The validation step (tests replace it to watch or break it)."""
    return _validate_once


class SizedValidation(SchemaExtension):
    """Refuses oversized documents, then validates the rest through a shared LRU cache, then
    refuses variables holding a list over the limit. Every error it reports has a code."""

    def __init__(self, *, max_fields: int, max_directives: int, max_list_items: int) -> None:
        self.max_fields = max_fields
        self.max_directives = max_directives
        self.max_list_items = max_list_items

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        assert document is not None, "validation runs on a parsed document"
        limits = (self.max_fields, self.max_directives)
        problem = _SIZE_PROBLEMS.get(
            document,
            limits,
            lambda: size_problem(document, max_fields=limits[0], max_directives=limits[1]),
        )
        if problem is not None:
            context.pre_execution_errors = [GraphQLError(problem, extensions=LIMIT_EXCEEDED)]
        else:
            errors = _cached_validate()(
                context.schema._schema, document, tuple(context.validation_rules)
            )
            # Variables change with every request: their lists are counted after the cache.
            too_long = (
                None
                if errors
                else variable_list_error(
                    context.schema._schema,
                    document,
                    context.variables,
                    max_items=self.max_list_items,
                )
            )
            # The limit rules coded their own refusals; the rest are graphql-core's rules.
            context.pre_execution_errors = (
                [too_long] if too_long else [with_code(e, VALIDATION_FAILED) for e in errors]
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
