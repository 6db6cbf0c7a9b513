from __future__ import annotations

import strawberry

from core.services.members import MemberErrorCode
from core.services.organizations import OrganizationErrorCode
from graphql_api.context import Info
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import (
    CODE_DESCRIPTION,
    PAYLOAD_ERROR_DESCRIPTION,
    NotFoundError,
    Payload,
    PayloadError,
)
from graphql_api.organizations.types import InvitationType, MembershipType, OrganizationType
from orm.models import Organization

error_code_enum(
    OrganizationErrorCode,
    name="OrganizationErrorCode",
    description="Why `organizationCreate` or `organizationUpdate` refused its input.",
)
error_code_enum(
    MemberErrorCode,
    name="MemberErrorCode",
    description="Why a member or invitation mutation refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class OrganizationError(PayloadError):
    code: OrganizationErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class MemberError(PayloadError):
    code: MemberErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The organization created or changed.")
class OrganizationPayload(Payload[OrganizationError]):
    organization: OrganizationType | None = strawberry.field(
        default=None, description="The organization as saved."
    )


@strawberry.type(description="The membership joined, changed or ended.")
class MembershipPayload(Payload[MemberError]):
    membership: MembershipType | None = strawberry.field(
        default=None,
        description="The membership as saved; after `memberRemove`, as it was before.",
    )


@strawberry.type(description="The invitation sent or withdrawn.")
class InvitationPayload(Payload[MemberError]):
    invitation: InvitationType | None = strawberry.field(
        default=None, description="The invitation as saved."
    )


async def checked_organization(info: Info) -> Organization:
    """The organization the field's permission check resolved."""
    organization = await info.context.loaders.organization.load(
        info.context.checked_for(info).access.organization_id
    )
    if organization is None:
        raise NotFoundError("Organization")
    return organization
