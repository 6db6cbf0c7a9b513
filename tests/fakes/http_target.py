"""A fake HTTP service for custom-function tests: records every request, answers as scripted.

It runs a small Starlette app under uvicorn on 127.0.0.1 (a port of its own) in the
test's event loop. Every request is recorded (method, path, query, headers,
JSON body, and whether it has been answered yet). Answers are scripted per path (exact
match on the decoded path); unscripted paths answer 200 `{"ok": true}`. The fake never
echoes request headers in its answers, so a test can check that a secret header does not
come back to the model through the body. A slow answer waits its delay or until the fake
stops, whichever comes first, so stopping never waits for it.

    async with HttpTarget() as target:  # or running_http_target()
        target.reply("/orders/42", json={"status": "shipped"})
        target.reply("/broken", status=500, json={"error": "boom"})
        target.slow("/slow", seconds=3)
        target.huge("/big", size=100_000)
        target.redirect("/hop", "http://169.254.169.254/latest/meta-data")
        ...
        assert target.requests_to("/orders/42")[0].query == {"verbose": "true"}
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from tests.fakes.base import FakeService


@dataclass
class RecordedRequest:
    method: str
    path: str  # decoded, as routed
    raw_path: str  # as sent on the wire (percent-encoding kept)
    query: dict[str, str]
    raw_query: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    json: Any = None
    answered: bool = False  # the fake has sent its answer (a slow one may still be waiting)


@dataclass
class Answer:
    status: int = 200
    json: Any = field(default_factory=lambda: {"ok": True})
    body: bytes | None = None  # raw body instead of JSON
    content_type: str = "application/json"
    delay: float = 0.0
    location: str | None = None  # a redirect


class HttpTarget(FakeService):
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.answers: dict[str, Answer] = {}
        self.host = "127.0.0.1"
        self._closing = asyncio.Event()
        super().__init__(self._app())

    async def start(self) -> None:
        self._closing.clear()
        await super().start()

    async def stop(self) -> None:
        # Slow answers are released early, so shutdown does not wait for them.
        self._closing.set()
        await super().stop()

    def url(self, path: str) -> str:
        return self.base_url + path

    # scripting

    def reply(self, path: str, *, status: int = 200, json: Any = None) -> None:
        self.answers[path] = Answer(status=status, json={"ok": True} if json is None else json)

    def slow(self, path: str, *, seconds: float, json: Any = None) -> None:
        self.answers[path] = Answer(delay=seconds, json={"late": True} if json is None else json)

    def huge(self, path: str, *, size: int) -> None:
        """A JSON document of about `size` bytes (a list of numbered items)."""
        items: list[str] = []
        length = 2
        while length < size:
            item = f"item-{len(items):07d}"
            items.append(item)
            length += len(item) + 3
        self.answers[path] = Answer(body=json.dumps(items).encode())

    def redirect(self, path: str, location: str, *, status: int = 302) -> None:
        self.answers[path] = Answer(status=status, location=location)

    # reading

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]

    # the app

    async def _handle(self, request: Request) -> Response:
        body = await request.body()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            raw_path=request.scope.get("raw_path", b"").decode("latin-1").split("?")[0],
            query=dict(request.query_params),
            raw_query=request.scope.get("query_string", b"").decode("latin-1"),
            headers={key.lower(): value for key, value in request.headers.items()},
            body=body,
            json=parsed,
        )
        self.requests.append(recorded)
        answer = self.answers.get(request.url.path, Answer())
        if answer.delay:
            # Released early when the fake stops, so shutdown does not wait for it.
            try:
                await asyncio.wait_for(self._closing.wait(), timeout=answer.delay)
            except TimeoutError:
                pass
        recorded.answered = True
        if answer.location is not None:
            return RedirectResponse(answer.location, status_code=answer.status)
        if answer.body is not None:
            return Response(answer.body, status_code=answer.status, media_type=answer.content_type)
        return JSONResponse(answer.json, status_code=answer.status)

    def _app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            return await self._handle(request)

        from starlette.routing import Route

        methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])


@asynccontextmanager
async def running_http_target() -> AsyncIterator[HttpTarget]:
    async with HttpTarget() as target:
        yield target
