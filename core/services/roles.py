"""Roles: the built-in ones mirrored from core.rbac, and custom ones.

Whoever grants a role (to a member, an invitation or an API key) must hold every permission
in it inside that organization (`get_grantable`); platform admins hold them all.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.access import OrgAccess, permissions_by_role
from core.errors import DescribedEnum, FieldError, ServiceError
from core.rbac import (
    BUILTIN_ROLE_NAMES,
    BUILTIN_ROLE_PERMISSIONS,
    ORGANIZATION_PERMISSIONS,
    BuiltinRole,
)
from orm.models import ApiKey, Invitation, Membership, Organization, Role, RolePermission

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


class RoleErrorCode(DescribedEnum):
    INVALID_KEY = (
        "invalid_key",
        "`key` is not a lower-case letter followed by 1 to 62 lower-case letters, digits or "
        "underscores.",
    )
    KEY_TAKEN = "key_taken", "A role with this key exists."
    INVALID_NAME = "invalid_name", "`name` is empty or longer than 100 characters."
    INVALID_PERMISSION = (
        "invalid_permission",
        "`permissions` holds a string that is no organization permission (unknown, or "
        "platform-only such as `platform:manage`).",
    )
    INVALID_ROLE = "invalid_role", "No role with this key can be held in an organization."
    ROLE_NOT_GRANTABLE = (
        "role_not_grantable",
        "The role holds a permission the granter lacks in this organization.",
    )
    BUILTIN_ROLE = "builtin_role", "Built-in roles can be neither changed nor deleted."
    ROLE_IN_USE = (
        "role_in_use",
        "Members, pending invitations or unrevoked API keys hold the role; give them another "
        "role first.",
    )


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


async def get_grantable(
    *, key: str, organization: Organization, granted_by: OrgAccess, field: str = "role"
) -> Role:
    """An assignable role whose every permission the granter holds in this organization."""
    role = await get_assignable(key=key, field=field)
    await ensure_grantable(role=role, organization=organization, granted_by=granted_by, field=field)
    return role


async def ensure_grantable(
    *, role: Role, organization: Organization, granted_by: OrgAccess, field: str = "role"
) -> None:
    """Refuse a role holding a permission the granter lacks in this organization."""
    held = granted_by.permissions if granted_by.organization_id == organization.id else frozenset()
    wanted = (await permissions_by_role({role.id})).get(role.id, frozenset())
    if lacking := sorted(wanted - held):
        raise ServiceError.single(
            RoleErrorCode.ROLE_NOT_GRANTABLE,
            f"You can only grant roles whose permissions you hold; you lack {', '.join(lacking)}.",
            field,
        )


async def create(*, key: str, name: str, description: str, permissions: list[str]) -> Role:
    """Create a custom role holding organization permissions."""
    problems = []
    if not _KEY_RE.match(key):
        problems.append(
            FieldError(
                "key", "Use 2-63 lower-case letters, digits or _.", RoleErrorCode.INVALID_KEY
            )
        )
    problems += _problems(name=name, permissions=permissions)
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


async def update(
    *, role: Role, name: str | None, description: str | None, permissions: list[str] | None
) -> Role:
    """Reword or re-permission a custom role; None leaves a field as it is."""
    _ensure_custom(role, "changed")
    if problems := _problems(name=name, permissions=permissions):
        raise ServiceError(*problems)
    async with in_transaction():
        if name is not None:
            role.name = name.strip()
        if description is not None:
            role.description = description.strip()
        await role.save(update_fields=["name", "description", "updated_at"])
        if permissions is not None:
            await _set_permissions(role, set(permissions))
    return role


async def delete(*, role: Role) -> None:
    """Delete a custom role nobody holds; revoked keys and spent invitations naming it go too."""
    _ensure_custom(role, "deleted")
    try:
        async with in_transaction():
            await Role.filter(id=role.id).select_for_update().first()
            await _ensure_unused(role)
            # Nobody can use these any more, and they would keep the role from going.
            await Invitation.filter(role_id=role.id).delete()
            await ApiKey.filter(role_id=role.id).delete()
            await role.delete()
    except IntegrityError as error:  # granted meanwhile
        raise _in_use("Someone was just given this role.") from error


def _ensure_custom(role: Role, verb: str) -> None:
    if role.is_builtin:
        raise ServiceError.single(
            RoleErrorCode.BUILTIN_ROLE, f"Built-in roles cannot be {verb}.", "id"
        )


async def _ensure_unused(role: Role) -> None:
    holders = {
        "members": await Membership.filter(role_id=role.id).count(),
        "pending invitations": await Invitation.filter(
            role_id=role.id, accepted_at=None, revoked_at=None, expires_at__gt=datetime.now(UTC)
        ).count(),
        "API keys": await ApiKey.filter(role_id=role.id, revoked_at=None).count(),
    }
    if any(holders.values()):
        held_by = ", ".join(f"{count} {what}" for what, count in holders.items() if count)
        raise _in_use(f"This role is held by {held_by}; give them another role first.")


def _in_use(message: str) -> ServiceError:
    return ServiceError.single(RoleErrorCode.ROLE_IN_USE, message, "id")


def _problems(*, name: str | None, permissions: list[str] | None) -> list[FieldError]:
    problems = []
    if name is not None and not 1 <= len(name.strip()) <= 100:
        problems.append(
            FieldError("name", "Enter a name of up to 100 characters.", RoleErrorCode.INVALID_NAME)
        )
    allowed = {p.value for p in ORGANIZATION_PERMISSIONS}
    if permissions is not None and (unknown := sorted(set(permissions) - allowed)):
        problems.append(
            FieldError(
                "permissions",
                f"Unknown or platform-only: {', '.join(unknown)}",
                RoleErrorCode.INVALID_PERMISSION,
            )
        )
    return problems


async def _set_permissions(role: Role, wanted: set[str]) -> None:
    current = set(await RolePermission.filter(role=role).values_list("permission", flat=True))
    if stale := current - wanted:
        await RolePermission.filter(role=role, permission__in=stale).delete()
    for permission in sorted(wanted - current):
        await RolePermission.create(role=role, permission=permission)
