"""What each field requires, from its permission extension: in docs/permissions.md (rendered
with core.rbac's roles) and at the end of the field's description in the schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import GraphQLNonNull
from strawberry.permission import PermissionExtension
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from core.rbac import (
    BUILTIN_ROLE_NAMES,
    BUILTIN_ROLE_PERMISSIONS,
    PERMISSION_DESCRIPTIONS,
    BuiltinRole,
    Permission,
)
from graphql_api.errors import graphql_field_name
from graphql_api.permissions import (
    HasOrgPermission,
    IsAuthenticated,
    IsPlatformAdmin,
    IsUser,
    ObjectArgument,
    OrganizationArgument,
)

if TYPE_CHECKING:
    import strawberry


def field_requirements() -> dict[str, list[tuple[str, str]]]:
    """{"Query": [(field, requirement)], "Mutation": [...], "<Type>": [...]} from the schema."""
    from core.settings import Settings
    from graphql_api.schema import build_schema

    schema = build_schema(Settings(introspection_enabled=True))
    found: dict[str, list[tuple[str, str]]] = {}
    for graphql_type in schema.schema_converter.type_map.values():
        definition = graphql_type.definition
        if not isinstance(definition, StrawberryObjectDefinition) or definition.is_input:
            continue
        for field in definition.fields:
            requirement = field_requirement(field)
            if requirement is None and definition.name not in ("Query", "Mutation"):
                continue
            name = schema.config.name_converter.get_graphql_name(field)
            found.setdefault(definition.name, []).append((name, requirement or "anyone"))
    return found


def describe_requirements(schema: strawberry.Schema) -> None:
    """Ends the description of every field that checks a permission with what it requires,
    so a client reads it beside the field (and, for a nullable field, what a caller without
    it gets). A field without a description of its own is left without one (the schema's
    description test names it)."""
    for concrete in schema.schema_converter.type_map.values():
        definition = concrete.definition
        if not isinstance(definition, StrawberryObjectDefinition) or definition.is_input:
            continue
        graphql_fields = getattr(concrete.implementation, "fields", {})
        for field in definition.fields:
            requirement = field_requirement(field)
            graphql_field = graphql_fields.get(schema.config.name_converter.get_graphql_name(field))
            if requirement is None or graphql_field is None or not graphql_field.description:
                continue
            if isinstance(graphql_field.type, GraphQLNonNull):
                sentence = f"Requires: {requirement}."
            else:
                sentence = f"Requires: {requirement}; otherwise null, with the error."
            graphql_field.description = f"{graphql_field.description} {sentence}"


def field_requirement(field: StrawberryField) -> str | None:
    """What the field's permission extension requires, in words; None: anyone."""
    for extension in field.extensions:
        if not isinstance(extension, PermissionExtension):
            continue
        for permission in extension.permissions:
            if isinstance(permission, HasOrgPermission):
                scope = permission.scope
                path = graphql_field_name(getattr(scope, "path", None))
                if isinstance(scope, OrganizationArgument):
                    where = f"the organization `{path}`"
                elif isinstance(scope, ObjectArgument):
                    where = f"the {scope.type_name}'s organization (`{path}`)"
                else:
                    where = "this object's organization"
                return f"`{permission.permission.value}` in {where}"
            if isinstance(permission, IsPlatformAdmin):
                return "platform admin"
            if isinstance(permission, IsUser):
                return "a signed-in user (not an API key)"
            if isinstance(permission, IsAuthenticated):
                return "signed in (user or API key)"
    return None


def render() -> str:
    roles = list(BuiltinRole)
    lines = [
        "# Permissions",
        "",
        "Generated from `core/rbac.py` and the GraphQL schema by `voiceagents permissions-doc`;",
        "`tests/graphql_server/test_schema_file.py` fails when this file is stale.",
        "",
        "A caller without access to an organization gets `NOT_FOUND` for it and everything in it,",
        "exactly as if it did not exist; a member without the permission gets `FORBIDDEN`.",
        "An API key acts only inside its own organization, with the role it was created with.",
        "",
        "## Roles and permissions",
        "",
        "| permission | " + " | ".join(f"`{r.value}`" for r in roles) + " | meaning |",
        "| --- | " + " | ".join("---" for _ in roles) + " | --- |",
    ]
    for permission in Permission:
        marks = " | ".join(
            "yes" if permission in BUILTIN_ROLE_PERMISSIONS[r] else "" for r in roles
        )
        lines.append(f"| `{permission.value}` | {marks} | {PERMISSION_DESCRIPTIONS[permission]} |")
    lines += [
        "",
        "Role names: " + ", ".join(f"`{r.value}` ({BUILTIN_ROLE_NAMES[r]})" for r in roles) + ".",
        "Custom roles, created by a platform admin with `roleCreate`, hold any organization",
        "permission (never `platform:manage`); `roleUpdate` changes and `roleDelete` deletes",
        "them (`ROLE_IN_USE` while a member, a pending invitation or an unrevoked API key holds",
        "one; revoked keys and spent invitations naming a deleted role are deleted with it).",
        "Built-in roles can be neither changed nor deleted (`BUILTIN_ROLE`).",
        "",
        "Granting a role (`memberUpdateRole`, `memberInvite`, `apiKeyCreate`) needs every",
        "permission the role holds, inside that organization (`ROLE_NOT_GRANTABLE` otherwise;",
        "platform admins hold them all), and nobody changes their own role (`OWN_ROLE`).",
        "A role is taken away only by someone who could grant it: `memberUpdateRole` and",
        "`memberRemove` refuse (`ROLE_NOT_GRANTABLE`) a member whose current role holds a",
        "permission the caller lacks, so `member:manage` alone cannot demote or remove an admin.",
        "",
        "## What each field requires",
        "",
    ]
    requirements = field_requirements()
    for type_name in ["Query", "Mutation", *sorted(set(requirements) - {"Query", "Mutation"})]:
        if type_name not in requirements:
            continue
        lines += [f"### {type_name}", "", "| field | requires |", "| --- | --- |"]
        for field, requirement in sorted(requirements[type_name]):
            lines.append(f"| `{field}` | {requirement} |")
        lines.append("")
    return "\n".join(lines)
