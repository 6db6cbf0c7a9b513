from __future__ import annotations

import strawberry

from core.services.agent_tools import AgentToolErrorCode
from core.services.custom_functions import CustomFunctionErrorCode
from graphql_api.errors import error_type
from graphql_api.tools.types import AgentToolType, CustomFunctionType, PlatformToolType

AgentToolError = error_type("AgentToolError", AgentToolErrorCode)
CustomFunctionError = error_type("CustomFunctionError", CustomFunctionErrorCode)


@strawberry.type
class AgentToolPayload:
    agent_tool: AgentToolType | None = None
    errors: list[AgentToolError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class PlatformToolPayload:
    platform_tool: PlatformToolType | None = None
    errors: list[AgentToolError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


@strawberry.type
class CustomFunctionPayload:
    custom_function: CustomFunctionType | None = None
    errors: list[CustomFunctionError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
