from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import (
    MemberError,
    MembershipPayload,
    checked_organization,
)
from graphql_api.organizations.types import MembershipType


@strawberry.input
class MemberUpdateRoleInput:
    membership_id: strawberry.ID
    role: str = strawberry.field(description="A role key, e.g. `member`.")


async def member_update_role(info: Info, input: MemberUpdateRoleInput) -> MembershipPayload:
    """Give a member another role; the last admin cannot be demoted."""
    organization = await checked_organization(info)
    target = info.context.checked_for(info).target
    try:
        membership = await members.update_role(
            organization=organization, membership_id=target.id, role_key=input.role
        )
    except ServiceError as error:
        return MembershipPayload(errors=payload_errors(MemberError, error.errors))
    return MembershipPayload(membership=MembershipType.from_model(membership))
