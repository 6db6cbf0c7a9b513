from __future__ import annotations

import strawberry

from graphql_api.context import Info
from graphql_api.node import Node, NodeKind
from graphql_api.roles.enums import BuiltinRole
from orm.models import Role


@strawberry.type(name="Role", description="A named set of permissions held inside an organization.")
class RoleType(Node):
    node_kind = NodeKind("role", None)

    key: str = strawberry.field(description="Stable identifier, e.g. `org_admin`.")
    name: str = strawberry.field(description="A display name, 1 to 100 characters.")
    description: str = strawberry.field(description="What the role is for; may be empty.")
    is_builtin: bool = strawberry.field(
        description="Defined by the platform (see `builtinRole`): it can be neither changed "
        "nor deleted."
    )
    builtin_role: BuiltinRole | None = strawberry.field(
        description="Which built-in role this is; null for a custom role."
    )
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
            builtin_role=BuiltinRole(role.key) if role.is_builtin else None,
            model=role,
        )
