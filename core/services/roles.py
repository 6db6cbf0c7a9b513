"""Roles: the built-in ones mirrored from core.rbac, and custom ones."""

from __future__ import annotations

import enum
import re

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import FieldError, ServiceError
from core.rbac import (
    BUILTIN_ROLE_NAMES,
    BUILTIN_ROLE_PERMISSIONS,
    ORGANIZATION_PERMISSIONS,
    BuiltinRole,
)
from orm.models import Role, RolePermission

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


class RoleErrorCode(enum.Enum):
    INVALID_KEY = "invalid_key"
    KEY_TAKEN = "key_taken"
    INVALID_NAME = "invalid_name"
    INVALID_PERMISSION = "invalid_permission"
    INVALID_ROLE = "invalid_role"


async def sync_builtin_roles() -> None:
    """Make the built-in roles in the database match core.rbac exactly (idempotent)."""
    async with in_transaction():
        for builtin, permissions in BUILTIN_ROLE_PERMISSIONS.items():
            role, _ = await Role.get_or_create(
                key=builtin.value,
                defaults={"name": BUILTIN_ROLE_NAMES[builtin], "is_builtin": True},
            )
            if not role.is_builtin or role.name != BUILTIN_ROLE_NAMES[builtin]:
                role.is_builtin = True
                role.name = BUILTIN_ROLE_NAMES[builtin]
                await role.save()
            await _set_permissions(role, {p.value for p in permissions})


async def get_all() -> list[Role]:
    """Every role, built-in first."""
    return await Role.all().order_by("-is_builtin", "key")


async def get_assignable(*, key: str, field: str = "role") -> Role:
    """A role that may be held inside an organization (not platform_admin)."""
    role = None
    if key != BuiltinRole.PLATFORM_ADMIN.value:
        role = await Role.get_or_none(key=key)
    if role is None:
        raise ServiceError.single(RoleErrorCode.INVALID_ROLE, f"There is no role {key!r}.", field)
    return role


async def create(*, key: str, name: str, description: str, permissions: list[str]) -> Role:
    """Create a custom role holding organization permissions."""
    problems = []
    if not _KEY_RE.match(key):
        problems.append(
            FieldError(
                "key", "Use 2-63 lower-case letters, digits or _.", RoleErrorCode.INVALID_KEY
            )
        )
    if not 1 <= len(name.strip()) <= 100:
        problems.append(
            FieldError("name", "Enter a name of up to 100 characters.", RoleErrorCode.INVALID_NAME)
        )
    allowed = {p.value for p in ORGANIZATION_PERMISSIONS}
    unknown = sorted(set(permissions) - allowed)
    if unknown:
        problems.append(
            FieldError(
                "permissions",
                f"Unknown or platform-only: {', '.join(unknown)}",
                RoleErrorCode.INVALID_PERMISSION,
            )
        )
    if problems:
        raise ServiceError(*problems)
    taken = ServiceError.single(RoleErrorCode.KEY_TAKEN, "A role with this key exists.", "key")
    if await Role.exists(key=key):
        raise taken
    try:
        async with in_transaction():
            role = await Role.create(key=key, name=name.strip(), description=description.strip())
            await _set_permissions(role, set(permissions))
    except IntegrityError as error:
        raise taken from error
    return role


async def _set_permissions(role: Role, wanted: set[str]) -> None:
    current = set(await RolePermission.filter(role=role).values_list("permission", flat=True))
    if stale := current - wanted:
        await RolePermission.filter(role=role, permission__in=stale).delete()
    for permission in sorted(wanted - current):
        await RolePermission.create(role=role, permission=permission)
