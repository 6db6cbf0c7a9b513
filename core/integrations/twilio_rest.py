"""Twilio's REST API through its official SDK (async), for the platform's account.

TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN name the account; TWILIO_API_BASE points the SDK
elsewhere in tests (a local fake, tests/fakes/twilio.py). The SDK is imported on first use.
Errors come back as `TwilioRefused` (Twilio answered 4xx with one of its error codes,
https://www.twilio.com/docs/api/errors) or `TwilioUnavailable` (not configured, unreachable,
or a 5xx/429): callers decide which refusals their users may hear about.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from core.settings import Settings

if TYPE_CHECKING:
    from twilio.rest import Client

T = TypeVar("T")
# A request that takes longer than this is given up (the caller's user is waiting).
REQUEST_TIMEOUT_SECONDS = 10.0


class TwilioUnavailable(Exception):
    """Twilio is not configured, unreachable, or failed on its side; the message is for logs."""


class TwilioRefused(Exception):
    """Twilio refused the request (4xx) with one of its error codes."""

    def __init__(self, code: int, status: int, message: str) -> None:
        super().__init__(f"Twilio error {code} (HTTP {status}): {message}")
        self.code, self.status, self.message = code, status, message


def twilio_client(settings: Settings) -> Client:
    """A client of the platform's account, on an async HTTP client, at TWILIO_API_BASE."""
    if not settings.twilio_account_sid or settings.twilio_auth_token is None:
        raise TwilioUnavailable("TWILIO_ACCOUNT_SID or TWILIO_AUTH_TOKEN is not set")
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        # No pooled session: it would have to be created and closed in a running loop, and
        # these requests are rare (an operator buying a number, a transfer).
        http_client=AsyncTwilioHttpClient(pool_connections=False, timeout=REQUEST_TIMEOUT_SECONDS),
    )
    # Every 2010-04-01 resource (numbers, calls) lives on the `api` domain.
    client.api.base_url = settings.twilio_api_base.rstrip("/")
    return client


async def call_twilio(awaitable: Awaitable[T]) -> T:
    """Await one SDK call, its failures as TwilioRefused or TwilioUnavailable."""
    from aiohttp import ClientError  # the SDK's async transport
    from twilio.base.exceptions import TwilioException, TwilioRestException
    from twilio.http.response import Response

    try:
        return await awaitable
    except TwilioRestException as error:
        raise _failure(int(error.status), error.code, str(error.msg)) from None
    except TwilioException as error:
        # A list's page comes back as TwilioException("Unable to fetch page", response).
        response = error.args[1] if len(error.args) > 1 else None
        if isinstance(response, Response):
            code, message = _error_body(response.text)
            raise _failure(response.status_code, code, message) from None
        raise TwilioUnavailable(f"{type(error).__name__}: {error}") from None
    except (ClientError, OSError, TimeoutError) as error:
        raise TwilioUnavailable(f"{type(error).__name__}: {error}") from None


def _failure(status: int, code: Any, message: str) -> Exception:
    if status >= 500 or status == 429:
        return TwilioUnavailable(f"Twilio answered {status}: {message}")
    return TwilioRefused(code if isinstance(code, int) else status, status, message)


def _error_body(text: str) -> tuple[Any, str]:
    """Twilio's error body: `{"code", "message", ...}` (https://www.twilio.com/docs/usage/twilios-response)."""
    try:
        body = json.loads(text)
    except ValueError:
        return None, text[:200]
    if not isinstance(body, dict):
        return None, text[:200]
    return body.get("code"), str(body.get("message", ""))
