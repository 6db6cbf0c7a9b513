"""Who is asking, and what they may do inside one organization."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
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


async def load_access_many(
    requests: Sequence[tuple[Principal, uuid.UUID]],
) -> list[OrgAccess | None]:
    """`load_access` for many principals at once, each of one organization: for each
    (principal, organization), what `load_access(principal, [organization])` would give for
    it, None where it has none. Three queries at most, for any number of requests (the timed
    re-checks of many live streams, core/services/access_rechecks.py)."""
    admins = [org for principal, org in requests if principal.is_platform_admin]
    existing = (
        set(await flat_values(Organization.filter(id__in=set(admins)), "id")) if admins else set()
    )
    users = {
        principal.user.id
        for principal, _ in requests
        if principal.user is not None
        and principal.api_key is None
        and not principal.is_platform_admin
    }
    role_by_member: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, str]] = {}
    if users:
        rows = await Membership.filter(
            user_id__in=users,
            organization_id__in={org for _, org in requests},
            organization__is_active=True,
        ).values_list("user_id", "organization_id", "role_id", "role__key")
        role_by_member = {(user, org): (role_id, key) for user, org, role_id, key in rows}
    roles: list[tuple[uuid.UUID, str] | None] = []
    for principal, org in requests:
        if not principal.is_authenticated or principal.is_platform_admin:
            roles.append(None)
        elif principal.api_key is not None:
            key = principal.api_key
            roles.append((key.role_id, key.role.key) if key.organization_id == org else None)
        else:
            assert principal.user is not None
            roles.append(role_by_member.get((principal.user.id, org)))
    role_ids = {role[0] for role in roles if role is not None}
    permissions = await permissions_by_role(role_ids) if role_ids else {}
    everything = frozenset(p.value for p in Permission)
    found: list[OrgAccess | None] = []
    for (principal, org), role in zip(requests, roles, strict=True):
        if principal.is_platform_admin:
            found.append(
                OrgAccess(org, BuiltinRole.PLATFORM_ADMIN.value, everything, None)
                if org in existing
                else None
            )
        elif role is None:
            found.append(None)
        else:
            found.append(OrgAccess(org, role[1], permissions.get(role[0], frozenset()), role[0]))
    return found


async def permissions_by_role(role_ids: set[uuid.UUID]) -> dict[uuid.UUID, frozenset[str]]:
    rows = await RolePermission.filter(role_id__in=role_ids).values_list("role_id", "permission")
    grouped: dict[uuid.UUID, set[str]] = defaultdict(set)
    for role_id, permission in rows:
        grouped[role_id].add(permission)
    return {role_id: frozenset(perms) for role_id, perms in grouped.items()}
