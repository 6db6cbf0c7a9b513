"""A local stand-in for Resend's HTTP API: `POST /emails`, served by uvicorn."""

from __future__ import annotations

import asyncio
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

# What Resend answers for these statuses (https://resend.com/docs/api-reference/errors).
_ERROR_BODIES = {
    422: ("validation_error", "Invalid `to` field."),
    429: ("rate_limit_exceeded", "Too many requests."),
    500: ("application_error", "Something went wrong."),
}


@dataclass
class ReceivedMail:
    body: dict[str, Any]
    idempotency_key: str | None
    authorization: str | None

    @property
    def to(self) -> list[str]:
        return self.body["to"]


@dataclass
class FakeResend:
    port: int
    # Statuses to answer, one per request, before falling back to 200.
    answers: list[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    received: list[ReceivedMail] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, *statuses: int) -> None:
        self.answers.extend(statuses)

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.received if address in mail.to]

    async def _emails(self, request: Request) -> JSONResponse:
        self.received.append(
            ReceivedMail(
                body=await request.json(),
                idempotency_key=request.headers.get("idempotency-key"),
                authorization=request.headers.get("authorization"),
            )
        )
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        status = self.answers.pop(0) if self.answers else 200
        if status == 200:
            return JSONResponse({"id": str(uuid.uuid4())})
        name, message = _ERROR_BODIES[status]
        return JSONResponse(
            {"statusCode": status, "name": name, "message": message}, status_code=status
        )

    async def start(self) -> None:
        app = Starlette(routes=[Route("/emails", self._emails, methods=["POST"])])
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, lifespan="off", log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._task = asyncio.create_task(self._server.serve())
        for _ in range(200):
            if self._server.started or self._task.done():
                break
            await asyncio.sleep(0.01)
        if self._task.done():
            self._task.result()
        assert self._server.started, "the fake Resend did not start"

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
