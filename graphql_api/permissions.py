"""Permission classes declared on fields.

`requires(permission, scope)` resolves the organization a field acts on once,
at the boundary, checks the caller's permission there, and records the result
for the resolver (`info.context.checked_for(info)`). A caller with no access to
that organization gets NOT_FOUND, exactly as if the object did not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension

from core.rbac import Permission
from graphql_api import ids
from graphql_api.context import Checked, Info
from graphql_api.errors import Forbidden, NotFoundError, Unauthenticated


class IsAuthenticated(BasePermission):
    message = "Sign in to do this."

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if not info.context.principal.is_authenticated:
            raise Unauthenticated()
        return True


class IsUser(BasePermission):
    """A person's session, not an API key."""

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require_user()
        return True


class IsPlatformAdmin(BasePermission):
    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = info.context.principal
        if not principal.is_authenticated:
            raise Unauthenticated()
        if not principal.is_platform_admin:
            raise Forbidden("Only platform admins can do this.")
        return True


Scope = tuple[uuid.UUID | None, Any]


def _dig(kwargs: dict[str, Any], path: str) -> Any:
    value: Any = kwargs
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


@dataclass(frozen=True)
class OrganizationArgument:
    """The organization is named by a global id argument, e.g. `input.organization_id`."""

    path: str = "organization_id"
    what = "Organization"

    async def resolve(self, source: Any, info: Info, kwargs: dict[str, Any]) -> Scope:
        return ids.decode(_dig(kwargs, self.path), "Organization"), None


@dataclass(frozen=True)
class ObjectArgument:
    """The field names an object by global id; its organization is the scope."""

    path: str
    type_name: str
    loader: str

    @property
    def what(self) -> str:
        return self.type_name

    async def resolve(self, source: Any, info: Info, kwargs: dict[str, Any]) -> Scope:
        object_id = ids.decode(_dig(kwargs, self.path), self.type_name)
        found = await getattr(info.context.loaders, self.loader).load(object_id)
        if found is None:
            return None, None
        return found.organization_id, found


@dataclass(frozen=True)
class SourceOrganization:
    """A field of an object already reached: the object's organization is the scope."""

    what = "Organization"

    async def resolve(self, source: Any, info: Info, kwargs: dict[str, Any]) -> Scope:
        return source.organization_id, source


ScopeResolver = OrganizationArgument | ObjectArgument | SourceOrganization


class HasOrgPermission(BasePermission):
    def __init__(self, permission: Permission, scope: ScopeResolver) -> None:
        self.permission = permission
        self.scope = scope

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        context = info.context
        if not context.principal.is_authenticated:
            raise Unauthenticated()
        organization_id, target = await self.scope.resolve(source, info, kwargs)
        access = await context.loaders.access.load(organization_id) if organization_id else None
        if access is None:
            raise NotFoundError(self.scope.what)
        if not access.allows(self.permission):
            raise Forbidden()
        context.remember_check(info, Checked(access=access, target=target))
        return True


def requires(permission: Permission, scope: ScopeResolver) -> list[FieldExtension]:
    """Field extensions that enforce `permission` in the organization `scope` names."""
    return [PermissionExtension([HasOrgPermission(permission, scope)], use_directives=False)]


def anyone() -> list[FieldExtension]:
    """No check: the input itself is the credential (a password, a mailed token), or the
    answer is the same for everyone (a password reset request)."""
    return []


def authenticated() -> list[FieldExtension]:
    return [PermissionExtension([IsAuthenticated()], use_directives=False)]


def user_only() -> list[FieldExtension]:
    return [PermissionExtension([IsUser()], use_directives=False)]


def platform_admin() -> list[FieldExtension]:
    return [PermissionExtension([IsPlatformAdmin()], use_directives=False)]
