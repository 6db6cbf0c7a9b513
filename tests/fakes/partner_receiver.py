"""A partner's webhook endpoint: what a CRM or ticketing system runs to receive our pushes.

It follows the receiving side of the Standard Webhooks specification
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md,
"Verifying webhook authenticity"): it records every POST as it arrived (headers and the raw
body, which is what signatures cover) and answers as the test scripts it, per path:

    async with PartnerReceiver() as receiver:
        receiver.answer("/hooks", 500, 500, 200)   # one status per request, the last repeats
        receiver.hold("/slow")                     # requests wait until release("/slow")
        receiver.redirect("/moved", "/elsewhere")  # 307 with a Location
        ...
        (request,) = receiver.received("/hooks")
        payload = request.verified(secret)        # standardwebhooks.Webhook(secret).verify

Unscripted paths answer 204, as a partner acknowledging quickly does. A held request waits
until released or until the receiver stops, so stopping never waits for it. `in_flight`
counts requests being answered right now, and `most_in_flight` the most at once.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from tests.fakes.base import FakeService


@dataclass
class ReceivedWebhook:
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def timestamp(self) -> datetime:
        return datetime.fromtimestamp(int(self.headers["webhook-timestamp"]), UTC)

    def verified(self, secret: str) -> Any:
        """The payload, if the signature holds for `secret` and the timestamp is within the
        library's five minutes of now; raises WebhookVerificationError otherwise."""
        return Webhook(secret).verify(self.body, self.headers)

    def signed_by(self, secret: str) -> bool:
        """Whether one of the signatures is `secret`'s over this id, timestamp and body,
        whatever the time now (for attempts made at a clock a test moved ahead)."""
        expected = Webhook(secret).sign(self.message_id, self.timestamp, self.body.decode())
        return expected in self.headers["webhook-signature"].split(" ")


@dataclass
class _Script:
    statuses: list[int] = field(default_factory=lambda: [204])
    held: asyncio.Event | None = None
    location: str | None = None


class PartnerReceiver(FakeService):
    def __init__(self) -> None:
        self.requests: list[ReceivedWebhook] = []
        self.in_flight: dict[str, int] = defaultdict(int)
        self.most_in_flight: dict[str, int] = defaultdict(int)
        self._scripts: dict[str, _Script] = {}
        self._closing = asyncio.Event()
        super().__init__(Starlette(routes=[]))
        self.app.add_route("/{path:path}", self._receive, methods=["POST", "GET"])

    def url(self, path: str) -> str:
        return self.base_url + path

    async def start(self) -> None:
        self._closing.clear()
        await super().start()

    async def stop(self) -> None:
        self._closing.set()  # held requests are let go, so shutting down never waits
        await super().stop()

    # --- scripting ---------------------------------------------------------------------

    def answer(self, path: str, *statuses: int) -> None:
        self._script(path).statuses = list(statuses)

    def hold(self, path: str) -> None:
        self._script(path).held = asyncio.Event()

    def release(self, path: str) -> None:
        held = self._script(path).held
        if held is not None:
            held.set()

    def redirect(self, path: str, location: str, status: int = 307) -> None:
        script = self._script(path)
        script.statuses, script.location = [status], location

    def _script(self, path: str) -> _Script:
        return self._scripts.setdefault(path, _Script())

    # --- reading -----------------------------------------------------------------------

    def received(self, path: str | None = None) -> list[ReceivedWebhook]:
        return [r for r in self.requests if path is None or r.path == path]

    def types(self, path: str | None = None) -> list[str]:
        return [r.json["type"] for r in self.received(path)]

    # --- the endpoint ------------------------------------------------------------------

    async def _receive(self, request: Request) -> Response:
        path = request.url.path
        received = ReceivedWebhook(
            path=path,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await request.body(),
        )
        script = self._script(path)
        status = script.statuses.pop(0) if len(script.statuses) > 1 else script.statuses[0]
        self.in_flight[path] += 1
        self.most_in_flight[path] = max(self.most_in_flight[path], self.in_flight[path])
        self.requests.append(received)
        try:
            if script.held is not None:
                closing = asyncio.ensure_future(self._closing.wait())
                released = asyncio.ensure_future(script.held.wait())
                await asyncio.wait({closing, released}, return_when=asyncio.FIRST_COMPLETED)
                closing.cancel()
                released.cancel()
        finally:
            self.in_flight[path] -= 1
        headers = {"location": script.location} if script.location else None
        return Response(status_code=status, headers=headers)
