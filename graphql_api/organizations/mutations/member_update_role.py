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
    """Give someone else a role you hold yourself; the last admin cannot be demoted."""
    organization = await checked_organization(info)
    checked = info.context.checked_for(info)
    try:
        membership = await members.update_role(
            organization=organization,
            membership_id=checked.target.id,
            role_key=input.role,
            granted_by=checked.access,
            changed_by=info.context.principal.user,
            bus=info.context.bus,
        )
    except ServiceError as error:
        return MembershipPayload(errors=payload_errors(MemberError, error.errors))
    return MembershipPayload(membership=MembershipType.from_model(membership))
