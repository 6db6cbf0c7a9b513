"""agentToolOAuthStart over graphql-transport-ws: no HTTP response to carry the cookie."""

from __future__ import annotations

from orm.models import OAuthState
from tests.support.graphql import payload_codes
from tests.support.operations import AGENT_TOOL_OAUTH_START
from tests.support.websocket import graphql_socket
from tests.tools_google.helpers import calendar_tool


async def test_a_start_sent_over_a_websocket_answers_browser_required(server, make):
    # given: a person who may connect the calendar, on a socket instead of an HTTP request
    calendar = await calendar_tool(make, "Socket practice")

    # when
    async with graphql_socket(server.ws_url, calendar.owner.token) as socket:
        message = await socket.execute(
            "start", AGENT_TOOL_OAUTH_START, {"input": {"agentToolId": calendar.agent_tool_id}}
        )

    # then: the payload says why, and no flow was started
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    payload = message["payload"]["data"]["agentToolOAuthStart"]
    assert payload["authorizationUrl"] is None
    assert payload_codes(payload) == ["BROWSER_REQUIRED"]
    assert await OAuthState.filter(agent_tool_id=calendar.agent_tool_uuid).count() == 0
