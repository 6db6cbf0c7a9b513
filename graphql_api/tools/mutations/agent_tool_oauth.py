from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import agent_tools, oauth
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.tools.mutations.common import AgentToolError, AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input
class AgentToolOAuthStartInput:
    agent_tool_id: strawberry.ID


@strawberry.type
class AgentToolOAuthStartPayload:
    authorization_url: str | None = strawberry.field(
        default=None, description="Send the browser here; it returns to the dashboard."
    )
    errors: list[AgentToolError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def agent_tool_oauth_start(
    info: Info, input: AgentToolOAuthStartInput
) -> AgentToolOAuthStartPayload:
    """Begin connecting the tool's account; the link works once, for you, for 10 minutes."""
    user = info.context.require_user()
    row = info.context.checked_for(info).target
    try:
        url = await oauth.start(agent_tool=row, user=user, settings=info.context.settings)
    except ServiceError as error:
        return AgentToolOAuthStartPayload(errors=payload_errors(AgentToolError, error.errors))
    return AgentToolOAuthStartPayload(authorization_url=url)


@strawberry.input
class AgentToolDisconnectInput:
    id: strawberry.ID


async def agent_tool_disconnect(info: Info, input: AgentToolDisconnectInput) -> AgentToolPayload:
    """Forget the connected account; the grant is revoked at the provider."""
    row = info.context.checked_for(info).target
    try:
        row = await agent_tools.disconnect(agent_tool=row)
    except ServiceError as error:
        return AgentToolPayload(errors=payload_errors(AgentToolError, error.errors))
    return AgentToolPayload(agent_tool=AgentToolType.from_model(row))
