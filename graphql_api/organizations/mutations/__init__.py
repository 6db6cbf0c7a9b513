"""The organization and member mutations; each module declares its resolver and permission."""

import strawberry

from graphql_api.organizations.mutations import (
    invitation_accept,
    invitation_revoke,
    member_invite,
    member_remove,
    member_update_role,
    organization_create,
    organization_update,
)


@strawberry.type
class OrganizationMutations:
    organization_create = organization_create.field
    organization_update = organization_update.field
    member_invite = member_invite.field
    invitation_accept = invitation_accept.field
    invitation_revoke = invitation_revoke.field
    member_update_role = member_update_role.field
    member_remove = member_remove.field
