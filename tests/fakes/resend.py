"""A local stand-in for Resend's HTTP API: `POST /emails`, served by uvicorn."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.base import FakeService

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


class FakeResend(FakeService):
    """`POST /emails` as Resend answers it; `answer(...)` scripts statuses, one per request,
    before falling back to 200."""

    def __init__(self) -> None:
        self.answers: list[int] = []
        self.delay_seconds = 0.0
        self.received: list[ReceivedMail] = []
        super().__init__(Starlette(routes=[Route("/emails", self._emails, methods=["POST"])]))

    @property
    def url(self) -> str:
        return self.base_url

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
