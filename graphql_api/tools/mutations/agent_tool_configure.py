from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.errors import FieldError, ServiceError
from core.services import agent_tools
from core.services.agent_tools import AgentToolErrorCode
from graphql_api import ids
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, payload_errors
from graphql_api.tools.mutations.common import AgentToolError, AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input
class AgentToolConfigureInput:
    agent_id: strawberry.ID
    tool_id: strawberry.ID
    config: JSON = strawberry.field(description="Must match the tool's `configSchema`.")
    enabled: bool = True
    disabled_functions: list[str] = strawberry.field(default_factory=list)
    secret_config: JSON | None = strawberry.field(
        default=None, description="API-key tools only; stored sealed, never shown again."
    )


async def agent_tool_configure(info: Info, input: AgentToolConfigureInput) -> AgentToolPayload:
    """Add a tool to an agent."""
    agent = info.context.checked_for(info).target
    try:
        tool_id = ids.decode(input.tool_id, "PlatformTool")
        if not isinstance(input.config, dict) or not isinstance(input.secret_config, dict | None):
            raise ServiceError(
                FieldError(
                    "config",
                    "Give config (and secretConfig) as JSON objects.",
                    AgentToolErrorCode.INVALID_CONFIG,
                )
            )
        row = await agent_tools.configure(
            agent=agent,
            tool_id=tool_id,
            config=input.config,
            enabled=input.enabled,
            disabled_functions=input.disabled_functions,
            secret_config=input.secret_config,
            settings=info.context.settings,
        )
    except NotFoundError:
        return AgentToolPayload(
            errors=payload_errors(
                AgentToolError,
                [FieldError("toolId", "No such tool.", AgentToolErrorCode.TOOL_NOT_FOUND)],
            )
        )
    except ServiceError as error:
        return AgentToolPayload(errors=payload_errors(AgentToolError, error.errors))
    return AgentToolPayload(agent_tool=AgentToolType.from_model(row))
