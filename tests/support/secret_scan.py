"""The secret scan: no secret in a response, a WebSocket message, a log line or a call event.

Everything the suite gets from our own endpoints (HTTP responses and WebSocket
messages) and every log record is kept; secrets the suite plants are
registered as they appear. After every test (an autouse fixture in
tests/conftest.py) what was recorded since the previous test is checked and
dropped, so a leak fails the test that caused it. None may be found anywhere
it must not be:

- secrets a response legitimately shows once (a new refresh token, a new API
  key, a webhook endpoint's new signing secret) must not appear in anything
  recorded after that;
- secrets that must never leave the server (OAuth tokens, secret headers and
  tool secrets sent in, password hashes, sealed values) must appear nowhere.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

import httpx

_OUR_PATHS = ("/graphql", "/webhooks/", "/oauth/", "/auth/", "/healthz", "/readyz")
_MAX_TEXT = 256 * 1024
_MIN_SECRET = 12


@dataclass(frozen=True)
class Planted:
    seq: int
    label: str
    value: str
    anywhere: bool


@dataclass(frozen=True)
class Recorded:
    seq: int
    where: str
    text: str


class SecretScanner:
    def __init__(self) -> None:
        self._counter = itertools.count()
        self.planted: list[Planted] = []
        self.recorded: list[Recorded] = []
        self._known: set[str] = set()
        # Call events already scanned (their rows stay until the module's data is reset).
        self.scanned_events: set[object] = set()

    def forget_planted(self) -> None:
        """A new module starts on an empty database: its secrets are new ones."""
        self.planted.clear()
        self._known.clear()
        self.scanned_events.clear()

    def check(self, extra: list[Recorded] | None = None) -> list[str]:
        """Leaks in what was recorded since the last check (and `extra`); forgets it."""
        recorded, self.recorded = self.recorded, []
        return self._violations([*recorded, *(extra or [])])

    def plant(self, value: Any, label: str, *, anywhere: bool) -> None:
        if not isinstance(value, str) or len(value) < _MIN_SECRET or value in self._known:
            return
        self._known.add(value)
        self.planted.append(Planted(next(self._counter), label, value, anywhere))

    def record(self, where: str, text: str) -> None:
        self.recorded.append(Recorded(next(self._counter), where, text[:_MAX_TEXT]))

    def record_response(self, path: str, text: str) -> None:
        if not path.startswith(_OUR_PATHS):
            return
        issued = self._issued(text)
        # tokenRefresh's grace window hands out the same pair again: a response may carry
        # the refresh token it issues, even when an earlier response issued it first.
        for label, value in issued:
            if label == "refresh token" and value in self._known:
                text = text.replace(value, "<issued again>")
        self.record(f"response {path}", text)
        for label, value in issued:
            self.plant(value, label, anywhere=False)

    def record_request(self, path: str, body: bytes) -> None:
        """Secrets a test sends in (tool secrets, secret headers) must never come back out."""
        if not path.startswith("/graphql") or b"secret" not in body.lower():
            return
        try:
            payload = json.loads(body)
        except ValueError:
            return
        for key, value in _walk(payload):
            if key in ("secretConfig", "secretHeaders", "secret_config", "secret_headers"):
                for _, leaf in _walk(value):
                    self.plant(leaf, f"sent in {key}", anywhere=True)

    def _issued(self, text: str) -> list[tuple[str, str]]:
        """The refresh tokens, API keys and webhook signing secrets this response issues."""
        if "refreshToken" not in text and '"key"' not in text and "signingSecret" not in text:
            return []
        try:
            payload = json.loads(text)
        except ValueError:
            return []
        issued = []
        for key, value in _walk(payload):
            if key == "refreshToken" and isinstance(value, str):
                issued.append(("refresh token", value))
            elif key == "key" and isinstance(value, str) and value.startswith("vak_"):
                issued.append(("API key", value))
            elif key == "signingSecret" and isinstance(value, str):
                issued.append(("webhook signing secret", value))
        return issued

    def _violations(self, items: list[Recorded]) -> list[str]:
        found = []
        for secret in self.planted:
            for item in items:
                if not secret.anywhere and item.seq <= secret.seq:
                    continue
                if secret.value in item.text:
                    found.append(
                        f"{secret.label} ({secret.value[:6]}…) found in {item.where}: "
                        f"{_around(item.text, secret.value)}"
                    )
                    break
        return found


class CapturingHandler(logging.Handler):
    def __init__(self, scanner: SecretScanner) -> None:
        super().__init__(level=logging.INFO)
        self.scanner = scanner

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            extras = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS}
            if extras:
                text += " " + repr(extras)
            if record.exc_info and record.exc_info[1] is not None:
                text += " " + repr(record.exc_info[1])
            self.scanner.record(f"log {record.name}", text)
        except Exception:  # a log line that cannot be rendered is not the test's problem
            pass


_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def _walk(value: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        pairs: list[tuple[str, Any]] = []
        for k, v in value.items():
            pairs.append((k, v))
            pairs.extend(_walk(v, k))
        return pairs
    if isinstance(value, list):
        return [pair for item in value for pair in _walk(item, key)]
    return [(key, value)]


def _around(text: str, value: str) -> str:
    index = text.find(value)
    return re.sub(r"\s+", " ", text[max(0, index - 60) : index + 20])


SCANNER = SecretScanner()


def install() -> None:
    """Record every response of our endpoints and every log line (once per process)."""
    if getattr(httpx.AsyncClient.send, "_records_for_secret_scan", False):
        return
    original_send = httpx.AsyncClient.send

    async def recording_send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any):  # type: ignore[no-untyped-def]
        try:
            SCANNER.record_request(request.url.path, request.content)
        except httpx.RequestNotRead:
            pass
        response = await original_send(self, request, **kwargs)
        if not kwargs.get("stream"):
            SCANNER.record_response(request.url.path, response.text)
        return response

    recording_send._records_for_secret_scan = True  # type: ignore[attr-defined]
    httpx.AsyncClient.send = recording_send  # type: ignore[method-assign]
    root = logging.getLogger()
    root.addHandler(CapturingHandler(SCANNER))
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


async def plant_stored_secrets_and_read_events() -> list[Recorded]:
    """Values at rest that must never be shown, planted; the call events not yet scanned."""
    from orm.models import AgentTool, CallEvent, CustomFunction, User, WebhookEndpoint
    from tests.support.telephony import LIVEKIT_API_SECRET, TWILIO_AUTH_TOKEN

    # The platform's own credentials: the Twilio and LiveKit SDKs sign with them and log
    # their requests (the Twilio SDK every header but Authorization, at INFO).
    SCANNER.plant(TWILIO_AUTH_TOKEN, "Twilio auth token", anywhere=True)
    SCANNER.plant(LIVEKIT_API_SECRET, "LiveKit API secret", anywhere=True)
    for password_hash in await User.all().values_list("password_hash", flat=True):
        SCANNER.plant(password_hash, "password hash", anywhere=True)
    for sealed in await AgentTool.exclude(sensitive_config=None).values_list(
        "sensitive_config", flat=True
    ):
        SCANNER.plant(sealed, "sealed tool secrets", anywhere=True)
    for sealed in await CustomFunction.exclude(sealed_secret_headers=None).values_list(
        "sealed_secret_headers", flat=True
    ):
        SCANNER.plant(sealed, "sealed secret headers", anywhere=True)
    for sealed_pair in await WebhookEndpoint.all().values_list(
        "signing_secret_sealed", "previous_signing_secret_sealed"
    ):
        for sealed in sealed_pair:
            SCANNER.plant(sealed, "sealed webhook signing secret", anywhere=True)
    recorded = []
    for event_id, call_id, data in await CallEvent.all().values_list("id", "call_id", "data"):
        if event_id not in SCANNER.scanned_events:
            SCANNER.scanned_events.add(event_id)
            recorded.append(Recorded(-1, f"call event of {call_id}", json.dumps(data)))
    return recorded
