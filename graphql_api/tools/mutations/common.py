from __future__ import annotations

import strawberry

from core.services.agent_tools import AgentToolErrorCode
from core.services.custom_functions import CustomFunctionErrorCode
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError
from graphql_api.tools.types import AgentToolType, CustomFunctionType, PlatformToolType

error_code_enum(
    AgentToolErrorCode,
    name="AgentToolErrorCode",
    description="Why a mutation of an agent's tools, or of a platform tool, refused its input.",
)
error_code_enum(
    CustomFunctionErrorCode,
    name="CustomFunctionErrorCode",
    description="Why a custom-function mutation refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class AgentToolError(PayloadError):
    code: AgentToolErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class CustomFunctionError(PayloadError):
    code: CustomFunctionErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The agent's tool added, changed, disconnected or removed.")
class AgentToolPayload(Payload[AgentToolError]):
    agent_tool: AgentToolType | None = strawberry.field(
        default=None, description="The agent's tool as saved; after `agentToolRemove`, as it was."
    )


@strawberry.type(description="The platform tool changed.")
class PlatformToolPayload(Payload[AgentToolError]):
    platform_tool: PlatformToolType | None = strawberry.field(
        default=None, description="The platform tool as saved."
    )


@strawberry.type(description="The custom function created, changed or deleted.")
class CustomFunctionPayload(Payload[CustomFunctionError]):
    custom_function: CustomFunctionType | None = strawberry.field(
        default=None,
        description="The function as saved; after `customFunctionDelete`, as it was.",
    )
