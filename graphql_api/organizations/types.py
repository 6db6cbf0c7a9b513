from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.lookahead import MISSING, cached, selects
from graphql_api.node import Node, NodeKind
from graphql_api.pagination import DEFAULT_PAGE_SIZE, after_argument, first_argument
from graphql_api.permissions import SourceOrganization, requires
from graphql_api.roles.types import RoleType
from orm.models import Invitation, Membership, Organization, Role

if TYPE_CHECKING:
    from graphql_api.agents.types import AgentConnection
    from graphql_api.api_keys.types import ApiKeyType
    from graphql_api.webhooks.types import WebhookEndpointConnection

_SOURCE = SourceOrganization()


@strawberry.type(name="Organization", description="A tenant: a business and everything it owns.")
class OrganizationType(Node):
    node_kind = NodeKind("organization", Permission.ORG_READ, organization_of=lambda row: row.id)

    name: str = strawberry.field(description="The display name, 1 to 200 characters.")
    slug: str = strawberry.field(
        description="A short name unique on the platform: 1 to 63 lower-case letters, digits "
        "and inner hyphens."
    )
    description: str = strawberry.field(
        description="What the business does, up to 5,000 characters; empty when not given."
    )
    website: str = strawberry.field(description="The business's http(s) URL; empty when not given.")
    business_details: JSON = strawberry.field(
        description="Facts about the business as one JSON object (address, opening hours, ...), "
        "kept as given; `{}` when none."
    )
    is_active: bool = strawberry.field(
        description="False while the platform has suspended the organization: its agents take "
        "and place no calls."
    )
    created_at: datetime = strawberry.field(description="When the organization was created.")
    model: strawberry.Private[Organization]

    @property
    def organization_id(self) -> uuid.UUID:
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

    @strawberry.field(
        description="Everyone who belongs to the organization, each with their role.",
        extensions=requires(Permission.MEMBER_READ, _SOURCE),
    )
    async def members(self, info: Info) -> list[MembershipType] | None:
        rows = await info.context.loaders.memberships_by_organization.load(self.model.id)
        await preload_membership_fields(info, rows)
        return [MembershipType.from_model(row) for row in rows]

    @strawberry.field(
        description="Invitations not yet accepted, revoked or expired.",
        extensions=requires(Permission.MEMBER_READ, _SOURCE),
    )
    async def invitations(self, info: Info) -> list[InvitationType] | None:
        from core.services import members

        rows = await members.get_pending_invitations(organization=self.model)
        return [InvitationType.from_model(row) for row in rows]

    @strawberry.field(
        description="The organization's agents, newest first.",
        extensions=requires(Permission.AGENT_READ, _SOURCE),
    )
    async def agents(
        self,
        info: Info,
        first: Annotated[int | None, first_argument(DEFAULT_PAGE_SIZE)] = (
            DEFAULT_PAGE_SIZE.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> Annotated[AgentConnection, strawberry.lazy("graphql_api.agents.types")] | None:
        from graphql_api.agents.queries import agents_page

        return await agents_page(info=info, organization_id=self.model.id, first=first, after=after)

    @strawberry.field(
        description="The organization's API keys, revoked ones included.",
        extensions=requires(Permission.API_KEY_MANAGE, _SOURCE),
    )
    async def api_keys(
        self, info: Info
    ) -> list[Annotated[ApiKeyType, strawberry.lazy("graphql_api.api_keys.types")]] | None:
        from core.services import api_keys
        from graphql_api.api_keys.types import ApiKeyType

        return [ApiKeyType.from_model(k) for k in await api_keys.get_all(organization=self.model)]

    @strawberry.field(
        description="The webhook endpoints the organization's events are pushed to, newest first.",
        extensions=requires(Permission.WEBHOOK_MANAGE, _SOURCE),
    )
    async def webhook_endpoints(
        self,
        info: Info,
        first: Annotated[int | None, first_argument(DEFAULT_PAGE_SIZE)] = (
            DEFAULT_PAGE_SIZE.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> Annotated[WebhookEndpointConnection, strawberry.lazy("graphql_api.webhooks.types")] | None:
        from graphql_api.webhooks.types import endpoints_page

        return await endpoints_page(organization_id=self.model.id, first=first, after=after)

    @classmethod
    def from_model(cls, organization: Organization) -> OrganizationType:
        return cls(
            id=str(organization.id),
            name=organization.name,
            slug=organization.slug,
            description=organization.description,
            website=organization.website,
            business_details=JSON(organization.business_details or {}),
            is_active=organization.is_active,
            created_at=organization.created_at,
            model=organization,
        )


@strawberry.type(name="Membership", description="A person's role in an organization.")
class MembershipType(Node):
    node_kind = NodeKind("membership", Permission.MEMBER_READ)

    created_at: datetime = strawberry.field(description="When the person joined.")
    model: strawberry.Private[Membership]

    # Plain when the list of memberships loaded them (graphql_api/lookahead.py), else awaited.
    @strawberry.field(description="The organization.")
    def organization(self, info: Info) -> OrganizationType:
        organization = cached(info.context.loaders.organization, self.model.organization_id)
        if organization is MISSING:
            return self._organization(info)  # type: ignore[return-value]
        return _organization_type(organization)

    async def _organization(self, info: Info) -> OrganizationType:
        loaded = await info.context.loaders.organization.load(self.model.organization_id)
        return _organization_type(loaded)

    @strawberry.field(description="The member.")
    async def user(self, info: Info) -> UserType:
        user = await info.context.loaders.user.load(self.model.user_id)
        if user is None:
            raise NotFoundError("User")
        return UserType.from_model(user)

    @strawberry.field(description="What the member may do in the organization.")
    def role(self, info: Info) -> RoleType:
        role = cached(info.context.loaders.role, self.model.role_id)
        if role is MISSING:
            return _load_role(info, self.model.role_id)  # type: ignore[return-value]
        return _role_type(role)

    @classmethod
    def from_model(cls, membership: Membership) -> MembershipType:
        return cls(id=str(membership.id), created_at=membership.created_at, model=membership)


async def preload_membership_fields(info: Info, rows: list[Membership]) -> None:
    """Loads, for a list of memberships, their organizations and roles when the selection
    asks for them, each in the one batched read its loader would send, so each membership's
    field answers at once (graphql_api/lookahead.py)."""
    loaders = info.context.loaders
    reads: list[Awaitable[object]] = []
    if rows and selects(info, "organization"):
        reads.append(loaders.organization.load_many({row.organization_id for row in rows}))
    if rows and selects(info, "role"):
        reads.append(loaders.role.load_many({row.role_id for row in rows}))
    if reads:
        await asyncio.gather(*reads)


def _organization_type(organization: Organization | None) -> OrganizationType:
    if organization is None:
        raise NotFoundError("Organization")
    return OrganizationType.from_model(organization)


async def owning_organization(info: Info, organization_id: uuid.UUID) -> OrganizationType:
    """The organization an object belongs to, through the request's loader (the field
    `organization` of agents, numbers and webhook endpoints)."""
    return _organization_type(await info.context.loaders.organization.load(organization_id))


def _role_type(role: Role | None) -> RoleType:
    if role is None:
        raise NotFoundError("Role")
    return RoleType.from_model(role)


async def _load_role(info: Info, role_id: uuid.UUID) -> RoleType:
    return _role_type(await info.context.loaders.role.load(role_id))


@strawberry.type(name="Invitation", description="An invitation by email to join an organization.")
class InvitationType(Node):
    node_kind = NodeKind("invitation", Permission.MEMBER_READ)

    email: str = strawberry.field(
        description="The address invited: only an account with this address can accept."
    )
    expires_at: datetime = strawberry.field(
        description="When the link stops working (7 days after it was sent, by default)."
    )
    created_at: datetime = strawberry.field(description="When the invitation was sent.")
    accepted_at: datetime | None = strawberry.field(
        description="When it was accepted; null until then."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was withdrawn (`invitationRevoke`); null if it was not."
    )
    model: strawberry.Private[Invitation]

    @strawberry.field(description="The role the invitee gets on accepting.")
    async def role(self, info: Info) -> RoleType:
        role = await info.context.loaders.role.load(self.model.role_id)
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
