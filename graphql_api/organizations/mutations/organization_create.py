from __future__ import annotations

import strawberry

from core.services import organizations
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import OrganizationPayload
from graphql_api.organizations.types import OrganizationType
from graphql_api.permissions import user_only


@strawberry.input(description="A new organization; its creator becomes its admin.")
class OrganizationCreateInput:
    name: str = strawberry.field(description="The display name, 1 to 200 characters.")
    slug: str | None = strawberry.field(
        default=None, description="Derived from the name if omitted."
    )


async def organization_create(info: Info, input: OrganizationCreateInput) -> OrganizationPayload:
    """Create an organization; you become its admin."""
    user = info.context.require_user()
    organization = await organizations.create(
        creator=user, name=input.name, slug=input.slug, settings=info.context.settings
    )
    return OrganizationPayload(organization=OrganizationType.from_model(organization))


field = mutation(organization_create, permission=user_only())
