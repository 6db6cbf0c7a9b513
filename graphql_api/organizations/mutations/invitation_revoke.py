from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import InvitationPayload, checked_organization
from graphql_api.organizations.types import InvitationType
from graphql_api.permissions import ObjectArgument, requires


@strawberry.input(description="The invitation to withdraw.")
class InvitationRevokeInput:
    id: strawberry.ID = strawberry.field(description="The invitation's global id.")


async def invitation_revoke(info: Info, input: InvitationRevokeInput) -> InvitationPayload:
    """Withdraw a pending invitation; its link stops working."""
    organization = await checked_organization(info)
    target = info.context.checked_for(info).target
    invitation = await members.revoke_invitation(organization=organization, invitation_id=target.id)
    return InvitationPayload(invitation=InvitationType.from_model(invitation))


field = mutation(
    invitation_revoke,
    permission=requires(
        Permission.MEMBER_MANAGE, ObjectArgument("input.id", "Invitation", "invitation")
    ),
)
