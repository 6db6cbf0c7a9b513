"""A fake Stripe API: the endpoints the platform uses, served by uvicorn on 127.0.0.1.

    async with FakeStripe() as stripe_fake:
        settings = base.model_copy(update=stripe_fake.settings_overrides())
        ...                                           # the app calls Stripe through its SDK
        stripe_fake.customer_creates()                # what it received
        body, headers = stripe_fake.signed(event)     # a webhook delivery, signed by the SDK

It speaks Stripe's v1 wire format: form-encoded bodies with bracketed keys
(`metadata[organization_id]`, `line_items[0][price]`), a bearer secret key,
JSON objects with `id` and `object`, Stripe's error shape, and idempotency keys
(the same key with the same parameters answers the same object without creating
another; with other parameters, a 400 `idempotency_error`). Everything is in memory
and inspectable: `requests` (every request with its form body and headers),
`customers`, `checkout_sessions`, `portal_sessions`. Failures are scripted with
`fail(...)` (a 500 or a 402 card error, for some requests or until `reset()`).

Endpoints: POST /v1/customers, POST /v1/checkout/sessions,
POST /v1/billing_portal/sessions.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.base import FakeService

CHECKOUT_URL = "https://checkout.stripe.test/c/{id}"
PORTAL_URL = "https://billing.stripe.test/p/session/{id}"

_KEY_PART = re.compile(r"\[([^\]]*)\]")


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    form: dict[str, str]  # the flat form body, as sent (`metadata[kind]` -> "credits")
    params: dict[str, Any]  # the same, nested (`params["metadata"]["kind"]`)
    status: int = 0
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


@dataclass
class _Failure:
    path: str | None  # None: every endpoint
    status: int
    remaining: int | None  # None: until reset()
    should_retry: bool | None


@dataclass
class _Replay:
    path: str
    params: dict[str, Any]
    status: int
    body: dict[str, Any]


def parse_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's bracketed form keys, nested: `a[b][0][c]=v` -> {"a": {"b": [{"c": "v"}]}}."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        parts = [head, *_KEY_PART.findall(key[len(head) :])]
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            nxt = None if last else parts[index + 1]
            container_for_next: Any = [] if (nxt is not None and nxt.isdigit()) else {}
            if isinstance(node, list):
                position = int(part)
                while len(node) <= position:
                    node.append(None)
                if last:
                    node[position] = value
                else:
                    if node[position] is None:
                        node[position] = container_for_next
                    node = node[position]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, container_for_next)
    return root


def stripe_error(
    status: int,
    *,
    type_: str = "invalid_request_error",
    message: str,
    code: str | None = None,
    param: str | None = None,
    decline_code: str | None = None,
    should_retry: bool | None = None,
) -> JSONResponse:
    error: dict[str, Any] = {"type": type_, "message": message}
    if code:
        error["code"] = code
    if param:
        error["param"] = param
    if decline_code:
        error["decline_code"] = decline_code
    headers = {"Request-Id": f"req_{secrets.token_hex(7)}"}
    if should_retry is not None:
        headers["Stripe-Should-Retry"] = "true" if should_retry else "false"
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class FakeStripe(FakeService):
    """The fake server and its state. Use as `async with FakeStripe() as stripe_fake:`."""

    def __init__(self, *, secret_key: str | None = None, webhook_secret: str | None = None):
        self.secret_key = secret_key or f"sk_test_{secrets.token_urlsafe(24)}"
        self.webhook_secret = webhook_secret or f"whsec_{secrets.token_urlsafe(24)}"
        self.reset()
        app = Starlette(
            routes=[
                Route("/v1/customers", self._customers, methods=["POST"]),
                Route("/v1/checkout/sessions", self._checkout_sessions, methods=["POST"]),
                Route("/v1/billing_portal/sessions", self._portal_sessions, methods=["POST"]),
                Route("/{path:path}", self._not_found, methods=["GET", "POST", "DELETE"]),
            ]
        )
        super().__init__(app)

    # ----- lifecycle -------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every object, request, idempotency key and scripted failure."""
        self.requests: list[RecordedRequest] = []
        self.customers: dict[str, dict[str, Any]] = {}
        self.checkout_sessions: dict[str, dict[str, Any]] = {}
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self._idempotency: dict[str, _Replay] = {}
        self._failures: list[_Failure] = []

    def settings_overrides(self) -> dict[str, Any]:
        """For `Settings.model_copy(update=...)`: the API base, the secret and webhook keys."""
        return {
            "stripe_api_base": self.base_url,
            "stripe_secret_key": SecretStr(self.secret_key),
            "stripe_webhook_secret": SecretStr(self.webhook_secret),
        }

    # ----- scripting -------------------------------------------------------------------

    def fail(
        self,
        *,
        status: int = 500,
        path: str | None = None,
        times: int | None = None,
        should_retry: bool | None = None,
    ) -> None:
        """Answer the next `times` requests (to `path`, or any) with an error; None: all.

        500 is an api_error; 402 is a declined card (card_error). `should_retry` sets
        Stripe's `Stripe-Should-Retry` header, which the SDK obeys. Failures happen
        before the idempotency layer, so they are not replayed.
        """
        self._failures.append(_Failure(path, status, times, should_retry))

    # ----- inspection ------------------------------------------------------------------

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]

    def customer_creates(self) -> list[RecordedRequest]:
        return self.requests_to("/v1/customers")

    def checkout_creates(self) -> list[RecordedRequest]:
        return self.requests_to("/v1/checkout/sessions")

    def portal_creates(self) -> list[RecordedRequest]:
        return self.requests_to("/v1/billing_portal/sessions")

    def session_by_url(self, url: str) -> dict[str, Any]:
        for session in self.checkout_sessions.values():
            if session["url"] == url:
                return session
        raise AssertionError(f"no Checkout session has the URL {url}")

    # ----- webhooks --------------------------------------------------------------------

    @staticmethod
    def event(
        type_: str, obj: dict[str, Any], *, created: int | None = None, event_id: str | None = None
    ) -> dict[str, Any]:
        """A Stripe-shaped event envelope around `obj`."""
        return {
            "id": event_id or _new_id("evt"),
            "object": "event",
            "api_version": "2025-03-31.basil",
            "created": int(created if created is not None else time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type_,
            "data": {"object": obj},
        }

    def signed(
        self,
        event: dict[str, Any] | str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of a webhook delivery, signed with the SDK's own code."""
        payload = event if isinstance(event, str) else json.dumps(event)
        header = stripe.WebhookSignature.generate_signature_header(
            payload, secret or self.webhook_secret, timestamp=timestamp
        )
        return payload.encode("utf-8"), {
            "Stripe-Signature": header,
            "Content-Type": "application/json; charset=utf-8",
        }

    def checkout_completed_event(
        self,
        session_id: str,
        *,
        payment_status: str = "paid",
        subscription_id: str | None = None,
        created: int | None = None,
    ) -> dict[str, Any]:
        """`checkout.session.completed` for a session the app created here."""
        session = dict(self.checkout_sessions[session_id])
        session.update(status="complete", payment_status=payment_status)
        if session["mode"] == "subscription":
            session["subscription"] = subscription_id or _new_id("sub")
        else:
            session["payment_intent"] = _new_id("pi")
            session["amount_total"] = sum(
                int(item.get("quantity") or 1)
                * int((item.get("price_data") or {}).get("unit_amount") or 0)
                for item in session["_line_items"]
            )
        session.pop("_line_items", None)
        return self.event("checkout.session.completed", session, created=created)

    # ----- endpoints -------------------------------------------------------------------

    async def _read(self, request: Request) -> RecordedRequest:
        body = (await request.body()).decode("utf-8")
        pairs = parse_qsl(body, keep_blank_values=True)
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            headers={name.lower(): value for name, value in request.headers.items()},
            form=dict(pairs),
            params=parse_form(pairs),
        )
        self.requests.append(recorded)
        return recorded

    def _gate(self, recorded: RecordedRequest) -> Response | None:
        """Authentication and scripted failures, before anything is created."""
        if recorded.authorization != f"Bearer {self.secret_key}":
            return stripe_error(
                401,
                message="Invalid API Key provided.",
                code="api_key_invalid",
            )
        for failure in self._failures:
            if failure.path not in (None, recorded.path):
                continue
            if failure.remaining is not None:
                if failure.remaining <= 0:
                    continue
                failure.remaining -= 1
            if failure.status == 402:
                return stripe_error(
                    402,
                    type_="card_error",
                    code="card_declined",
                    decline_code="generic_decline",
                    message="Your card was declined.",
                    should_retry=failure.should_retry,
                )
            return stripe_error(
                failure.status,
                type_="api_error",
                message="An unknown error occurred",
                should_retry=failure.should_retry,
            )
        return None

    def _respond(
        self, recorded: RecordedRequest, create: Any
    ) -> Response:  # create: () -> (status, body)
        gated = self._gate(recorded)
        if gated is not None:
            recorded.status = gated.status_code
            return gated
        key = recorded.idempotency_key
        if key and key in self._idempotency:
            replay = self._idempotency[key]
            if replay.path != recorded.path or replay.params != recorded.params:
                recorded.status = 400
                return stripe_error(
                    400,
                    type_="idempotency_error",
                    message=(
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with."
                    ),
                )
            recorded.status, recorded.response = replay.status, replay.body
            return JSONResponse(
                replay.body, status_code=replay.status, headers={"Idempotent-Replayed": "true"}
            )
        # No await from here on: a request is created and remembered atomically.
        status, body = create(recorded.params)
        # Like Stripe, requests that fail validation are not remembered under their key.
        if key and status == 200:
            self._idempotency[key] = _Replay(recorded.path, recorded.params, status, body)
        recorded.status, recorded.response = status, body
        return JSONResponse(body, status_code=status)

    async def _customers(self, request: Request) -> Response:
        recorded = await self._read(request)

        def create(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            customer = {
                "id": _new_id("cus"),
                "object": "customer",
                "created": int(time.time()),
                "email": params.get("email"),
                "name": params.get("name"),
                "metadata": params.get("metadata") or {},
                "livemode": False,
            }
            self.customers[customer["id"]] = customer
            return 200, customer

        return self._respond(recorded, create)

    async def _checkout_sessions(self, request: Request) -> Response:
        recorded = await self._read(request)

        def create(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            mode = params.get("mode")
            if mode not in ("payment", "subscription", "setup"):
                return 400, _error_body("Missing required param: mode.", "mode")
            customer = params.get("customer")
            if customer is not None and customer not in self.customers:
                return 400, _error_body(f"No such customer: '{customer}'", "customer")
            line_items = params.get("line_items") or []
            if mode != "setup" and not line_items:
                return 400, _error_body("Missing required param: line_items.", "line_items")
            if not params.get("success_url"):
                return 400, _error_body("Missing required param: success_url.", "success_url")
            session_id = f"cs_test_{secrets.token_urlsafe(24)}"
            session = {
                "id": session_id,
                "object": "checkout.session",
                "created": int(time.time()),
                "mode": mode,
                "customer": customer,
                "client_reference_id": params.get("client_reference_id"),
                "metadata": params.get("metadata") or {},
                "status": "open",
                "payment_status": "unpaid",
                "subscription": None,
                "success_url": params.get("success_url"),
                "cancel_url": params.get("cancel_url"),
                "url": CHECKOUT_URL.format(id=session_id),
                "livemode": False,
            }
            self.checkout_sessions[session_id] = {**session, "_line_items": line_items}
            return 200, session

        return self._respond(recorded, create)

    async def _portal_sessions(self, request: Request) -> Response:
        recorded = await self._read(request)

        def create(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            customer = params.get("customer")
            if not customer:
                return 400, _error_body("Missing required param: customer.", "customer")
            if customer not in self.customers:
                return 400, _error_body(f"No such customer: '{customer}'", "customer")
            session_id = _new_id("bps")
            session = {
                "id": session_id,
                "object": "billing_portal.session",
                "created": int(time.time()),
                "customer": customer,
                "return_url": params.get("return_url"),
                "url": PORTAL_URL.format(id=session_id),
                "livemode": False,
            }
            self.portal_sessions[session_id] = session
            return 200, session

        return self._respond(recorded, create)

    async def _not_found(self, request: Request) -> Response:
        await self._read(request)
        return stripe_error(404, message=f"Unrecognized request URL ({request.url.path}).")


def _error_body(message: str, param: str) -> dict[str, Any]:
    code = "resource_missing" if message.startswith("No such") else "parameter_missing"
    return {
        "error": {"type": "invalid_request_error", "code": code, "param": param, "message": message}
    }


# ----- Stripe objects, shaped like the API's (only what the handlers read, and a bit more) -----
# https://docs.stripe.com/api/checkout/sessions/object, /api/invoices/object,
# /api/subscriptions/object


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def credits_session(
    organization_uuid: uuid.UUID,
    credits: int,
    *,
    customer: str | None = None,
    payment_status: str = "paid",
    session_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": session_id or f"cs_test_{uuid.uuid4().hex}",
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": payment_status,
        "customer": customer or new_id("cus"),
        "client_reference_id": str(organization_uuid),
        "amount_total": credits,
        "currency": "usd",
        "metadata": {
            "organization_id": str(organization_uuid),
            "kind": "credits",
            "credits": str(credits),
        },
    }


def subscription_session(
    organization_uuid: uuid.UUID, plan_key: str, *, customer: str, subscription: str
) -> dict[str, Any]:
    metadata = {
        "organization_id": str(organization_uuid),
        "kind": "subscription",
        "plan_key": plan_key,
    }
    return {
        "id": f"cs_test_{uuid.uuid4().hex}",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "customer": customer,
        "client_reference_id": str(organization_uuid),
        "subscription": subscription,
        "metadata": metadata,
    }


def invoice(
    *,
    customer: str,
    price_id: str | None,
    period_start: int,
    period_end: int,
    subscription: str | None = None,
    invoice_id: str | None = None,
    amount: int = 4900,
    status: str = "paid",
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "id": new_id("il"),
        "object": "line_item",
        "amount": amount,
        "period": {"start": period_start, "end": period_end},
    }
    if price_id:
        line["price"] = {"id": price_id, "object": "price"}
    return {
        "id": invoice_id or new_id("in"),
        "object": "invoice",
        "customer": customer,
        "subscription": subscription,
        "status": status,
        "amount_due": amount,
        "amount_paid": amount if status == "paid" else 0,
        "currency": "usd",
        "metadata": {},
        "lines": {"object": "list", "data": [line]},
    }


def subscription(
    organization_uuid: uuid.UUID,
    *,
    subscription_id: str,
    customer: str,
    status: str,
    price_id: str,
    period_start: int,
    period_end: int,
    cancel_at_period_end: bool = False,
) -> dict[str, Any]:
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "metadata": {"organization_id": str(organization_uuid), "kind": "subscription"},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": new_id("si"),
                    "object": "subscription_item",
                    "price": {"id": price_id, "object": "price"},
                    "quantity": 1,
                    "current_period_start": period_start,
                    "current_period_end": period_end,
                }
            ],
        },
    }
