"""Every request and WebSocket starts reaching no organization's rows.

The server's tasks may have been started from a context that had a scope (a test's, a
process's start-up); whatever route answers, its database work reaches only what the
route sets after authenticating or verifying the request (core/tenancy.py).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from core import tenancy


class TenancyBoundary:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        with tenancy.scoped(tenancy.NOTHING):
            await self.app(scope, receive, send)
