"""Stripe through its official SDK (async, httpx): customers, Checkout, the billing portal.

STRIPE_API_BASE points the SDK elsewhere in tests (a local fake of these endpoints).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from core.settings import Settings

if TYPE_CHECKING:
    from stripe.params import CustomerCreateParams


class BillingUnavailable(Exception):
    """Stripe is not configured, unreachable, or refused; the message is for logs."""


def verify_webhook(
    payload: str, signature_header: str | None, *, secret: str, tolerance_seconds: int
) -> None:
    """Raise `stripe.SignatureVerificationError` unless Stripe signed `payload` within
    `tolerance_seconds` of now, before or after.

    The SDK refuses only timestamps older than the tolerance: a delivery signed with a
    timestamp far ahead would stay acceptable until then, so the future is checked here."""
    import stripe

    stripe.WebhookSignature.verify_header(payload, signature_header, secret, tolerance_seconds)
    # The SDK has just parsed this header, so it holds a `t=` with an integer (the first wins).
    timestamp = int(
        next(
            value
            for name, _, value in (item.partition("=") for item in str(signature_header).split(","))
            if name == "t"
        )
    )
    if timestamp > time.time() + tolerance_seconds:
        raise stripe.SignatureVerificationError(
            f"Timestamp outside the tolerance zone ({timestamp})", signature_header, payload
        )


class StripeBilling:
    def __init__(self, settings: Settings) -> None:
        if settings.stripe_secret_key is None:
            raise BillingUnavailable("STRIPE_SECRET_KEY is not set")
        # The SDK (~25 MB) is loaded on the first billing action, not at process start.
        import stripe

        self._error = stripe.StripeError
        self._client = stripe.StripeClient(
            settings.stripe_secret_key.get_secret_value(),
            base_addresses={"api": settings.stripe_api_base},
            http_client=stripe.HTTPXClient(),
            max_network_retries=2,
        )

    async def create_customer(self, *, organization_id: str, name: str, email: str | None) -> str:
        params: CustomerCreateParams = {
            "name": name,
            "metadata": {"organization_id": organization_id},
        }
        if email:
            params["email"] = email
        # The key makes concurrent first purchases of one organization share one customer.
        customer = await self._call(
            self._client.v1.customers.create_async(
                params, {"idempotency_key": f"customer-{organization_id}"}
            )
        )
        return str(customer.id)

    async def subscription_checkout(
        self,
        *,
        customer_id: str,
        price_id: str,
        organization_id: str,
        plan_key: str,
        success_url: str,
        cancel_url: str,
    ) -> str:
        metadata = {
            "organization_id": organization_id,
            "kind": "subscription",
            "plan_key": plan_key,
        }
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(
                {
                    "mode": "subscription",
                    "customer": customer_id,
                    "client_reference_id": organization_id,
                    "line_items": [{"price": price_id, "quantity": 1}],
                    "success_url": success_url,
                    "cancel_url": cancel_url,
                    "metadata": metadata,
                    "subscription_data": {"metadata": metadata},
                }
            )
        )
        return str(session.url)

    async def credits_checkout(
        self,
        *,
        customer_id: str,
        credits: int,
        unit_amount_cents: int,
        currency: str,
        organization_id: str,
        success_url: str,
        cancel_url: str,
    ) -> str:
        session = await self._call(
            self._client.v1.checkout.sessions.create_async(
                {
                    "mode": "payment",
                    "customer": customer_id,
                    "client_reference_id": organization_id,
                    "line_items": [
                        {
                            "quantity": credits,
                            "price_data": {
                                "currency": currency,
                                "unit_amount": unit_amount_cents,
                                "product_data": {"name": "Call credits"},
                            },
                        }
                    ],
                    "success_url": success_url,
                    "cancel_url": cancel_url,
                    "metadata": {
                        "organization_id": organization_id,
                        "kind": "credits",
                        "credits": str(credits),
                    },
                }
            )
        )
        return str(session.url)

    async def portal(self, *, customer_id: str, return_url: str) -> str:
        session = await self._call(
            self._client.v1.billing_portal.sessions.create_async(
                {"customer": customer_id, "return_url": return_url}
            )
        )
        return str(session.url)

    async def _call(self, awaitable: Any) -> Any:
        try:
            return await awaitable
        except self._error as error:
            raise BillingUnavailable(
                f"{type(error).__name__}: {error.user_message or ''}"
            ) from None
