from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.errors import ServiceError
from core.services import organizations
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import (
    OrganizationError,
    OrganizationPayload,
    checked_organization,
)
from graphql_api.organizations.types import OrganizationType


@strawberry.input(description="Omitted fields stay as they are.")
class OrganizationUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    business_details: JSON | None = strawberry.UNSET


async def organization_update(info: Info, input: OrganizationUpdateInput) -> OrganizationPayload:
    """Change an organization's name, slug or details."""
    organization = await checked_organization(info)
    changes = {
        key: ("" if value is None and key != "business_details" else value)
        for key in ("name", "slug", "description", "website", "business_details")
        if (value := getattr(input, key)) is not strawberry.UNSET
    }
    if "business_details" in changes and not isinstance(changes["business_details"], dict):
        changes["business_details"] = {}
    try:
        organization = await organizations.update(organization=organization, changes=changes)
    except ServiceError as error:
        return OrganizationPayload(errors=payload_errors(OrganizationError, error.errors))
    return OrganizationPayload(organization=OrganizationType.from_model(organization))
