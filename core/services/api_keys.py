"""API keys: an organization's credentials for partners and servers.

A key is `vak_<prefix>_<secret>`; only its SHA-256 digest is stored and the
whole key is shown once, at creation.
"""

from __future__ import annotations

import enum
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from core import tenancy
from core.access import OrgAccess, Principal
from core.errors import DescribedEnum, NotFound, ServiceError
from core.events import EventBus, RevocationKind
from core.security.tokens import digest, digests_match
from core.services import credentials, roles
from orm.models import ApiKey, Organization, User

KEY_PREFIX = "vak"
# Writing last_used_at on every request would make each call a write; a minute is enough.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiKeyErrorCode(DescribedEnum):
    INVALID_NAME = "invalid_name", "`name` is empty or longer than 100 characters."
    INVALID_ROLE = (
        "invalid_role",
        "`role` names no role that can be held in an organization (`platform_admin` cannot).",
    )
    ROLE_NOT_GRANTABLE = (
        "role_not_grantable",
        "The role holds a permission you lack in this organization: a key gets only a role "
        "whose every permission its creator holds.",
    )


# Keyed by any code: the role service's errors carry `enum.Enum` codes.
_ROLE_CODES: dict[enum.Enum, ApiKeyErrorCode] = {
    roles.RoleErrorCode.INVALID_ROLE: ApiKeyErrorCode.INVALID_ROLE,
    roles.RoleErrorCode.ROLE_NOT_GRANTABLE: ApiKeyErrorCode.ROLE_NOT_GRANTABLE,
}


async def create(
    *,
    organization: Organization,
    name: str,
    role_key: str,
    created_by: User | None,
    granted_by: OrgAccess,
) -> tuple[ApiKey, str]:
    """Create a key with a role the granter holds; returns the row and the plain key, shown once."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise ServiceError.single(
            ApiKeyErrorCode.INVALID_NAME, "Enter a name of up to 100 characters.", "name"
        )
    try:
        role = await roles.get_grantable(
            key=role_key, organization=organization, granted_by=granted_by
        )
    except ServiceError as error:
        problem = error.errors[0]
        raise ServiceError.single(_ROLE_CODES[problem.code], problem.message, "role") from error
    prefix = secrets.token_hex(6)
    plain = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = await ApiKey.create(
        organization=organization,
        name=name,
        role=role,
        prefix=prefix,
        key_hash=digest(plain),
        created_by=created_by,
    )
    return key, plain


async def get_all(*, organization: Organization) -> list[ApiKey]:
    """The organization's keys, revoked ones included, newest first."""
    return await ApiKey.filter(organization_id=organization.id).order_by("-created_at")


async def revoke(
    *, organization: Organization, api_key_id: uuid.UUID, bus: EventBus | None
) -> ApiKey:
    """Revoke a key; it stops working on the next request, and its sockets close."""
    key = await ApiKey.get_or_none(id=api_key_id, organization_id=organization.id)
    if key is None:
        raise NotFound("API key")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        await key.save(update_fields=["revoked_at", "updated_at"])
    await credentials.announce(
        bus=bus, kind=RevocationKind.API_KEY, subject_id=key.id, reason="revoked"
    )
    return key


async def authenticate(*, plain: str) -> Principal | None:
    """The principal behind a presented key, or None."""
    # The secret is urlsafe base64 and may itself contain "_": split twice only.
    parts = plain.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    # The key's organization first (its public prefix names it), then the key in that
    # organization's scope, where its secret is checked.
    organization_id = await tenancy.api_key_organization(parts[1])
    if organization_id is None:
        return None
    with tenancy.tenant_scope([organization_id]):
        key = await ApiKey.get_or_none(
            prefix=parts[1], revoked_at=None, organization__is_active=True
        ).select_related("role")
        if key is None or not digests_match(plain, key.key_hash):
            return None
        now = datetime.now(UTC)
        if key.last_used_at is None or now - key.last_used_at > _LAST_USED_RESOLUTION:
            await ApiKey.filter(id=key.id).update(last_used_at=now)
    return Principal(api_key=key)
