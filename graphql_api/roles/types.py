from __future__ import annotations

import strawberry
from strawberry import relay

from graphql_api.context import Info
from orm.models import Role


@strawberry.type(name="Role", description="A named set of permissions held inside an organization.")
class RoleType(relay.Node):
    id: relay.NodeID[str]
    key: str = strawberry.field(description="Stable identifier, e.g. `org_admin`.")
    name: str
    description: str
    is_builtin: bool
    model: strawberry.Private[Role]

    @strawberry.field(description="Permission strings such as `agent:create`.")
    async def permissions(self, info: Info) -> list[str]:
        return await info.context.loaders.role_permissions.load(self.model.id)

    @classmethod
    def from_model(cls, role: Role) -> RoleType:
        return cls(
            id=str(role.id),
            key=role.key,
            name=role.name,
            description=role.description,
            is_builtin=role.is_builtin,
            model=role,
        )
