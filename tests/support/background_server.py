"""The one way the suite serves an ASGI app: uvicorn on 127.0.0.1, in this event loop.

The session's API server, extra API replicas and every fake (LiveKit, Google, Stripe,
Resend, an HTTP target) run on it. It binds port 0 and reads the port back, so two
servers, or two xdist workers, can never race for one.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import uvicorn

from tests.support.waiting import DEADLINE


class BackgroundServer:
    def __init__(
        self,
        app: Any,
        *,
        port: int = 0,
        lifespan: str = "off",
        proxy_headers: bool = False,
        graceful_shutdown_seconds: float = DEADLINE,
    ) -> None:
        self.app = app
        self.port = port
        self.lifespan = lifespan
        self.proxy_headers = proxy_headers
        # Bounded: uvicorn otherwise waits for every open connection to end, and one a test
        # left open (a socket nobody closed) would hang the suite at its teardown; after
        # this long uvicorn cancels what is left and says so in its log.
        self.graceful_shutdown_seconds = graceful_shutdown_seconds
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """The GraphQL endpoint over WebSocket (for an API server)."""
        return f"ws://127.0.0.1:{self.port}/graphql"

    async def start(self) -> int:
        """Serve (again, on the same port once one was chosen); returns the port."""
        if self._server is not None:
            return self.port
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            lifespan=self.lifespan,
            log_level="warning",
            access_log=False,
            # As `voiceagents serve` runs it: no test may see a `server: uvicorn` header.
            server_header=False,
            proxy_headers=self.proxy_headers,
            forwarded_allow_ips="127.0.0.1" if self.proxy_headers else None,
            timeout_graceful_shutdown=self.graceful_shutdown_seconds,
        )
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # pytest's
        task = asyncio.create_task(server.serve())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DEADLINE
        while not (server.started or task.done()):
            assert loop.time() < deadline, f"the server did not start within {DEADLINE}s"
            await asyncio.sleep(0.01)
        if task.done():
            task.result()
            raise AssertionError("the server stopped while starting")
        self._server, self._task = server, task
        self.port = server.servers[0].sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Close the port: clients get 'connection refused' until `start()` again."""
        server, task = self._server, self._task
        self._server = self._task = None
        if server is not None and task is not None:
            server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def __aenter__(self) -> BackgroundServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
