import strawberry

from core.rbac import Permission
from graphql_api.agents.mutations.agent_create import agent_create
from graphql_api.agents.mutations.agent_delete import agent_delete
from graphql_api.agents.mutations.agent_update import agent_update
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires

_AGENT = ObjectArgument("input.id", "Agent", "agent")


@strawberry.type
class AgentMutations:
    agent_create = strawberry.mutation(
        resolver=agent_create,
        extensions=requires(Permission.AGENT_CREATE, OrganizationArgument("input.organization_id")),
    )
    agent_update = strawberry.mutation(
        resolver=agent_update, extensions=requires(Permission.AGENT_UPDATE, _AGENT)
    )
    agent_delete = strawberry.mutation(
        resolver=agent_delete, extensions=requires(Permission.AGENT_DELETE, _AGENT)
    )
