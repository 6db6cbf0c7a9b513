from __future__ import annotations

from typing import Annotated

import strawberry

from core.rbac import Permission
from core.services import organizations
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.organizations.types import OrganizationType
from graphql_api.permissions import OrganizationArgument, authenticated, requires


@strawberry.type
class OrganizationQueries:
    @strawberry.field(
        description="Organizations you belong to (an API key: its own organization).",
        extensions=authenticated(),
    )
    async def organizations(self, info: Info) -> list[OrganizationType]:
        principal = info.context.principal
        if principal.api_key is not None:
            organization = await info.context.loaders.organization.load(
                principal.api_key.organization_id
            )
            return [OrganizationType.from_model(organization)] if organization else []
        assert principal.user is not None
        rows = await organizations.get_all_for_user(user=principal.user)
        return [OrganizationType.from_model(row) for row in rows]

    @strawberry.field(
        description="One organization; null, with NOT_FOUND, when it is missing or not yours.",
        extensions=requires(Permission.ORG_READ, OrganizationArgument("id")),
    )
    async def organization(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The organization's global id.")
        ],
    ) -> OrganizationType | None:
        organization = await info.context.loaders.organization.load(
            info.context.checked_for(info).access.organization_id
        )
        if organization is None:
            raise NotFoundError("Organization")
        return OrganizationType.from_model(organization)
