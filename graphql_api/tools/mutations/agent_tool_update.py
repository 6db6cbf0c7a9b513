from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.errors import FieldError, ServiceError
from core.services import agent_tools
from core.services.agent_tools import AgentToolErrorCode
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.tools.mutations.common import AgentToolError, AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input(description="Omitted fields stay as they are.")
class AgentToolUpdateInput:
    id: strawberry.ID
    config: JSON | None = None
    enabled: bool | None = None
    disabled_functions: list[str] | None = None
    secret_config: JSON | None = None


async def agent_tool_update(info: Info, input: AgentToolUpdateInput) -> AgentToolPayload:
    """Change an agent tool's config, switch, disabled functions or secrets."""
    row = info.context.checked_for(info).target
    try:
        if not isinstance(input.config, dict | None) or not isinstance(
            input.secret_config, dict | None
        ):
            raise ServiceError(
                FieldError(
                    "config",
                    "Give config (and secretConfig) as JSON objects.",
                    AgentToolErrorCode.INVALID_CONFIG,
                )
            )
        row = await agent_tools.update(
            agent_tool=row,
            config=input.config,
            enabled=input.enabled,
            disabled_functions=input.disabled_functions,
            secret_config=input.secret_config,
            settings=info.context.settings,
        )
    except ServiceError as error:
        return AgentToolPayload(errors=payload_errors(AgentToolError, error.errors))
    return AgentToolPayload(agent_tool=AgentToolType.from_model(row))
