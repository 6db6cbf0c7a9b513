"""The dispatcher: sends due partner webhook deliveries, signed, and records each outcome.

Any number of dispatchers run side by side (one in each API process, behind
`run_background_tasks`, and `voiceagents webhooks dispatch` for dedicated replicas). Each
pass claims due deliveries endpoint by endpoint: the endpoint's row is locked while its
leased deliveries are counted and more are claimed (core/jobs.py `claim_due`), so no more
than `max_concurrency` deliveries to one endpoint are in flight over every dispatcher, and
no delivery is claimed twice. Every claimed delivery is sent by a task of its own: a slow
endpoint holds only its own deliveries.

An attempt POSTs the stored body, signed (core/partner_webhooks/signatures.py), through the
SSRF guard of custom HTTP functions (core/tools/http_guard.py, allow-list
core/partner_webhooks/destinations.py), redirects not followed. A 2xx within
WEBHOOK_TIMEOUT_SECONDS is success; anything else is retried on the schedule
(core/partner_webhooks/schedule.py), and after the last attempt the delivery fails, which may
switch its endpoint off (core/partner_webhooks/failing.py).

A dispatcher that dies mid-send leaves a lease that runs out, and the delivery goes again:
delivery is at least once, and partners de-duplicate by `webhook-id`.

Time comes from `clock`, so tests move it instead of waiting; the wait between passes is
WEBHOOK_DISPATCH_POLL_SECONDS, cut short when an event is recorded in this process
(core/partner_webhooks/doorbell.py) or a send finishes. Only the poll, the doorbell and a
process that had no room for all that was due search every due delivery for their
endpoints; after a send finishes, the next pass claims for that send's endpoint alone.
The search reads the whole backlog, so a search per finished send made each delivery cost
more the further behind the dispatchers were (docs/capacity.md measured 1,113 rows read per
event at 60 events/s to one endpoint).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from tortoise.expressions import Q
from tortoise.functions import Min
from tortoise.transactions import in_transaction

from core import access_log, jobs, tenancy
from core.background import raise_if_cancelling
from core.partner_webhooks import doorbell, failing, signatures
from core.partner_webhooks.destinations import allowed_networks
from core.partner_webhooks.schedule import MAX_ATTEMPTS, retry_delay
from core.partner_webhooks.signing_secrets import SigningSecretError
from core.partner_webhooks.states import DeliveryStatus
from core.settings import Settings
from core.tools.http_guard import AllowList, BlockedDestination, GuardedTransport
from orm.models import WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# Sends one dispatcher has in flight at most (and its HTTP connections).
MAX_IN_FLIGHT = 100
# Endpoints with due deliveries looked at per pass, the longest waiting first.
ENDPOINTS_PER_PASS = 100
# `last_error`'s column.
_ERROR_LENGTH = 300


def utc_now() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311  (jitter, not a secret)
        self._timeout = settings.webhook_timeout_seconds
        # Longer than any attempt can take, so a live sender's lease never runs out.
        self._lease_seconds = max(60.0, 3 * self._timeout)
        self._max_in_flight = max_in_flight
        self._client = httpx.AsyncClient(
            transport=transport
            or GuardedTransport(
                AllowList(allowed_networks(settings)),
                limits=httpx.Limits(max_connections=max_in_flight),
            ),
            follow_redirects=False,
            timeout=httpx.Timeout(self._timeout),
            trust_env=False,
        )
        self._sending: set[asyncio.Task[None]] = set()
        # Set when a send finishes: its endpoint (in `_freed`) has room again.
        self._room = asyncio.Event()
        self._freed: set[uuid.UUID] = set()
        # Whether the last pass left due work for lack of room in this process.
        self._was_full = False
        # Searches of every due delivery made so far (a test counts them).
        self.searches = 0
        # Passes made so far (what a test waits on to know this dispatcher looked again).
        self.passes = 0
        # Endpoint URLs may carry a partner's token: never in a log line.
        access_log.install_client()

    # --- running -------------------------------------------------------------------------

    async def run(self) -> None:
        """Dispatch until cancelled."""
        with doorbell.listening() as bell:
            search = True
            try:
                while True:
                    bell.clear()
                    self._room.clear()
                    try:
                        await (self.dispatch_due() if search else self.dispatch_freed())
                    except Exception:
                        raise_if_cancelling()
                        log.exception("partner webhook dispatch pass failed")
                    raise_if_cancelling()
                    search = await self._next_wake(bell)
            finally:
                await self._abandon()

    async def _next_wake(self, bell: asyncio.Event) -> bool:
        """Wait until there is a reason to look again; whether every due delivery must be
        searched (the poll interval passed, the doorbell rang, or the last pass had no room
        for all that was due) rather than only the endpoints whose sends finished."""
        waits = [asyncio.ensure_future(bell.wait()), asyncio.ensure_future(self._room.wait())]
        try:
            done, _ = await asyncio.wait(
                waits,
                timeout=self.settings.webhook_dispatch_poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for wait in waits:
                wait.cancel()
        return not done or bell.is_set() or self._was_full

    async def dispatch_due(self) -> int:
        """Claim the deliveries due now, as many as their endpoints' caps allow, and start
        sending each; returns how many started."""
        now = self._clock()
        self._freed.clear()  # the search covers their endpoints
        if self._max_in_flight - len(self._sending) <= 0:
            return self._passed(0, was_full=True)
        with tenancy.platform_scope("partner webhook dispatcher: the deliveries due"):
            due = await self._due_endpoints(now)
        self.searches += 1
        # A search that found as many endpoints as it reads may have left others due.
        return await self._dispatch(due, now, more_due=len(due) >= ENDPOINTS_PER_PASS)

    async def dispatch_freed(self) -> int:
        """Claim more for the endpoints whose sends finished since the last pass (what they
        have due, as their caps allow); returns how many started."""
        freed, self._freed = sorted(self._freed), set()
        return await self._dispatch(freed, self._clock(), more_due=False)

    async def _dispatch(
        self, endpoint_ids: list[uuid.UUID], now: datetime, *, more_due: bool
    ) -> int:
        room = self._max_in_flight - len(self._sending)
        started = 0
        for endpoint_id in endpoint_ids:
            if started >= room:
                return self._passed(started, was_full=True)
            with tenancy.platform_scope("partner webhook dispatcher: claiming"):
                endpoint, claimed = await self._claim(endpoint_id, now, room - started)
            for delivery in claimed:
                assert endpoint is not None
                self._start(endpoint, delivery)
                started += 1
        return self._passed(started, was_full=more_due)

    def _passed(self, started: int, *, was_full: bool) -> int:
        self._was_full = was_full
        self.passes += 1
        return started

    async def idle(self) -> None:
        """Until every send started so far has recorded its outcome."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def aclose(self) -> None:
        await self._abandon()
        await self._client.aclose()

    # --- claiming ------------------------------------------------------------------------

    async def _due_endpoints(self, now: datetime) -> list[uuid.UUID]:
        due = Q(
            jobs.lease_is_free(now),
            status=DeliveryStatus.PENDING.value,
            next_attempt_at__lte=now,
            endpoint__is_enabled=True,
        )
        rows = (
            await WebhookDelivery.filter(due)
            .annotate(oldest=Min("next_attempt_at"))
            .group_by("endpoint_id")
            .order_by("oldest")
            .limit(ENDPOINTS_PER_PASS)
            .values("endpoint_id")
        )
        return [row["endpoint_id"] for row in rows]

    async def _claim(
        self, endpoint_id: uuid.UUID, now: datetime, most: int
    ) -> tuple[WebhookEndpoint | None, list[WebhookDelivery]]:
        async with in_transaction():
            # The claimers of one endpoint queue on its row (FOR UPDATE on PostgreSQL; on
            # SQLite transactions take turns), so their counts of what is in flight hold.
            endpoint = (
                await WebhookEndpoint.filter(id=endpoint_id, is_enabled=True)
                .select_for_update()
                .first()
            )
            if endpoint is None:
                return None, []
            # Only pending deliveries hold a claim (an outcome clears it), so `status` is not
            # asked: with it, the planner (its statistics behind a burst of deliveries) could
            # take the endpoint's pending index and read the whole backlog; without it, the
            # index on (endpoint, claimed_until) reads the claims alone.
            in_flight = await WebhookDelivery.filter(
                endpoint_id=endpoint_id, claimed_until__gt=now
            ).count()
            limit = min(most, endpoint.max_concurrency - in_flight)
            if limit <= 0:
                return endpoint, []
            claimed = await jobs.claim_due(
                WebhookDelivery,
                lease_seconds=self._lease_seconds,
                limit=limit,
                where=Q(endpoint_id=endpoint_id),
                now=now,
            )
        return endpoint, claimed

    # --- sending -------------------------------------------------------------------------

    def _start(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> None:
        # The send and its outcome (a retry, a disabled endpoint, the admins' mail) reach
        # the endpoint's organization only: the task keeps the scope it was created in.
        with tenancy.tenant_scope([endpoint.organization_id]):
            task = asyncio.create_task(self._deliver(endpoint, delivery))
        self._sending.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self._sending.discard(done)
            self._freed.add(endpoint.id)
            self._room.set()  # the endpoint has room again

        task.add_done_callback(finished)

    async def _deliver(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> None:
        try:
            at = self._clock()
            started = time.perf_counter()
            status, error = await self._attempt(endpoint, delivery, at)
            latency_ms = round((time.perf_counter() - started) * 1000)
            await self._record(delivery, at=at, status=status, error=error, latency_ms=latency_ms)
        except asyncio.CancelledError:
            # Shutting down mid-send: give it back at once; it may have arrived, and goes
            # again (at least once).
            with contextlib.suppress(Exception):
                await asyncio.shield(jobs.release(WebhookDelivery, [delivery.id]))
            raise
        except Exception:
            # The lease runs out and the delivery goes again; never the dispatcher's end.
            log.exception(
                "partner webhook delivery could not be recorded",
                extra={"webhook_delivery_id": str(delivery.id)},
            )

    async def _attempt(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, at: datetime
    ) -> tuple[int | None, str | None]:
        """One POST: the response status (None when none came) and what went wrong (None on
        a 2xx). Errors name the kind of failure, never the URL (it may carry a token)."""
        try:
            secrets = signatures.signing_secrets(endpoint, self.settings, at)
        except SigningSecretError:
            return None, "the endpoint's signing secret does not open here; rotate it"
        headers = signatures.headers(
            message_id=delivery.message_id, body=delivery.body, secrets=secrets, at=at
        )
        try:
            request = self._client.build_request(
                "POST", endpoint.url, content=delivery.body.encode(), headers=headers
            )
            async with asyncio.timeout(self._timeout):
                response = await self._client.send(request, stream=True)
                await response.aclose()  # the answer's body is not read: only its status counts
        except BlockedDestination:
            return None, "refused: the host is private, loopback, link-local or internal"
        except (TimeoutError, httpx.TimeoutException):
            return None, f"no answer within {self._timeout:g} s"
        except (httpx.HTTPError, httpx.InvalidURL) as failure:
            return None, f"could not connect or send ({type(failure).__name__})"
        if 200 <= response.status_code < 300:
            return response.status_code, None
        if 300 <= response.status_code < 400:
            return response.status_code, f"HTTP {response.status_code}: redirects are not followed"
        return response.status_code, f"HTTP {response.status_code}"

    async def _record(
        self,
        delivery: WebhookDelivery,
        *,
        at: datetime,
        status: int | None,
        error: str | None,
        latency_ms: int,
    ) -> None:
        now = self._clock()
        attempts = delivery.attempts + 1
        outcome: dict[str, object] = {
            "attempts": attempts,
            "last_attempt_at": at,
            "last_response_status": status,
            "last_latency_ms": latency_ms,
            "last_error": error[:_ERROR_LENGTH] if error else None,
            "claimed_until": None,
            "updated_at": now,
        }
        held = WebhookDelivery.filter(id=delivery.id, status=DeliveryStatus.PENDING.value)
        if error is None:
            await held.update(status=DeliveryStatus.SUCCEEDED.value, delivered_at=now, **outcome)
            return
        log.info(
            "partner webhook delivery failed",
            extra={
                "webhook_delivery_id": str(delivery.id),
                "webhook_endpoint_id": str(delivery.endpoint_id),
                "attempts": attempts,
                "response_status": status,
            },
        )
        delay = retry_delay(attempts, self._rng)
        if delay is not None:
            await held.update(next_attempt_at=now + delay, **outcome)
            return
        await held.update(status=DeliveryStatus.FAILED.value, **outcome)
        # Given up at the end of its schedule (not after a retry by hand): did the endpoint
        # fail throughout?
        if attempts == MAX_ATTEMPTS and await failing.failed_throughout(delivery):
            await failing.disable(
                delivery, last_error=str(outcome["last_error"]), settings=self.settings, now=now
            )

    async def _abandon(self) -> None:
        sending = list(self._sending)
        for task in sending:
            task.cancel()
        await asyncio.gather(*sending, return_exceptions=True)
