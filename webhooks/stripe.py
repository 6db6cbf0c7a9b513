"""POST /webhooks/stripe: verified with the Stripe SDK before anything else, its timestamp
within 300 s of our clock either way."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from core.integrations.stripe_billing import verify_webhook
from core.services import stripe_events
from core.settings import Settings

log = logging.getLogger(__name__)
# The most this endpoint reads; the app enforces it while the body streams in.
MAX_BODY_BYTES = 512 * 1024
TOLERANCE_SECONDS = 300


def stripe_webhook(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def receive(request: Request) -> Response:
        import stripe  # loaded with the first delivery, not at process start

        if settings.stripe_webhook_secret is None:
            log.error("Stripe webhook called but STRIPE_WEBHOOK_SECRET is not set")
            return PlainTextResponse("Stripe is not configured.", status_code=400)
        body = await request.body()
        try:
            payload = body.decode("utf-8")
            # The SDK's check, and the same tolerance for timestamps ahead of our clock.
            verify_webhook(
                payload,
                request.headers.get("stripe-signature"),
                secret=settings.stripe_webhook_secret.get_secret_value(),
                tolerance_seconds=TOLERANCE_SECONDS,
            )
            event = json.loads(payload)
        except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError):
            return PlainTextResponse("Invalid signature or payload.", status_code=400)
        if not isinstance(event, dict):
            return PlainTextResponse("Invalid payload.", status_code=400)
        outcome = await stripe_events.process(event, settings=settings)
        log.info("stripe event", extra={"event_type": event.get("type"), "outcome": outcome})
        return JSONResponse({"received": True, "outcome": outcome})

    return receive
