"""The tool mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.tools.mutations import (
    agent_custom_functions_set,
    agent_tool_configure,
    agent_tool_disconnect,
    agent_tool_oauth_start,
    agent_tool_remove,
    agent_tool_update,
    custom_function_create,
    custom_function_delete,
    custom_function_update,
    platform_tool_update,
)


@strawberry.type
class ToolMutations:
    platform_tool_update = platform_tool_update.field
    agent_tool_configure = agent_tool_configure.field
    agent_tool_update = agent_tool_update.field
    agent_tool_remove = agent_tool_remove.field
    agent_tool_o_auth_start = agent_tool_oauth_start.field
    agent_tool_disconnect = agent_tool_disconnect.field
    custom_function_create = custom_function_create.field
    custom_function_update = custom_function_update.field
    custom_function_delete = custom_function_delete.field
    agent_custom_functions_set = agent_custom_functions_set.field
