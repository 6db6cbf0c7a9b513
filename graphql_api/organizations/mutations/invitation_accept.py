from __future__ import annotations

import strawberry

from core.services import members
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import MembershipPayload
from graphql_api.organizations.types import MembershipType
from graphql_api.permissions import user_only


@strawberry.input(description="The invitation to accept, for the signed-in user.")
class InvitationAcceptInput:
    token: str = strawberry.field(description="The token from the invitation link.")


async def invitation_accept(info: Info, input: InvitationAcceptInput) -> MembershipPayload:
    """Join an organization with an invitation sent to your email address."""
    user = info.context.require_user()
    membership = await members.accept(user=user, token=input.token, settings=info.context.settings)
    return MembershipPayload(membership=MembershipType.from_model(membership))


field = mutation(invitation_accept, permission=user_only())
