"""Who is asking, and what they may do inside one organization."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.rbac import BuiltinRole, Permission
from orm.models import ApiKey, Membership, Organization, RolePermission, User
from orm.queries import flat_values


@dataclass(frozen=True)
class Principal:
    """The caller: a signed-in user, an organization's API key, or nobody."""

    user: User | None = None
    api_key: ApiKey | None = None
    session_id: uuid.UUID | None = None
    # When the access token it came with expires (API keys do not): a WebSocket opened
    # with the token closes then.
    expires_at: datetime | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None or self.api_key is not None

    @property
    def is_platform_admin(self) -> bool:
        return self.user is not None and self.user.is_platform_admin


ANONYMOUS = Principal()


@dataclass(frozen=True)
class OrgAccess:
    organization_id: uuid.UUID
    role_key: str
    permissions: frozenset[str]
    # None for a platform admin acting where they hold no membership.
    role_id: uuid.UUID | None = None

    def allows(self, permission: Permission) -> bool:
        return permission.value in self.permissions


async def load_access(
    principal: Principal, organization_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, OrgAccess]:
    """The principal's access to each organization it may enter (two queries at most).

    Organizations the principal has nothing to do with are absent from the result;
    callers answer those exactly like missing ones.
    """
    wanted = set(organization_ids)
    if not wanted or not principal.is_authenticated:
        return {}
    if principal.is_platform_admin:
        existing = await flat_values(Organization.filter(id__in=wanted), "id")
        everything = frozenset(p.value for p in Permission)
        return {
            org_id: OrgAccess(org_id, BuiltinRole.PLATFORM_ADMIN.value, everything, None)
            for org_id in existing
        }
    if principal.api_key is not None:
        key = principal.api_key
        if key.organization_id not in wanted:
            return {}
        role_by_org = {key.organization_id: (key.role_id, key.role.key)}
    else:
        assert principal.user is not None
        rows = await Membership.filter(
            user_id=principal.user.id, organization_id__in=wanted, organization__is_active=True
        ).values_list("organization_id", "role_id", "role__key")
        role_by_org = {org_id: (role_id, role_key) for org_id, role_id, role_key in rows}
    if not role_by_org:
        return {}
    permissions = await permissions_by_role({role_id for role_id, _ in role_by_org.values()})
    return {
        org_id: OrgAccess(org_id, role_key, permissions.get(role_id, frozenset()), role_id)
        for org_id, (role_id, role_key) in role_by_org.items()
    }


async def permissions_by_role(role_ids: set[uuid.UUID]) -> dict[uuid.UUID, frozenset[str]]:
    rows = await RolePermission.filter(role_id__in=role_ids).values_list("role_id", "permission")
    grouped: dict[uuid.UUID, set[str]] = defaultdict(set)
    for role_id, permission in rows:
        grouped[role_id].add(permission)
    return {role_id: frozenset(perms) for role_id, perms in grouped.items()}
