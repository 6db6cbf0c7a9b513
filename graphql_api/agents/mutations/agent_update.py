from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import agents
from graphql_api.agents.mutations.common import AgentError, AgentPayload
from graphql_api.agents.types import AgentType
from graphql_api.context import Info
from graphql_api.errors import payload_errors


@strawberry.input(description="Omitted fields stay as they are; phoneNumber: null releases it.")
class AgentUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    system_prompt: str | None = strawberry.UNSET
    greeting: str | None = strawberry.UNSET
    phone_number: str | None = strawberry.UNSET
    voice: str | None = strawberry.UNSET
    language: str | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET
    max_call_duration_seconds: int | None = strawberry.UNSET
    transfer_to: str | None = strawberry.UNSET


_NULLABLE = {"phone_number", "greeting", "transfer_to"}


async def agent_update(info: Info, input: AgentUpdateInput) -> AgentPayload:
    """Change an agent; calls in progress keep the settings they started with."""
    agent = info.context.checked_for(info).target
    changes = {
        key: value
        for key in (
            "name",
            "system_prompt",
            "greeting",
            "phone_number",
            "voice",
            "language",
            "is_active",
            "max_call_duration_seconds",
            "transfer_to",
        )
        if (value := getattr(input, key)) is not strawberry.UNSET
        and (value is not None or key in _NULLABLE)
    }
    try:
        agent = await agents.update(agent=agent, changes=changes, settings=info.context.settings)
    except ServiceError as error:
        return AgentPayload(errors=payload_errors(AgentError, error.errors))
    return AgentPayload(agent=AgentType.from_model(agent))
