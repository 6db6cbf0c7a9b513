"""GET /oauth/google/callback: where Google sends the browser after consent."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from core import global_ids
from core.security import oauth_flow
from core.services import oauth
from core.settings import Settings

log = logging.getLogger(__name__)


def google_callback(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def callback(request: Request) -> Response:
        state = request.query_params.get("state")
        if not state or len(state) > 4096:
            return PlainTextResponse("Missing or invalid state.", status_code=400)
        # The cookies agentToolOAuthStart set on the browser that started a flow (a few at
        # most: one per flow under way in this browser).
        bindings = oauth_flow.browser_bindings(request.cookies)
        try:
            result = await oauth.complete(
                state=state,
                code=request.query_params.get("code"),
                error=request.query_params.get("error"),
                browser_bindings=bindings,
                settings=settings,
            )
        except oauth.OtherBrowser:
            log.warning("oauth callback refused", extra={"reason": "another browser"})
            return PlainTextResponse(
                "This connection was started in another browser (or its cookie expired). Open "
                "the dashboard in this browser and start connecting again there.",
                status_code=403,
            )
        except oauth.InvalidState as failure:
            log.warning("oauth callback refused", extra={"reason": str(failure)})
            return PlainTextResponse(
                "This sign-in link is invalid, expired or already used. Start again from the "
                "dashboard.",
                status_code=400,
            )
        query = {
            "provider": "google",
            "status": result.outcome.value,
            # The agent tool's id as the API gives it (URL-safe: it travels in this URL).
            "agentToolId": global_ids.encode("AgentTool", result.agent_tool_id),
        }
        if result.reason and result.outcome != oauth.OAuthOutcome.CONNECTED:
            query["reason"] = result.reason
        target = f"{settings.dashboard_url.rstrip('/')}{settings.oauth_result_path}"
        return RedirectResponse(f"{target}?{urlencode(query)}", status_code=303)

    return callback
