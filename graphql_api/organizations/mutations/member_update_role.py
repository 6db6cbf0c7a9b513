from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import members
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import MembershipPayload, checked_organization
from graphql_api.organizations.types import MembershipType
from graphql_api.permissions import ObjectArgument, requires


@strawberry.input(description="Whose role to change, and to which.")
class MemberUpdateRoleInput:
    membership_id: strawberry.ID = strawberry.field(description="The membership's global id.")
    role: str = strawberry.field(description="A role key, e.g. `member`.")


async def member_update_role(info: Info, input: MemberUpdateRoleInput) -> MembershipPayload:
    """Give someone else a role you hold yourself; the last admin cannot be demoted."""
    organization = await checked_organization(info)
    checked = info.context.checked_for(info)
    membership = await members.update_role(
        organization=organization,
        membership_id=checked.target.id,
        role_key=input.role,
        granted_by=checked.access,
        changed_by=info.context.principal.user,
        bus=info.context.bus,
    )
    return MembershipPayload(membership=MembershipType.from_model(membership))


field = mutation(
    member_update_role,
    permission=requires(
        Permission.MEMBER_MANAGE, ObjectArgument("input.membership_id", "Membership", "membership")
    ),
)
