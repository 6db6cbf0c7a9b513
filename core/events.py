"""The event envelope and the bus that carries it to every API replica.

Every live thing is one envelope: `{id, type, organization_id, agent_id,
call_id, seq, occurred_at, data}`, where `type` and `data` are one typed payload of
core/call_events.py. Writers append it to `call_events` first (the record) and then
publish it (the stream); subscribers that missed something, because they connected late
or Redis was away, read it back from the record by `seq`.

Two buses, one interface: Redis pub/sub when REDIS_URL is set (several API
replicas and the worker share it), in-process otherwise (the embedded default,
where the API and the webhooks share one process).

The same buses carry revocations on a channel of their own: when a credential
ends (sign-out, API key revocation, password reset, deactivation) or a person's
access to an organization shrinks, every API replica hears it and closes the
sockets that hold it (graphql_api/websocket.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from core.background import raise_if_cancelling
from core.call_events import DASHBOARD_TYPES, CallEventPayload, CallEventType, decode

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

_REDIS_RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)
# How long a new subscription waits for Redis to confirm its SUBSCRIBE before it goes on
# anyway (reading the record covers what it might miss).
_CONFIRM_SECONDS = 5.0


@dataclass(frozen=True)
class Event:
    """One call event as it travels: the envelope around a typed payload."""

    organization_id: uuid.UUID
    call_id: uuid.UUID
    seq: int
    payload: CallEventPayload
    agent_id: uuid.UUID | None = None
    occurred_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def type(self) -> CallEventType:
        return self.payload.event_type

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": str(self.id),
                "type": self.type.value,
                "organization_id": str(self.organization_id),
                "call_id": str(self.call_id),
                "agent_id": str(self.agent_id) if self.agent_id is not None else None,
                "seq": self.seq,
                "occurred_at": self.occurred_at.isoformat(),
                "data": self.payload.to_data(),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Event:
        """Raises ValueError, KeyError or TypeError for anything but an envelope."""
        raw = json.loads(text)
        return cls(
            id=uuid.UUID(raw["id"]),
            organization_id=uuid.UUID(raw["organization_id"]),
            call_id=uuid.UUID(raw["call_id"]),
            agent_id=uuid.UUID(raw["agent_id"]) if raw.get("agent_id") else None,
            seq=int(raw["seq"]),
            occurred_at=datetime.fromisoformat(raw["occurred_at"]),
            payload=decode(raw["type"], raw.get("data") or {}),
        )


REVOCATIONS_CHANNEL = "va:revocations"


class RevocationKind(enum.StrEnum):
    SESSION = "session"  # one session ended: sign-out, a reused refresh token
    USER = "user"  # every session of a user: sign-out everywhere, password reset, deactivation
    API_KEY = "api_key"  # an API key was revoked
    MEMBERSHIP = "membership"  # a user's role in one organization changed, or they left it


@dataclass(frozen=True)
class Revocation:
    """A credential ended, or a user's access to one organization changed.

    `subject_id` is the session, the user (USER and MEMBERSHIP) or the API key;
    `organization_id` is set for MEMBERSHIP only. It carries ids, never a secret.
    """

    kind: RevocationKind
    subject_id: uuid.UUID
    organization_id: uuid.UUID | None = None
    reason: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind.value,
                "subject_id": str(self.subject_id),
                "organization_id": str(self.organization_id) if self.organization_id else None,
                "reason": self.reason,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Revocation:
        raw = json.loads(text)
        organization_id = raw.get("organization_id")
        return cls(
            kind=RevocationKind(raw["kind"]),
            subject_id=uuid.UUID(raw["subject_id"]),
            organization_id=uuid.UUID(organization_id) if organization_id else None,
            reason=str(raw.get("reason") or ""),
        )


# How a message read from a Redis channel becomes what its subscribers get.
_DECODERS: dict[str, Callable[[str | bytes], Event | Revocation]] = {
    REVOCATIONS_CHANNEL: Revocation.from_json
}


def organization_channel(organization_id: uuid.UUID) -> str:
    """The organization's dashboards' channel: it carries DASHBOARD_TYPES only."""
    return f"va:org:{organization_id}"


def call_channel(call_id: uuid.UUID) -> str:
    """The call's channel: every event of the call."""
    return f"va:call:{call_id}"


def channels_of(event: Event) -> tuple[str, ...]:
    """Where an event is published. Only dashboards listen on an organization's channel, and
    they show DASHBOARD_TYPES: the rest (transcript turns, tool calls: about three events in
    four of a call) go to the call's channel alone, so they wake no dashboard stream and cost
    no message to every replica holding one (docs/capacity.md)."""
    if event.type in DASHBOARD_TYPES:
        return organization_channel(event.organization_id), call_channel(event.call_id)
    return (call_channel(event.call_id),)


Message = Event | Revocation


class Subscription:
    """One subscriber's queue. `get()` returns an Event (a Revocation on the revocations
    channel), `None` ("you may have missed some: read the record"), or TIMED_OUT when
    nothing came within `timeout` or `wake()` was called."""

    def __init__(self, channel: str, max_queue: int = 1000) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[Message | object | None] = asyncio.Queue(max_queue)

    def push(self, item: Message | None) -> None:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            # A subscriber this far behind reads the record instead.
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(None)

    def wake(self) -> None:
        """Make a waiting `get()` return TIMED_OUT (a timer of the subscriber's own, armed
        once for many gets, costs less than a timeout per get)."""
        with contextlib.suppress(asyncio.QueueFull):  # it has items to wake up to anyway
            self._queue.put_nowait(TIMED_OUT)

    async def get(self, timeout: float | None = None) -> Message | object | None:
        if timeout is None:
            return await self._queue.get()
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation
        # that arrives as the item does, and the cancelled stream would run on.
        try:
            async with asyncio.timeout(timeout):
                return await self._queue.get()
        except TimeoutError:
            return TIMED_OUT


TIMED_OUT = object()


class EventBus(Protocol):
    # How often a subscriber should also read the record: the in-process bus cannot
    # see events published by another process (the worker), Redis can.
    poll_seconds: float

    async def publish(self, event: Event) -> None:
        """Deliver to current subscribers of the event's channels (`channels_of`); never
        raises."""

    async def publish_revocation(self, revocation: Revocation) -> None:
        """Deliver to every subscriber of REVOCATIONS_CHANNEL, on every replica; never raises."""

    def subscription(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        """Registered on entry, so nothing published after entry is missed."""

    def subscriber_count(self, channel: str) -> int:
        """Subscriptions of this process registered on the channel."""

    async def close(self) -> None: ...


class _LocalFanout:
    """Channel -> this process's subscriptions."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[Subscription]] = defaultdict(set)

    def deliver(self, channel: str, item: Message | None) -> None:
        for subscription in list(self.subscribers.get(channel, ())):
            subscription.push(item)

    def add(self, subscription: Subscription) -> bool:
        """Register; True when it is the channel's first subscriber here."""
        first = not self.subscribers.get(subscription.channel)
        self.subscribers[subscription.channel].add(subscription)
        return first

    def remove(self, subscription: Subscription) -> bool:
        """Unregister; True when the channel has no subscriber left here."""
        remaining = self.subscribers.get(subscription.channel)
        if remaining is None:
            return False
        remaining.discard(subscription)
        if remaining:
            return False
        del self.subscribers[subscription.channel]
        return True

    def count(self, channel: str) -> int:
        return len(self.subscribers.get(channel, ()))


class InProcessBus:
    """Subscribers in this process only: the embedded default."""

    def __init__(self, *, poll_seconds: float = 2.0) -> None:
        self.poll_seconds = poll_seconds
        self._fanout = _LocalFanout()

    async def publish(self, event: Event) -> None:
        for channel in channels_of(event):
            self._fanout.deliver(channel, event)

    async def publish_revocation(self, revocation: Revocation) -> None:
        self._fanout.deliver(REVOCATIONS_CHANNEL, revocation)

    @contextlib.asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(channel)
        self._fanout.add(subscription)
        try:
            yield subscription
        finally:
            self._fanout.remove(subscription)

    def subscriber_count(self, channel: str) -> int:
        return self._fanout.count(channel)

    async def close(self) -> None:
        self._fanout.subscribers.clear()


class RedisBus:
    """Redis pub/sub, one connection per process for every subscriber in it.

    Publishing while Redis is away logs and drops (the event is in the record).
    The reader reconnects with backoff, re-subscribes every channel, and tells
    each subscriber it may have missed events (`None`) so it reads the record.

    A subscription is entered once Redis has confirmed the channel's SUBSCRIBE: a
    SUBSCRIBE merely sent does not order it before another client's PUBLISH.
    """

    def __init__(self, url: str, *, poll_seconds: float = 15.0) -> None:
        from redis.asyncio import Redis

        # A safety net only: events normally arrive by pub/sub.
        self.poll_seconds = poll_seconds
        self._redis = Redis.from_url(url, socket_connect_timeout=2, health_check_interval=10)
        self._fanout = _LocalFanout()
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # Channels Redis has confirmed on the current connection, and who waits for it.
        self._confirmed: dict[str, asyncio.Event] = {}

    async def publish(self, event: Event) -> None:
        payload = event.to_json()
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for channel in channels_of(event):
                    pipe.publish(channel, payload)
                await pipe.execute()
        except Exception as error:  # Redis away: the record has the event; never fail the writer
            log.warning(
                "event not published (bus unavailable)",
                extra={"event_type": event.type, "reason": type(error).__name__},
            )

    async def publish_revocation(self, revocation: Revocation) -> None:
        try:
            await self._redis.publish(REVOCATIONS_CHANNEL, revocation.to_json())
        except Exception as error:
            # Redis away: sockets find out at their next operation or their periodic check.
            log.warning(
                "revocation not published (bus unavailable)",
                extra={"revocation_kind": revocation.kind.value, "reason": type(error).__name__},
            )

    @contextlib.asynccontextmanager
    async def subscription(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(channel)
        # A subscriber's task may be cancelled at any await here (a client completing its
        # operation at once): the release is shielded, so nothing stays registered.
        try:
            async with self._lock:
                if self._fanout.add(subscription):
                    self._confirmed[channel] = asyncio.Event()
                    await self._redis_subscribe(channel)
                self._ensure_reader()
                confirmed = self._confirmed.get(channel)
                redis_away = self._pubsub is None
            if confirmed is not None and not redis_away:
                # Outside the lock: the reader confirms, and takes the lock to reconnect.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(_CONFIRM_SECONDS):
                        await confirmed.wait()
            yield subscription
        finally:
            await asyncio.shield(self._release(subscription))

    async def _release(self, subscription: Subscription) -> None:
        channel = subscription.channel
        async with self._lock:
            if self._fanout.remove(subscription):
                self._confirmed.pop(channel, None)
                if self._pubsub is not None:
                    with contextlib.suppress(Exception):
                        await self._pubsub.unsubscribe(channel)

    async def _redis_subscribe(self, channel: str) -> None:
        try:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub()
            await self._pubsub.subscribe(channel)
        except Exception:
            # Redis is away: the reader subscribes every channel when it is back.
            self._pubsub = None

    def _ensure_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read_forever())

    async def _read_forever(self) -> None:
        attempt = 0
        while True:
            try:
                if self._pubsub is None:
                    async with self._lock:
                        channels = list(self._fanout.subscribers)
                        if not channels:
                            return
                        for channel in channels:
                            self._confirmed.setdefault(channel, asyncio.Event()).clear()
                        self._pubsub = self._redis.pubsub()
                        await self._pubsub.subscribe(*channels)
                    # Back after an outage: every subscriber catches up from the record.
                    for channel in channels:
                        self._fanout.deliver(channel, None)
                attempt = 0
                while True:
                    if not self._pubsub.subscribed:
                        await asyncio.sleep(0.05)
                        if not self._fanout.subscribers:
                            return
                        continue
                    message = await self._pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    channel = message["channel"]
                    channel = channel.decode() if isinstance(channel, bytes) else channel
                    if message.get("type") == "subscribe":
                        waiting = self._confirmed.get(channel)
                        if waiting is not None:
                            waiting.set()
                        continue
                    if message.get("type") != "message":
                        continue
                    try:
                        item = _DECODERS.get(channel, Event.from_json)(message["data"])
                    except (ValueError, KeyError, TypeError):
                        log.warning("dropping a malformed event", extra={"channel": channel})
                        continue
                    self._fanout.deliver(channel, item)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                raise_if_cancelling()
                log.warning(
                    "event bus connection lost; reconnecting",
                    extra={"reason": type(error).__name__},
                )
                old, self._pubsub = self._pubsub, None
                for confirmed in self._confirmed.values():
                    confirmed.clear()  # until the new connection's SUBSCRIBE is confirmed
                if old is not None:
                    with contextlib.suppress(Exception):
                        await old.aclose()
                await asyncio.sleep(
                    _REDIS_RETRY_SECONDS[min(attempt, len(_REDIS_RETRY_SECONDS) - 1)]
                )
                attempt += 1

    def subscriber_count(self, channel: str) -> int:
        """Subscriptions of this process on the channel, once Redis confirmed it."""
        confirmed = self._confirmed.get(channel)
        return self._fanout.count(channel) if confirmed is not None and confirmed.is_set() else 0

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except Exception:
            return False

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        await self._redis.aclose()


def build_bus(settings: Settings) -> EventBus:
    """Redis when REDIS_URL is set, the in-process bus otherwise."""
    if settings.redis_url:
        return RedisBus(settings.redis_url, poll_seconds=settings.redis_bus_poll_seconds)
    return InProcessBus(poll_seconds=settings.in_process_bus_poll_seconds)
