from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import InvitationPayload, checked_organization
from graphql_api.organizations.types import InvitationType
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.input(description="Who to invite, where, and with which role.")
class MemberInviteInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization to invite to."
    )
    email: str = strawberry.field(
        description="Where the link is mailed; only an account with this address can accept."
    )
    role: str = strawberry.field(description="A role key, e.g. `member`, `org_admin`, `billing`.")


async def member_invite(info: Info, input: MemberInviteInput) -> InvitationPayload:
    """Invite someone by email with a role you hold; they get a link that works for 7 days."""
    organization = await checked_organization(info)
    invitation = await members.invite(
        organization=organization,
        inviter=info.context.principal.user,
        email=input.email,
        role_key=input.role,
        granted_by=info.context.checked_for(info).access,
        settings=info.context.settings,
    )
    return InvitationPayload(invitation=InvitationType.from_model(invitation))


field = mutation(
    member_invite,
    permission=requires(Permission.MEMBER_MANAGE, OrganizationArgument("input.organization_id")),
)
