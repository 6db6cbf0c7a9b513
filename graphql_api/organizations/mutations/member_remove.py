from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import MembershipPayload, checked_organization
from graphql_api.organizations.types import MembershipType
from graphql_api.permissions import ObjectArgument, requires


@strawberry.input(description="The membership to end.")
class MemberRemoveInput:
    membership_id: strawberry.ID = strawberry.field(description="The membership's global id.")


async def member_remove(info: Info, input: MemberRemoveInput) -> MembershipPayload:
    """Remove a member who holds no permission you lack; the last admin cannot be removed."""
    organization = await checked_organization(info)
    checked = info.context.checked_for(info)
    removed = await members.remove(
        organization=organization,
        membership_id=checked.target.id,
        removed_by=checked.access,
        bus=info.context.bus,
    )
    return MembershipPayload(membership=MembershipType.from_model(removed))


field = mutation(
    member_remove,
    permission=requires(
        Permission.MEMBER_MANAGE, ObjectArgument("input.membership_id", "Membership", "membership")
    ),
)
