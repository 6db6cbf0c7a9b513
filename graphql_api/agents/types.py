from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.organizations.types import OrganizationType
from orm.models import VoiceAgent


@strawberry.type(name="Agent", description="An AI phone agent.")
class AgentType(relay.Node):
    id: relay.NodeID[str]
    name: str
    system_prompt: str
    greeting: str = strawberry.field(description="Said as soon as the agent joins a call.")
    phone_number: str | None = strawberry.field(description="E.164, unique on the platform.")
    voice: str
    language: str = strawberry.field(description="BCP 47 tag, e.g. en-US.")
    is_active: bool
    max_call_duration_seconds: int
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[VoiceAgent]

    @strawberry.field
    async def organization(self, info: Info) -> OrganizationType:
        organization = await info.context.loaders.organization.load(
            self.model.organization_id  # type: ignore[attr-defined]
        )
        if organization is None:
            raise NotFoundError("Organization")
        return OrganizationType.from_model(organization)

    @classmethod
    def from_model(cls, agent: VoiceAgent) -> AgentType:
        return cls(
            id=str(agent.id),
            name=agent.name,
            system_prompt=agent.system_prompt,
            greeting=agent.greeting,
            phone_number=agent.phone_number,
            voice=agent.voice,
            language=agent.language,
            is_active=agent.is_active,
            max_call_duration_seconds=agent.max_call_duration_seconds,
            created_at=agent.created_at,
            updated_at=agent.updated_at,
            model=agent,
        )


@strawberry.type(name="AgentConnection")
class AgentConnection(relay.Connection[AgentType]):
    pass
