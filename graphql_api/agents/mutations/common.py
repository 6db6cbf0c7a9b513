from __future__ import annotations

import strawberry

from core.services.agents import AgentErrorCode
from graphql_api.agents.types import AgentType
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError

error_code_enum(
    AgentErrorCode,
    name="AgentErrorCode",
    description="Why `agentCreate`, `agentUpdate` or `agentDelete` refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class AgentError(PayloadError):
    code: AgentErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The agent created, changed or deleted.")
class AgentPayload(Payload[AgentError]):
    agent: AgentType | None = strawberry.field(
        default=None, description="The agent as saved; after `agentDelete`, as it was."
    )
