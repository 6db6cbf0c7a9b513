"""An ASGI app served by uvicorn on 127.0.0.1, in this event loop: fakes and extra servers."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import uvicorn


class BackgroundServer:
    def __init__(self, app: Any, *, port: int = 0, lifespan: str = "off") -> None:
        self.app = app
        self.port = port
        self.lifespan = lifespan
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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
        )
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # pytest's
        task = asyncio.create_task(server.serve())
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if task.done():
            task.result()
        assert server.started, "the server did not start"
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
