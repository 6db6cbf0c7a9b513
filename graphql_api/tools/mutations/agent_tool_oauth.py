from __future__ import annotations

import strawberry

from core.errors import FieldError, ServiceError
from core.services import agent_tools, oauth
from core.services.agent_tools import AgentToolErrorCode
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
    """Begin connecting the tool's account; the link works once, for you, in the browser that
    sent this request (it gets a cookie), for 10 minutes. Send it over HTTP with credentials
    (`fetch(..., {credentials: "include"})` from another origin)."""
    user = info.context.require_user()
    row = info.context.checked_for(info).target
    response = info.context.response
    if response is None:  # a WebSocket: no response to carry the cookie
        return AgentToolOAuthStartPayload(
            errors=payload_errors(
                AgentToolError,
                [
                    FieldError(
                        None,
                        "Start connecting an account over HTTP, from the browser that will "
                        "open the link.",
                        AgentToolErrorCode.BROWSER_REQUIRED,
                    )
                ],
            )
        )
    try:
        started = await oauth.start(agent_tool=row, user=user, settings=info.context.settings)
    except ServiceError as error:
        return AgentToolOAuthStartPayload(errors=payload_errors(AgentToolError, error.errors))
    cookie = started.browser_cookie
    response.set_cookie(
        cookie.name,
        cookie.value,
        max_age=cookie.max_age,
        path=cookie.path,
        secure=info.context.settings.is_production,
        httponly=True,
        samesite="lax",
    )
    return AgentToolOAuthStartPayload(authorization_url=started.authorization_url)


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
