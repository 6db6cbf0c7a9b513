"""A route's request body is bounded while it streams in, never after it is in memory.

A `Content-Length` over the limit is answered 413 before the endpoint runs at all; a body
of unknown length (chunked) is cut the moment the endpoint's reads cross the limit, and
answered 413 the same way. Either way nothing of it is parsed.

Starlette's `Route(max_body_size=...)` does the second part, but refuses a declared length
only once the endpoint first reads, after the GraphQL view has authenticated the request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import request_response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Wraps one route's ASGI app; WebSocket scopes pass through (see websocket_limits)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return

        received = 0
        response_started = False

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, tracking_send)
        except _BodyTooLarge:
            if response_started:  # an endpoint that answers before reading: nothing to fix
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            f"Request body too large: the limit is {self.max_bytes} bytes.", status_code=413
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:  # the server refuses a malformed length before the app sees it
        return None


def limited(endpoint: Callable[[Request], Awaitable[Response]], *, max_bytes: int) -> ASGIApp:
    """A `func(request) -> response` endpoint (a webhook) as an app reading at most
    `max_bytes` of body; Starlette wraps such a function the same way for a `Route`."""
    return BodyLimit(request_response(endpoint), max_bytes=max_bytes)
