import strawberry

from core.rbac import Permission
from graphql_api.permissions import ObjectArgument, OrganizationArgument, platform_admin, requires
from graphql_api.tools.mutations.agent_custom_functions_set import agent_custom_functions_set
from graphql_api.tools.mutations.agent_tool_configure import agent_tool_configure
from graphql_api.tools.mutations.agent_tool_oauth import (
    agent_tool_disconnect,
    agent_tool_oauth_start,
)
from graphql_api.tools.mutations.agent_tool_remove import agent_tool_remove
from graphql_api.tools.mutations.agent_tool_update import agent_tool_update
from graphql_api.tools.mutations.custom_function_create import custom_function_create
from graphql_api.tools.mutations.custom_function_delete import custom_function_delete
from graphql_api.tools.mutations.custom_function_update import custom_function_update
from graphql_api.tools.mutations.platform_tool_update import platform_tool_update

_CONFIGURE = Permission.TOOL_CONFIGURE
_AGENT = ObjectArgument("input.agent_id", "Agent", "agent")
_AGENT_TOOL = ObjectArgument("input.id", "AgentTool", "agent_tool")
_FUNCTION = ObjectArgument("input.id", "CustomFunction", "custom_function")


@strawberry.type
class ToolMutations:
    platform_tool_update = strawberry.mutation(
        resolver=platform_tool_update, extensions=platform_admin()
    )
    agent_tool_configure = strawberry.mutation(
        resolver=agent_tool_configure, extensions=requires(_CONFIGURE, _AGENT)
    )
    agent_tool_update = strawberry.mutation(
        resolver=agent_tool_update, extensions=requires(_CONFIGURE, _AGENT_TOOL)
    )
    agent_tool_remove = strawberry.mutation(
        resolver=agent_tool_remove, extensions=requires(_CONFIGURE, _AGENT_TOOL)
    )
    agent_tool_o_auth_start = strawberry.mutation(
        resolver=agent_tool_oauth_start,
        name="agentToolOAuthStart",
        extensions=requires(
            _CONFIGURE, ObjectArgument("input.agent_tool_id", "AgentTool", "agent_tool")
        ),
    )
    agent_tool_disconnect = strawberry.mutation(
        resolver=agent_tool_disconnect, extensions=requires(_CONFIGURE, _AGENT_TOOL)
    )
    custom_function_create = strawberry.mutation(
        resolver=custom_function_create,
        extensions=requires(_CONFIGURE, OrganizationArgument("input.organization_id")),
    )
    custom_function_update = strawberry.mutation(
        resolver=custom_function_update, extensions=requires(_CONFIGURE, _FUNCTION)
    )
    custom_function_delete = strawberry.mutation(
        resolver=custom_function_delete, extensions=requires(_CONFIGURE, _FUNCTION)
    )
    agent_custom_functions_set = strawberry.mutation(
        resolver=agent_custom_functions_set, extensions=requires(_CONFIGURE, _AGENT)
    )
