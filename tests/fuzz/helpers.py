"""What the fuzz suite needs beside schemathesis: JSON values, argument dictionaries,
and the check that a response leaks nothing of the server's insides.
"""

from __future__ import annotations

import builtins
import json
import re
from typing import Any

import graphql
from hypothesis import strategies as st
from schemathesis.graphql import nodes

PUBLIC_CODES = frozenset(
    {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_REQUEST",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "NOT_FOUND",
    }
)
MASKED_MESSAGE = re.compile(r"Unexpected error\. Reference: [0-9a-f]{16}")

# Python's own exception names plus those of the libraries under the API: any of these in
# a response means an exception's text reached the client.
EXCEPTION_NAMES = frozenset(
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
) | {
    "IntegrityError",
    "OperationalError",
    "DoesNotExist",
    "MultipleObjectsReturned",
    "TransactionManagementError",
    "ParamsError",
    "ConfigurationError",
    "PostgresError",
    "UniqueViolationError",
    "JSONDecodeError",
    "ValidationError",
    "SchemaError",
    "DecodeError",
    "InvalidTokenError",
    "ExpiredSignatureError",
    "InvalidSignatureError",
    "StripeError",
    "TwirpError",
    "HTTPStatusError",
    "ConnectError",
}
_EXCEPTION_NAME = re.compile(r"\b(" + "|".join(sorted(EXCEPTION_NAMES)) + r")\b")
_LEAK_MARKERS = ("Traceback", 'File "', "site-packages", "tortoise.", "asyncpg.", "sqlite3.")


def _json_leaf() -> st.SearchStrategy[graphql.ValueNode]:
    return st.one_of(
        st.just(nodes.Null),
        st.booleans().map(nodes.Boolean),
        st.integers(min_value=-(2**40), max_value=2**40).map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(nodes.Float),
        st.text(max_size=20).map(nodes.String),
    )


def _object(pairs: list[tuple[str, graphql.ValueNode]]) -> graphql.ObjectValueNode:
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=value)
            for key, value in pairs
        ]
    )


# Keys from the shapes the API reads (JSON schemas, tool configs, header maps), so a
# generated object now and then looks like the real thing.
_KEYS = st.one_of(
    st.sampled_from(["type", "properties", "required", "items", "enum", "calendarId", "url"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
)

JSON_VALUES: st.SearchStrategy[graphql.ValueNode] = st.recursive(
    _json_leaf(),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(nodes.List),
        st.lists(st.tuples(_KEYS, children), max_size=4, unique_by=lambda pair: pair[0]).map(
            _object
        ),
    ),
    max_leaves=12,
)


def argument_paths(schema: graphql.GraphQLSchema) -> dict[str, list[str]]:
    """Binding keys (`Type.field.arg.path`) of every root-field argument, by kind.

    Kinds: `id` (ID scalars), `role` (role keys), `permission` (permission strings).
    """
    found: dict[str, list[str]] = {"id": [], "role": [], "permission": []}

    def walk(prefix: str, name: str, type_: graphql.GraphQLInputType, depth: int) -> None:
        named = graphql.get_named_type(type_)
        is_list = isinstance(graphql.get_nullable_type(type_), graphql.GraphQLList)
        key = f"{prefix}.{name}" + ("[*]" if is_list else "")
        if isinstance(named, graphql.GraphQLInputObjectType) and depth < 3:
            for field_name, field in named.fields.items():
                walk(key, field_name, field.type, depth + 1)
        elif named is graphql.GraphQLID:
            found["id"].append(key)
        elif named is graphql.GraphQLString and name in ("role", "roleKey"):
            found["role"].append(key)
        elif named is graphql.GraphQLString and name == "permissions":
            found["permission"].append(key)

    for root in (schema.query_type, schema.mutation_type):
        if root is None:
            continue
        for field_name, field in root.fields.items():
            for arg_name, arg in field.args.items():
                walk(f"{root.name}.{field_name}", arg_name, arg.type, 0)
    return found


def problems(status: int, text: str) -> list[str]:
    """Everything wrong with one response: a 5xx, a leak, or an error outside the rules."""
    found = []
    if status >= 500:
        found.append(f"HTTP {status}")
    for marker in _LEAK_MARKERS:
        if marker in text:
            found.append(f"response contains {marker!r}")
    if match := _EXCEPTION_NAME.search(text):
        found.append(f"response names the exception {match.group(0)}")
    try:
        body = json.loads(text)
    except ValueError:
        return [*found, "response is not JSON"]
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        return [*found, "response is not a GraphQL result"]
    for error in body.get("errors") or []:
        found.extend(_error_problems(error))
    return found


def _error_problems(error: dict[str, Any]) -> list[str]:
    extensions = error.get("extensions") or {}
    code = extensions.get("code")
    message = error.get("message", "")
    if set(extensions) - {"code", "reference"}:
        return [f"error extensions carry {sorted(extensions)}"]
    if code in PUBLIC_CODES:
        return []
    if code == "INTERNAL_SERVER_ERROR":
        if not MASKED_MESSAGE.fullmatch(message):
            return [f"unmasked internal error: {message!r}"]
        # Masked correctly, but an input the API did not expect: a bug all the same.
        return [f"unexpected error at {error.get('path')} (reference {extensions['reference']})"]
    if code is not None:
        return [f"error code {code!r} outside the public set"]
    # Every error has a code (docs/api.md): one without is graphql-core's own (e.g. a null
    # in a non-null field) and reached the client unmasked.
    return [f"uncoded error on {error.get('path')}: {message!r}"]
