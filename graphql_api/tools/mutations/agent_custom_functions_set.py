from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.rbac import Permission
from core.services import custom_functions
from core.services.custom_functions import CustomFunctionErrorCode
from graphql_api import ids
from graphql_api.agents.types import AgentType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, Payload, mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import CustomFunctionError


@strawberry.input(description="An agent and the custom functions it offers from now on.")
class AgentCustomFunctionsSetInput:
    agent_id: strawberry.ID = strawberry.field(description="The agent's global id.")
    function_ids: list[strawberry.ID] = strawberry.field(
        description="Exactly the custom functions the agent offers from now on."
    )


@strawberry.type(description="The agent whose custom functions were chosen.")
class AgentCustomFunctionsSetPayload(Payload[CustomFunctionError]):
    agent: AgentType | None = strawberry.field(
        default=None, description="The agent; its `customFunctions` are the ones chosen."
    )


async def agent_custom_functions_set(
    info: Info, input: AgentCustomFunctionsSetInput
) -> AgentCustomFunctionsSetPayload:
    """Choose which of the organization's custom functions an agent offers."""
    agent = info.context.checked_for(info).target
    try:
        function_ids = [ids.decode(value, "CustomFunction") for value in input.function_ids]
    except NotFoundError as error:
        # An id that names no custom function reads like one of another organization.
        raise ServiceError.single(
            CustomFunctionErrorCode.UNKNOWN_FUNCTION,
            "Some functions do not exist.",
            "function_ids",
        ) from error
    await custom_functions.set_for_agent(agent=agent, function_ids=function_ids)
    info.context.renew_loaders()  # the agent's function list changed within this request
    return AgentCustomFunctionsSetPayload(agent=AgentType.from_model(agent))


field = mutation(
    agent_custom_functions_set,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.agent_id", "Agent", "agent")
    ),
)
