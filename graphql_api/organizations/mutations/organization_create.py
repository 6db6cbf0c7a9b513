from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import organizations
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import OrganizationError, OrganizationPayload
from graphql_api.organizations.types import OrganizationType


@strawberry.input
class OrganizationCreateInput:
    name: str
    slug: str | None = strawberry.field(
        default=None, description="Derived from the name if omitted."
    )


async def organization_create(info: Info, input: OrganizationCreateInput) -> OrganizationPayload:
    """Create an organization; you become its admin."""
    user = info.context.require_user()
    try:
        organization = await organizations.create(
            creator=user, name=input.name, slug=input.slug, settings=info.context.settings
        )
    except ServiceError as error:
        return OrganizationPayload(errors=payload_errors(OrganizationError, error.errors))
    return OrganizationPayload(organization=OrganizationType.from_model(organization))
