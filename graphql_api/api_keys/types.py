from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.roles.types import RoleType
from orm.models import ApiKey


@strawberry.type(
    name="ApiKey",
    description="An organization's key for servers and partners. The secret is shown only once.",
)
class ApiKeyType(relay.Node):
    id: relay.NodeID[str]
    name: str
    prefix: str = strawberry.field(description="The public part of the key, to tell keys apart.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    model: strawberry.Private[ApiKey]

    @strawberry.field
    async def role(self, info: Info) -> RoleType:
        role = await info.context.loaders.role.load(self.model.role_id)  # type: ignore[attr-defined]
        if role is None:
            raise NotFoundError("Role")
        return RoleType.from_model(role)

    @classmethod
    def from_model(cls, key: ApiKey) -> ApiKeyType:
        return cls(
            id=str(key.id),
            name=key.name,
            prefix=key.prefix,
            created_at=key.created_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
            model=key,
        )
