from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.rbac import Permission
from core.services import oauth
from core.services.agent_tools import AgentToolErrorCode
from graphql_api.context import Info
from graphql_api.errors import Payload, mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import AgentToolError


@strawberry.input(description="The agent's OAuth tool to connect an account to.")
class AgentToolOAuthStartInput:
    agent_tool_id: strawberry.ID = strawberry.field(description="The agent tool's global id.")


@strawberry.type(description="Where to send the browser to connect the account.")
class AgentToolOAuthStartPayload(Payload[AgentToolError]):
    authorization_url: str | None = strawberry.field(
        default=None, description="Send the browser here; it returns to the dashboard."
    )


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
        raise ServiceError.single(
            AgentToolErrorCode.BROWSER_REQUIRED,
            "Start connecting an account over HTTP, from the browser that will open the link.",
        )
    started = await oauth.start(agent_tool=row, user=user, settings=info.context.settings)
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


field = mutation(
    agent_tool_oauth_start,
    name="agentToolOAuthStart",
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.agent_tool_id", "AgentTool", "agent_tool")
    ),
)
