from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import api_keys
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.context import Info
from graphql_api.descriptions import OrganizationId
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.type
class ApiKeyQueries:
    @strawberry.field(
        description="The organization's API keys, revoked ones included.",
        extensions=requires(Permission.API_KEY_MANAGE, OrganizationArgument()),
    )
    async def api_keys(
        self, info: Info, organization_id: OrganizationId
    ) -> list[ApiKeyType] | None:
        organization = await info.context.loaders.organization.load(
            info.context.checked_for(info).access.organization_id
        )
        assert organization is not None
        return [ApiKeyType.from_model(k) for k in await api_keys.get_all(organization=organization)]
