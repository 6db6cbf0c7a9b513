"""WebSockets bound to their credential.

A graphql-transport-ws socket authenticates once, at connection_init, and may stay
open for hours. Each socket is kept here under its credential (session or API key)
and its person, so that:

- every operation, once its document is parsed and validated, checks that the
  credential still stands (session or key not revoked, person active, access token
  unexpired) before it executes; if not, it never runs and the socket closes with 4403;
- a revocation on the bus (sign-out, a reused refresh token, API key revocation,
  password reset, deactivation) closes every socket holding that credential, on every
  replica, with 4403: graphql-ws clients reconnect, sending a fresh token;
- a timer closes the socket with 4403 when its access token expires;
- a notice that a person's role in an organization changed, or that they left it,
  makes their streams of that organization check their access at once;
- a sweep every SUBSCRIPTION_ACCESS_RECHECK_SECONDS re-checks every socket's
  credential, for revocations the bus could not carry (Redis away, the CLI of an
  install without Redis);
- at most MAX_SOCKETS_PER_CREDENTIAL sockets per session or API key, per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.extensions import SchemaExtension
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import SubscribeMessage

from core import tenancy
from core.access import ANONYMOUS, Principal
from core.events import REVOCATIONS_CHANNEL, EventBus, Revocation, RevocationKind
from core.services import credentials
from graphql_api.context import Context

if TYPE_CHECKING:
    from graphql_api.fanout.hub import FanoutHub

log = logging.getLogger(__name__)

# graphql-ws clients retry after 4403 (Forbidden): they reconnect with a fresh token.
CREDENTIAL_ENDED = 4403
# Like 1013 "Try Again Later": a place frees up when another socket of the credential closes.
TOO_MANY_SOCKETS = 4013
# The credential could not be checked (the database is away): the client retries.
CHECK_UNAVAILABLE = 1013

REVOKED = "Credential revoked"
EXPIRED = "Access token expired"

# A credential or a person: ("session", id), ("api_key", id), ("user", id).
CredentialKey = tuple[str, uuid.UUID]


class StreamWatch(Protocol):
    """A live stream of one organization that re-checks its access when told to."""

    organization_id: uuid.UUID

    def recheck_now(self) -> None: ...


class LiveSocket:
    """One graphql-transport-ws connection, from connection_init to its close."""

    def __init__(
        self,
        handler: CredentialBoundHandler,
        registry: SocketRegistry,
        fanout: FanoutHub | None = None,
    ) -> None:
        self.handler = handler
        self.registry = registry
        # This process's shared subscription results (graphql_api/fanout), when it shares.
        self.fanout = fanout
        self.principal: Principal = ANONYMOUS
        self.watches: set[StreamWatch] = set()
        self.closed = False
        self._expiry: asyncio.TimerHandle | None = None
        self._closing: asyncio.Task[None] | None = None

    @property
    def credential(self) -> CredentialKey | None:
        """The session or API key this socket was opened with (what the cap counts)."""
        if self.principal.api_key is not None:
            return ("api_key", self.principal.api_key.id)
        if self.principal.session_id is not None:
            return ("session", self.principal.session_id)
        return None

    @property
    def keys(self) -> list[CredentialKey]:
        """Every key a revocation may name this socket by."""
        keys = [self.credential] if self.credential else []
        if self.principal.api_key is None and self.principal.user is not None:
            keys.append(("user", self.principal.user.id))
        return keys

    def end_reason(self) -> str:
        expires_at = self.principal.expires_at
        return EXPIRED if expires_at is not None and expires_at <= datetime.now(UTC) else REVOKED

    async def admits_operation(self) -> bool:
        """Whether an operation may run now; when the credential fell, closes the socket."""
        if self.closed:
            return False
        try:
            valid = await credentials.is_alive(principal=self.principal)
        except Exception:
            log.exception("could not check a socket's credential")
            await self.close("Try again later", code=CHECK_UNAVAILABLE)
            return False
        if not valid:
            await self.close(self.end_reason())
        return not self.closed

    def expire_at_token_end(self) -> None:
        expires_at = self.principal.expires_at
        if expires_at is None:
            return
        delay = (expires_at - datetime.now(UTC)).total_seconds()
        self._expiry = asyncio.get_running_loop().call_later(
            max(0.0, delay), self.close_soon, EXPIRED
        )

    def close_soon(self, reason: str) -> None:
        """Close from a callback (a timer, a notice) without waiting for it."""
        if not self.closed and self._closing is None:
            self._closing = asyncio.create_task(self.close(reason))

    async def close(self, reason: str, code: int = CREDENTIAL_ENDED) -> None:
        """End every operation on the socket and close it (once)."""
        if self.closed:
            return
        self.closed = True
        self.registry.release(self)
        # Called from one of the operations, that one is cancelled last: cancelling it
        # first would interrupt the close.
        current = asyncio.current_task()
        operations = list(self.handler.operations.items())
        for operation_id, operation in operations:
            if operation.task is not current:
                await self.handler.cleanup_operation(operation_id)
        await self.handler.websocket.close(code=code, reason=reason)
        for operation_id, operation in operations:
            if operation.task is current:
                await self.handler.cleanup_operation(operation_id)

    def running_operation(self) -> Operation[Context, None] | None:
        """The operation whose task is running (a subscription asking for its own id)."""
        task = asyncio.current_task()
        return next((op for op in self.handler.operations.values() if op.task is task), None)

    async def send_text(self, text: str) -> None:
        """A message already encoded (a `next` whose payload is shared with other sockets)."""
        websocket = self.handler.websocket
        assert isinstance(websocket, SocketAdapter), "the view's adapter sends text"
        await websocket.send_text(text)

    def forget(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None


class SocketRegistry:
    """This process's authenticated sockets by credential, and the listener that closes
    them when the bus announces a revocation. The listener runs while sockets exist."""

    def __init__(self, *, bus: EventBus, max_per_credential: int, recheck_seconds: float) -> None:
        self.bus = bus
        self.max_per_credential = max_per_credential
        self.recheck_seconds = recheck_seconds
        self._sockets: set[LiveSocket] = set()
        self._by_key: dict[CredentialKey, set[LiveSocket]] = defaultdict(set)
        self._admitting = 0
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    async def admit(self, socket: LiveSocket, principal: Principal) -> bool:
        """Keep the socket under its credential, once revocations are heard; False when
        the credential has no place left."""
        self._admitting += 1
        try:
            await self._listen_for_revocations()
            socket.principal = principal
            credential = socket.credential
            if credential and len(self._by_key.get(credential, ())) >= self.max_per_credential:
                socket.principal = ANONYMOUS
                return False
            self._sockets.add(socket)
            for key in socket.keys:
                self._by_key[key].add(socket)
            socket.expire_at_token_end()
            return True
        finally:
            self._admitting -= 1
            self._stop_if_idle()

    def release(self, socket: LiveSocket) -> None:
        socket.forget()
        if socket not in self._sockets:
            return
        self._sockets.discard(socket)
        for key in socket.keys:
            holders = self._by_key.get(key)
            if holders is not None:
                holders.discard(socket)
                if not holders:
                    del self._by_key[key]
        self._stop_if_idle()

    async def _listen_for_revocations(self) -> None:
        if self._listener is None or self._listener.done():
            self._listening = asyncio.Event()
            self._listener = asyncio.create_task(self._listen(self._listening))
        await self._listening.wait()

    def _stop_if_idle(self) -> None:
        if self._sockets or self._admitting or self._listener is None:
            return
        self._listener.cancel()
        self._listener = None

    async def _listen(self, listening: asyncio.Event) -> None:
        try:
            await self._hear_revocations(listening)
        except Exception:
            # The next socket admitted starts another; meanwhile each operation still checks.
            log.exception("stopped listening for credential revocations")
        finally:
            listening.set()  # nobody waits on a listener that ended

    async def _hear_revocations(self, listening: asyncio.Event) -> None:
        async with self.bus.subscription(REVOCATIONS_CHANNEL) as notices:
            listening.set()
            swept_at = time.monotonic()
            while True:
                item = await notices.get(timeout=self.recheck_seconds)
                try:
                    if isinstance(item, Revocation):
                        self._apply(item)
                    # None: the bus was away and notices may be lost; otherwise the safety
                    # net's turn.
                    if item is None or time.monotonic() - swept_at >= self.recheck_seconds:
                        swept_at = time.monotonic()
                        await self._sweep()
                except Exception:
                    log.exception("could not apply a credential revocation")

    def _apply(self, revocation: Revocation) -> None:
        if revocation.kind is RevocationKind.MEMBERSHIP:
            for socket in list(self._by_key.get(("user", revocation.subject_id), ())):
                for watch in list(socket.watches):
                    if watch.organization_id == revocation.organization_id:
                        watch.recheck_now()
            return
        for socket in list(self._by_key.get((revocation.kind.value, revocation.subject_id), ())):
            socket.close_soon(REVOKED)

    async def _sweep(self) -> None:
        sockets = [socket for socket in self._sockets if not socket.closed]
        if not sockets:
            return
        # The sockets of every organization this process serves, in two queries.
        with tenancy.platform_scope("credential sweep of the process's sockets"):
            standing = await credentials.standing(principals=[s.principal for s in sockets])
        for socket, stands in zip(sockets, standing, strict=True):
            if not stands:
                socket.close_soon(socket.end_reason())


class CredentialBoundHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws whose operations run only while the socket's credential stands."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The view that starts this handler (graphql_api/view.py, which imports this module)
        # holds the process's registry of sockets.
        registry = getattr(self.view, "sockets", None)
        if not isinstance(registry, SocketRegistry):
            raise TypeError("CredentialBoundHandler needs a view with a SocketRegistry")
        self.socket = LiveSocket(self, registry, getattr(self.view, "fanout", None))
        self.context.socket = self.socket

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.socket.closed:
            return  # the client has not read the close frame yet
        await super().handle_subscribe(message)

    async def shutdown(self) -> None:
        self.socket.registry.release(self.socket)
        await super().shutdown()


class SocketCredentialCheck(SchemaExtension):
    """An operation on a WebSocket executes only while the socket's credential stands.

    It runs after parsing and validation, so a refused document costs no query. When the
    credential fell, the socket closes with 4403 and this operation ends with it.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        socket = getattr(self.execution_context.context, "socket", None)
        if socket is not None and not await socket.admits_operation():
            raise asyncio.CancelledError  # the socket closed; nothing of this may run
        yield


class SocketAdapter(ASGIWebSocketAdapter):
    """Closing twice is a no-op: a revocation, a refusal and the protocol may each close.
    A message already encoded is sent as it is (`send_text`)."""

    async def send_json(self, message: Any) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            raise WebSocketDisconnected()
        await super().send_json(message)

    async def send_text(self, text: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            raise WebSocketDisconnected()
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as disconnected:
            raise WebSocketDisconnected() from disconnected

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        with contextlib.suppress(WebSocketDisconnect):
            await self.ws.close(code=code, reason=reason)
