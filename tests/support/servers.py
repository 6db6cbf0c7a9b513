"""Running an extra API server in-process (for WebSocket tests and several replicas)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import uvicorn

from core.settings import Settings
from graphql_api.app import create_app


@dataclass
class AppServer:
    base_url: str
    ws_url: str


@contextlib.asynccontextmanager
async def running_app(settings: Settings, **app_kwargs: Any) -> AsyncIterator[AppServer]:
    """A real uvicorn server on a free port, sharing this process's database."""
    app_kwargs.setdefault("run_mail_sender", False)
    # The session's test server opened the database; a second lifespan would open it again.
    config = uvicorn.Config(
        create_app(settings, **app_kwargs),
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield AppServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql")
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
