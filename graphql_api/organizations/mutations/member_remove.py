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
class MemberRemoveInput:
    membership_id: strawberry.ID


async def member_remove(info: Info, input: MemberRemoveInput) -> MembershipPayload:
    """Remove a member who holds no permission you lack; the last admin cannot be removed."""
    organization = await checked_organization(info)
    checked = info.context.checked_for(info)
    try:
        removed = await members.remove(
            organization=organization,
            membership_id=checked.target.id,
            removed_by=checked.access,
            bus=info.context.bus,
        )
    except ServiceError as error:
        return MembershipPayload(errors=payload_errors(MemberError, error.errors))
    return MembershipPayload(membership=MembershipType.from_model(removed))
