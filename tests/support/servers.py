"""Running an extra API server in-process (for WebSocket tests and several replicas)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from graphql_api.app import create_app
from tests.support.background_server import BackgroundServer


@dataclass
class AppServer:
    base_url: str
    ws_url: str


@contextlib.asynccontextmanager
async def running_app(settings: Settings, **app_kwargs: Any) -> AsyncIterator[AppServer]:
    """A real uvicorn server on a free port, sharing this process's database."""
    app_kwargs.setdefault("run_mail_sender", False)
    # The session's test server opened the database; a second lifespan would open it again.
    background = BackgroundServer(create_app(settings, **app_kwargs))
    port = await background.start()
    try:
        yield AppServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql")
    finally:
        await background.stop()
