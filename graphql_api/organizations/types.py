from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.rbac import Permission
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.permissions import SourceOrganization, requires
from graphql_api.roles.types import RoleType
from orm.models import Invitation, Membership, Organization

if TYPE_CHECKING:
    from graphql_api.agents.types import AgentConnection
    from graphql_api.api_keys.types import ApiKeyType

_SOURCE = SourceOrganization()


@strawberry.type(name="Organization", description="A tenant: a business and everything it owns.")
class OrganizationType(relay.Node):
    id: relay.NodeID[str]
    name: str
    slug: str
    description: str
    website: str
    business_details: JSON
    is_active: bool
    created_at: datetime
    model: strawberry.Private[Organization]

    @property
    def organization_id(self):  # type: ignore[no-untyped-def]
        return self.model.id

    @strawberry.field(description="Your role here (null for platform admins who are not members).")
    async def viewer_role(self, info: Info) -> RoleType | None:
        access = await info.context.loaders.access.load(self.model.id)
        if access is None or access.role_id is None:
            return None
        role = await info.context.loaders.role.load(access.role_id)
        return RoleType.from_model(role) if role else None

    @strawberry.field(description="What you may do here, as permission strings.")
    async def viewer_permissions(self, info: Info) -> list[str]:
        access = await info.context.loaders.access.load(self.model.id)
        return sorted(access.permissions) if access else []

    @strawberry.field(extensions=requires(Permission.MEMBER_READ, _SOURCE))
    async def members(self, info: Info) -> list[MembershipType] | None:
        rows = await info.context.loaders.memberships_by_organization.load(self.model.id)
        return [MembershipType.from_model(row) for row in rows]

    @strawberry.field(
        description="Invitations not yet accepted, revoked or expired.",
        extensions=requires(Permission.MEMBER_READ, _SOURCE),
    )
    async def invitations(self, info: Info) -> list[InvitationType] | None:
        from core.services import members

        rows = await members.get_pending_invitations(organization=self.model)
        return [InvitationType.from_model(row) for row in rows]

    @strawberry.field(extensions=requires(Permission.AGENT_READ, _SOURCE))
    async def agents(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Annotated[AgentConnection, strawberry.lazy("graphql_api.agents.types")] | None:
        from graphql_api.agents.queries import agents_page

        return await agents_page(organization_id=self.model.id, first=first, after=after)

    @strawberry.field(extensions=requires(Permission.API_KEY_MANAGE, _SOURCE))
    async def api_keys(
        self, info: Info
    ) -> list[Annotated[ApiKeyType, strawberry.lazy("graphql_api.api_keys.types")]] | None:
        from core.services import api_keys
        from graphql_api.api_keys.types import ApiKeyType

        return [ApiKeyType.from_model(k) for k in await api_keys.get_all(organization=self.model)]

    @classmethod
    def from_model(cls, organization: Organization) -> OrganizationType:
        return cls(
            id=str(organization.id),
            name=organization.name,
            slug=organization.slug,
            description=organization.description,
            website=organization.website,
            business_details=organization.business_details or {},
            is_active=organization.is_active,
            created_at=organization.created_at,
            model=organization,
        )


@strawberry.type(name="Membership", description="A person's role in an organization.")
class MembershipType(relay.Node):
    id: relay.NodeID[str]
    created_at: datetime
    model: strawberry.Private[Membership]

    @strawberry.field
    async def organization(self, info: Info) -> OrganizationType:
        organization = await info.context.loaders.organization.load(
            self.model.organization_id  # type: ignore[attr-defined]
        )
        if organization is None:
            raise NotFoundError("Organization")
        return OrganizationType.from_model(organization)

    @strawberry.field
    async def user(self, info: Info) -> UserType:
        user = await info.context.loaders.user.load(self.model.user_id)  # type: ignore[attr-defined]
        if user is None:
            raise NotFoundError("User")
        return UserType.from_model(user)

    @strawberry.field
    async def role(self, info: Info) -> RoleType:
        role = await info.context.loaders.role.load(self.model.role_id)  # type: ignore[attr-defined]
        if role is None:
            raise NotFoundError("Role")
        return RoleType.from_model(role)

    @classmethod
    def from_model(cls, membership: Membership) -> MembershipType:
        return cls(id=str(membership.id), created_at=membership.created_at, model=membership)


@strawberry.type(name="Invitation", description="An invitation by email to join an organization.")
class InvitationType(relay.Node):
    id: relay.NodeID[str]
    email: str
    expires_at: datetime
    created_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    model: strawberry.Private[Invitation]

    @strawberry.field
    async def role(self, info: Info) -> RoleType:
        role = await info.context.loaders.role.load(self.model.role_id)  # type: ignore[attr-defined]
        if role is None:
            raise NotFoundError("Role")
        return RoleType.from_model(role)

    @classmethod
    def from_model(cls, invitation: Invitation) -> InvitationType:
        return cls(
            id=str(invitation.id),
            email=invitation.email,
            expires_at=invitation.expires_at,
            created_at=invitation.created_at,
            accepted_at=invitation.accepted_at,
            revoked_at=invitation.revoked_at,
            model=invitation,
        )
