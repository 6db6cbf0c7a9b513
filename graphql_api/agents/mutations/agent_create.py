from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import agents
from graphql_api.agents.mutations.common import AgentError, AgentPayload
from graphql_api.agents.types import AgentType
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import checked_organization


@strawberry.input
class AgentCreateInput:
    organization_id: strawberry.ID
    name: str
    system_prompt: str
    greeting: str | None = None
    phone_number: str | None = strawberry.field(
        default=None, description="Any common format; stored as E.164."
    )
    voice: str | None = strawberry.field(default=None, description="See `agentVoices`.")
    language: str | None = strawberry.field(default=None, description="BCP 47, e.g. en-US.")
    max_call_duration_seconds: int | None = None
    transfer_to: str | None = strawberry.field(
        default=None, description="A phone number or sip: URI for transfers to a human."
    )


async def agent_create(info: Info, input: AgentCreateInput) -> AgentPayload:
    """Create a voice agent."""
    organization = await checked_organization(info)
    values = {
        key: value
        for key in (
            "name",
            "system_prompt",
            "greeting",
            "phone_number",
            "voice",
            "language",
            "max_call_duration_seconds",
            "transfer_to",
        )
        if (value := getattr(input, key)) is not None or key in ("name", "system_prompt")
    }
    try:
        agent = await agents.create(
            organization=organization, values=values, settings=info.context.settings
        )
    except ServiceError as error:
        return AgentPayload(errors=payload_errors(AgentError, error.errors))
    return AgentPayload(agent=AgentType.from_model(agent))
