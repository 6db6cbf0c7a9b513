"""POST /webhooks/stripe: verified with the Stripe SDK (300 s tolerance) before anything else."""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from core.services import stripe_events
from core.settings import Settings

log = logging.getLogger(__name__)
_MAX_BODY = 512 * 1024
TOLERANCE_SECONDS = 300


def stripe_webhook(settings: Settings):  # type: ignore[no-untyped-def]
    async def receive(request: Request) -> Response:
        import stripe  # loaded with the first delivery, not at process start

        if settings.stripe_webhook_secret is None:
            log.error("Stripe webhook called but STRIPE_WEBHOOK_SECRET is not set")
            return PlainTextResponse("Stripe is not configured.", status_code=400)
        body = await request.body()
        if len(body) > _MAX_BODY:
            return PlainTextResponse("Too large.", status_code=413)
        try:
            payload = body.decode("utf-8")
            stripe.WebhookSignature.verify_header(
                payload,
                request.headers.get("stripe-signature"),
                settings.stripe_webhook_secret.get_secret_value(),
                TOLERANCE_SECONDS,
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
