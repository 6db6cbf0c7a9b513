from __future__ import annotations

from datetime import datetime

import strawberry

from core.rbac import Permission
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.node import Node, NodeKind
from graphql_api.roles.types import RoleType
from orm.models import ApiKey


@strawberry.type(
    name="ApiKey",
    description="An organization's key for servers and partners. The secret is shown only once.",
)
class ApiKeyType(Node):
    node_kind = NodeKind("api_key", Permission.API_KEY_MANAGE)

    name: str = strawberry.field(description="What the key is for, 1 to 100 characters.")
    prefix: str = strawberry.field(description="The public part of the key, to tell keys apart.")
    created_at: datetime = strawberry.field(description="When the key was created.")
    last_used_at: datetime | None = strawberry.field(
        description="When the key last authenticated a request (to the minute); null if never."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When the key was revoked; null while it works."
    )
    model: strawberry.Private[ApiKey]

    @strawberry.field(description="The role the key acts with, inside its organization.")
    async def role(self, info: Info) -> RoleType:
        role = await info.context.loaders.role.load(self.model.role_id)
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
