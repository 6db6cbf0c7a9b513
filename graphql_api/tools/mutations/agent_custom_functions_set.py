from __future__ import annotations

import strawberry

from core.errors import FieldError, ServiceError
from core.services import custom_functions
from core.services.custom_functions import CustomFunctionErrorCode
from graphql_api import ids
from graphql_api.agents.types import AgentType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, payload_errors
from graphql_api.tools.mutations.common import CustomFunctionError


@strawberry.input
class AgentCustomFunctionsSetInput:
    agent_id: strawberry.ID
    function_ids: list[strawberry.ID] = strawberry.field(
        description="Exactly the custom functions the agent offers from now on."
    )


@strawberry.type
class AgentCustomFunctionsSetPayload:
    agent: AgentType | None = None
    errors: list[CustomFunctionError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def agent_custom_functions_set(
    info: Info, input: AgentCustomFunctionsSetInput
) -> AgentCustomFunctionsSetPayload:
    """Choose which of the organization's custom functions an agent offers."""
    agent = info.context.checked_for(info).target
    try:
        function_ids = [ids.decode(value, "CustomFunction") for value in input.function_ids]
        await custom_functions.set_for_agent(agent=agent, function_ids=function_ids)
    except NotFoundError:
        return AgentCustomFunctionsSetPayload(
            errors=payload_errors(
                CustomFunctionError,
                [
                    FieldError(
                        "functionIds",
                        "Some functions do not exist.",
                        CustomFunctionErrorCode.UNKNOWN_FUNCTION,
                    )
                ],
            )
        )
    except ServiceError as error:
        return AgentCustomFunctionsSetPayload(
            errors=payload_errors(CustomFunctionError, error.errors)
        )
    info.context.renew_loaders()  # the agent's function list changed within this request
    return AgentCustomFunctionsSetPayload(agent=AgentType.from_model(agent))
