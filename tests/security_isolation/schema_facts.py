"""What the code and the docs say, read fresh on every run.

- `fields_taking_ids()`: every field of every object type (Query, Mutation, Subscription and
  the rest) with an argument of type ID, directly, in a list, or inside an input object,
  as {"Type.field": {"argument.path", ...}} with GraphQL (camelCase) paths.
- `requirement_of(key)`: what the field's permission extension demands, so expectations follow
  the code (the same reading `graphql_api/permissions_doc.py` does for docs/permissions.md).
- `documented_role_permissions()` / `documented_requirements()`: the tables of
  docs/permissions.md, which the answers are checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
)
from strawberry.permission import PermissionExtension
from strawberry.utils.str_converters import to_camel_case

from core.settings import Settings
from graphql_api.permissions import (
    HasOrgPermission,
    IsAuthenticated,
    IsPlatformAdmin,
    IsUser,
    ObjectArgument,
    OrganizationArgument,
)
from graphql_api.schema import build_schema

PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROOT_TYPES = ("Query", "Mutation", "Subscription")


@dataclass(frozen=True)
class Requirement:
    """What a field's permission extension asks of the caller."""

    # "org": a permission inside the organization `scope_path` names; "platform_admin";
    # "authenticated" (user or API key); "user" (not an API key); "anyone".
    kind: str
    permission: str | None = None
    scope_path: str | None = None  # GraphQL path, e.g. "input.agentId"
    scope_type: str | None = None  # the global id type found there, e.g. "Agent"


@cache
def live_schema() -> Any:
    return build_schema(Settings(introspection_enabled=True))


def _graphql_schema() -> GraphQLSchema:
    return live_schema()._schema


def fields_taking_ids(schema: GraphQLSchema | None = None) -> dict[str, frozenset[str]]:
    """{"Type.field": {id argument paths}} of the live schema (or of `schema`)."""
    schema = schema or _graphql_schema()
    found: dict[str, frozenset[str]] = {}
    for type_name, graphql_type in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            paths: set[str] = set()
            for argument_name, argument in field.args.items():
                _collect_id_paths(argument_name, argument.type, paths, ())
            if paths:
                found[f"{type_name}.{field_name}"] = frozenset(paths)
    return found


def _collect_id_paths(path: str, graphql_type: Any, paths: set[str], seen: tuple[str, ...]) -> None:
    named = get_named_type(graphql_type)
    if named.name == "ID":
        paths.add(path)
    elif isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        for name, field in named.fields.items():
            _collect_id_paths(f"{path}.{name}", field.type, paths, (*seen, named.name))


def _camel_path(python_path: str) -> str:
    return ".".join(to_camel_case(part) for part in python_path.split("."))


def requirement_of(key: str) -> Requirement:
    type_name, field_name = key.split(".")
    graphql_type = _graphql_schema().type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    definition = graphql_type.fields[field_name].extensions["strawberry-definition"]
    for extension in definition.extensions:
        if not isinstance(extension, PermissionExtension):
            continue
        for permission in extension.permissions:
            if isinstance(permission, HasOrgPermission):
                scope = permission.scope
                if isinstance(scope, OrganizationArgument):
                    return Requirement(
                        "org", permission.permission.value, _camel_path(scope.path), "Organization"
                    )
                if isinstance(scope, ObjectArgument):
                    return Requirement(
                        "org", permission.permission.value, _camel_path(scope.path), scope.type_name
                    )
                return Requirement("org", permission.permission.value)
            if isinstance(permission, IsPlatformAdmin):
                return Requirement("platform_admin")
            if isinstance(permission, IsUser):
                return Requirement("user")
            if isinstance(permission, IsAuthenticated):
                return Requirement("authenticated")
    return Requirement("anyone")


def node_types() -> set[str]:
    """Every type that implements Node: each can be asked for with `node(id)`."""
    schema = _graphql_schema()
    node = schema.type_map["Node"]
    return {t.name for t in schema.get_possible_types(node)}  # type: ignore[arg-type]


# --- docs/permissions.md ------------------------------------------------------------------------

_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")


@cache
def documented_role_permissions() -> dict[str, frozenset[str]]:
    """{"member": {"agent:read", ...}, ...} from the "Roles and permissions" table."""
    lines = _section("## Roles and permissions")
    header = next(line for line in lines if line.startswith("| permission |"))
    roles = re.findall(r"`([^`]+)`", header)
    granted: dict[str, set[str]] = {role: set() for role in roles}
    for line in lines:
        match = _ROW.match(line)
        if not match:
            continue
        cells = [cell.strip() for cell in match.group(2).split("|")]
        for role, cell in zip(roles, cells, strict=False):
            if cell == "yes":
                granted[role].add(match.group(1))
    assert granted and all(granted.values()), "docs/permissions.md: no role matrix found"
    return {role: frozenset(permissions) for role, permissions in granted.items()}


@cache
def documented_requirements() -> dict[str, str]:
    """{"Query.agent": "`agent:read` in the Agent's organization (`id`)", ...}."""
    found: dict[str, str] = {}
    type_name = None
    for line in PERMISSIONS_DOC.read_text().splitlines():
        if line.startswith("### "):
            type_name = line[4:].strip()
            continue
        match = _ROW.match(line)
        if type_name and match:
            found[f"{type_name}.{match.group(1)}"] = match.group(2).strip()
    return found


def documented_permission(key: str) -> str | None:
    """The permission string docs/permissions.md names for a field, if any."""
    text = documented_requirements()[key]
    match = re.match(r"`([a-z_]+:[a-z_]+)`", text)
    return match.group(1) if match else None


def _section(title: str) -> list[str]:
    lines = PERMISSIONS_DOC.read_text().splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]
