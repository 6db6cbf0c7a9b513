import strawberry

from core.rbac import Permission
from graphql_api.organizations.mutations.invitation_accept import invitation_accept
from graphql_api.organizations.mutations.invitation_revoke import invitation_revoke
from graphql_api.organizations.mutations.member_invite import member_invite
from graphql_api.organizations.mutations.member_remove import member_remove
from graphql_api.organizations.mutations.member_update_role import member_update_role
from graphql_api.organizations.mutations.organization_create import organization_create
from graphql_api.organizations.mutations.organization_update import organization_update
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires, user_only

_MEMBERSHIP = ObjectArgument("input.membership_id", "Membership", "membership")


@strawberry.type
class OrganizationMutations:
    organization_create = strawberry.mutation(resolver=organization_create, extensions=user_only())
    organization_update = strawberry.mutation(
        resolver=organization_update,
        extensions=requires(Permission.ORG_MANAGE, OrganizationArgument("input.id")),
    )
    member_invite = strawberry.mutation(
        resolver=member_invite,
        extensions=requires(
            Permission.MEMBER_MANAGE, OrganizationArgument("input.organization_id")
        ),
    )
    invitation_accept = strawberry.mutation(resolver=invitation_accept, extensions=user_only())
    invitation_revoke = strawberry.mutation(
        resolver=invitation_revoke,
        extensions=requires(
            Permission.MEMBER_MANAGE, ObjectArgument("input.id", "Invitation", "invitation")
        ),
    )
    member_update_role = strawberry.mutation(
        resolver=member_update_role, extensions=requires(Permission.MEMBER_MANAGE, _MEMBERSHIP)
    )
    member_remove = strawberry.mutation(
        resolver=member_remove, extensions=requires(Permission.MEMBER_MANAGE, _MEMBERSHIP)
    )
