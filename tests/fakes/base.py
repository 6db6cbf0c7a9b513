"""What every fake vendor shares: an ASGI app served on its own port, restartable."""

from __future__ import annotations

from typing import Any

from tests.support.background_server import BackgroundServer


class FakeService:
    """Serve `self.app` on 127.0.0.1 with `async with` (or `start()` / `stop()`).

    `stop()` closes the port (clients get "connection refused", as when a vendor is down)
    and `start()` serves again on the same port.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self._background = BackgroundServer(app)

    @property
    def running(self) -> bool:
        return self._background.running

    @property
    def port(self) -> int:
        return self._background.port

    @property
    def base_url(self) -> str:
        return self._background.url

    async def start(self) -> None:
        await self._background.start()

    async def stop(self) -> None:
        await self._background.stop()

    async def __aenter__(self):  # type: ignore[no-untyped-def]
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
