"""Permission classes declared on fields.

`requires(permission, scope)` resolves the organization a field acts on once,
at the boundary, checks the caller's permission there, and records the result
for the resolver (`info.context.checked_for(info)`). A caller with no access to
that organization gets NOT_FOUND, exactly as if the object did not exist.

The check runs for every field that declares it, items of a list included; when what it
needs is at hand (the organization is the parent object's, and the caller's access to it
was loaded by the field that reached the parent) it runs without waiting, so a plain
resolver stays plain: no coroutine per item (graphql_api/lookahead.py says why that counts).
"""

from __future__ import annotations

import inspect
import uuid
from dataclasses import dataclass
from typing import Any

from strawberry.extensions.field_extension import (
    AsyncExtensionResolver,
    FieldExtension,
    SyncExtensionResolver,
)
from strawberry.permission import BasePermission, PermissionExtension

from core.access import OrgAccess
from core.rbac import Permission
from graphql_api import ids
from graphql_api.context import Checked, Info
from graphql_api.errors import Forbidden, NotFoundError, Unauthenticated
from graphql_api.lookahead import MISSING, cached


class IsAuthenticated(BasePermission):
    message = "Sign in to do this."

    # Plain functions: nothing here waits, so a plain resolver stays plain.
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if not info.context.principal.is_authenticated:
            raise Unauthenticated()
        return True


class IsUser(BasePermission):
    """A person's session, not an API key."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        info.context.require_user()
        return True


class IsPlatformAdmin(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
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
        return self.resolve_now(source, kwargs)

    def resolve_now(self, source: Any, kwargs: dict[str, Any]) -> Scope:
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

    def resolve_now(self, source: Any, kwargs: dict[str, Any]) -> Scope | None:
        return None  # the object is read first


@dataclass(frozen=True)
class SourceOrganization:
    """A field of an object already reached: the object's organization is the scope."""

    what = "Organization"

    async def resolve(self, source: Any, info: Info, kwargs: dict[str, Any]) -> Scope:
        return self.resolve_now(source, kwargs)

    def resolve_now(self, source: Any, kwargs: dict[str, Any]) -> Scope:
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
        self._decide(info, access, target)
        return True

    def has_permission_now(self, source: Any, info: Info, kwargs: dict[str, Any]) -> bool:
        """The same check, made without waiting when the scope and the caller's access to
        it are already known; False (nothing decided) when it has to wait for either."""
        if not info.context.principal.is_authenticated:
            raise Unauthenticated()
        scope = self.scope.resolve_now(source, kwargs)
        if scope is None:
            return False
        organization_id, target = scope
        access: OrgAccess | None = None
        if organization_id is not None:
            known = cached(info.context.loaders.access, organization_id)
            if known is MISSING:
                return False
            access = known
        self._decide(info, access, target)
        return True

    def _decide(self, info: Info, access: OrgAccess | None, target: Any) -> None:
        if access is None:
            raise NotFoundError(self.scope.what)
        if not access.allows(self.permission):
            raise Forbidden()
        info.context.remember_check(info, Checked(access=access, target=target))


class OrgPermissionExtension(PermissionExtension):
    """Strawberry's permission extension for one `HasOrgPermission`, checked without
    waiting when it can be (see the module's docstring). On a plain resolver it answers
    plainly when the check did not wait, and with an awaitable (the check, then the
    resolver) when it had to: graphql-core takes either."""

    # Plain resolvers may carry it: `resolve` below never needs to wait itself.
    supports_sync = True

    def __init__(self, check: HasOrgPermission) -> None:
        super().__init__([check], use_directives=False)
        self.check = check

    def resolve(self, next_: SyncExtensionResolver, source: Any, info: Info, **kwargs: Any) -> Any:
        if self.check.has_permission_now(source, info, kwargs):
            return next_(source, info, **kwargs)
        return self._check_then_resolve(next_, source, info, kwargs)

    async def _check_then_resolve(
        self, next_: SyncExtensionResolver, source: Any, info: Info, kwargs: dict[str, Any]
    ) -> Any:
        await self.check.has_permission(source, info, **kwargs)
        result = next_(source, info, **kwargs)
        return await result if inspect.isawaitable(result) else result

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
    ) -> Any:
        if not self.check.has_permission_now(source, info, kwargs):
            await self.check.has_permission(source, info, **kwargs)
        result = next_(source, info, **kwargs)
        # A subscription's resolver answers with its stream, iterated by Strawberry.
        if inspect.isasyncgen(result):
            return result
        return await result


def requires(permission: Permission, scope: ScopeResolver) -> list[FieldExtension]:
    """Field extensions that enforce `permission` in the organization `scope` names."""
    return [OrgPermissionExtension(HasOrgPermission(permission, scope))]


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
