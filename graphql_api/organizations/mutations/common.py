from __future__ import annotations

import strawberry

from core.services.members import MemberErrorCode
from core.services.organizations import OrganizationErrorCode
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, error_type
from graphql_api.organizations.types import InvitationType, MembershipType, OrganizationType
from orm.models import Organization

OrganizationError = error_type("OrganizationError", OrganizationErrorCode)
MemberError = error_type("MemberError", MemberErrorCode)


@strawberry.type
class OrganizationPayload:
    organization: OrganizationType | None = None
    errors: list[OrganizationError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class MembershipPayload:
    membership: MembershipType | None = None
    errors: list[MemberError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class InvitationPayload:
    invitation: InvitationType | None = None
    errors: list[MemberError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def checked_organization(info: Info) -> Organization:
    """The organization the field's permission check resolved."""
    organization = await info.context.loaders.organization.load(
        info.context.checked_for(info).access.organization_id
    )
    if organization is None:
        raise NotFoundError("Organization")
    return organization
