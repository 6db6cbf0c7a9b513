from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import MemberError, MembershipPayload
from graphql_api.organizations.types import MembershipType


@strawberry.input
class InvitationAcceptInput:
    token: str = strawberry.field(description="The token from the invitation link.")


async def invitation_accept(info: Info, input: InvitationAcceptInput) -> MembershipPayload:
    """Join an organization with an invitation sent to your email address."""
    user = info.context.require_user()
    try:
        membership = await members.accept(
            user=user, token=input.token, settings=info.context.settings
        )
    except ServiceError as error:
        return MembershipPayload(errors=payload_errors(MemberError, error.errors))
    return MembershipPayload(membership=MembershipType.from_model(membership))
