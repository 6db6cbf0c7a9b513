from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import organizations
from core.services.organizations import OrganizationChanges
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.organizations.mutations.common import OrganizationPayload, checked_organization
from graphql_api.organizations.types import OrganizationType
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.input(
    description="Omitted fields stay as they are; null clears description, website and "
    "businessDetails."
)
class OrganizationUpdateInput:
    id: strawberry.ID = strawberry.field(description="The organization's global id.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The display name, 1 to 200 characters."
    )
    slug: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="1 to 63 lower-case letters, digits and inner hyphens; unique on the platform.",
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the business does, up to 5,000 characters."
    )
    website: str | None = strawberry.field(
        default=strawberry.UNSET, description="The business's http(s) URL."
    )
    business_details: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="Facts about the business, as one JSON object."
    )

    def to_core(self) -> OrganizationChanges:
        return to_core(self, OrganizationChanges)


async def organization_update(info: Info, input: OrganizationUpdateInput) -> OrganizationPayload:
    """Change an organization's name, slug or details."""
    organization = await checked_organization(info)
    organization = await organizations.update(organization=organization, changes=input.to_core())
    return OrganizationPayload(organization=OrganizationType.from_model(organization))


field = mutation(
    organization_update,
    permission=requires(Permission.ORG_MANAGE, OrganizationArgument("input.id")),
)
