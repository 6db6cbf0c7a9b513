from __future__ import annotations

import strawberry

from core.services.agents import AgentErrorCode
from graphql_api.agents.types import AgentType
from graphql_api.errors import error_type

AgentError = error_type("AgentError", AgentErrorCode)


@strawberry.type
class AgentPayload:
    agent: AgentType | None = None
    errors: list[AgentError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
