from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import (
    InvitationPayload,
    MemberError,
    checked_organization,
)
from graphql_api.organizations.types import InvitationType


@strawberry.input
class MemberInviteInput:
    organization_id: strawberry.ID
    email: str
    role: str = strawberry.field(description="A role key, e.g. `member`, `org_admin`, `billing`.")


async def member_invite(info: Info, input: MemberInviteInput) -> InvitationPayload:
    """Invite someone by email with a role you hold; they get a link that works for 7 days."""
    organization = await checked_organization(info)
    try:
        invitation = await members.invite(
            organization=organization,
            inviter=info.context.principal.user,
            email=input.email,
            role_key=input.role,
            granted_by=info.context.checked_for(info).access,
            settings=info.context.settings,
        )
    except ServiceError as error:
        return InvitationPayload(errors=payload_errors(MemberError, error.errors))
    return InvitationPayload(invitation=InvitationType.from_model(invitation))
