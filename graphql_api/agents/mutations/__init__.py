"""The agent mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.agents.mutations import agent_create, agent_delete, agent_update


@strawberry.type
class AgentMutations:
    agent_create = agent_create.field
    agent_update = agent_update.field
    agent_delete = agent_delete.field
