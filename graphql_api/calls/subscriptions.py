"""Live call streams over graphql-transport-ws.

The streams themselves (order, catch-up from the record, the access re-check) are
core/services/call_streams.py; here they are authorized, tied to the socket (which tells
them when the subscriber's role changed, graphql_api/websocket.py) and shaped into
`CallEvent` objects. Over a socket, each event's result is computed once for every
subscriber of the same selection and permission scope in this process, and sent as the same
bytes (graphql_api/fanout); an event is yielded to Strawberry, executed for this subscriber
alone, only where that cannot be shared.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Annotated

import strawberry

from core.errors import NotFound
from core.events import Event
from core.rbac import Permission
from core.services.call_streams import CallEventStream, OrganizationCallStream
from graphql_api.calls.events import CallEventNode, from_event
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.fanout.delivery import SharedDelivery
from graphql_api.fanout.hub import SharedReads
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires
from graphql_api.websocket import LiveSocket, StreamWatch
from orm.models import Call


async def _delivered(
    info: Info, stream: CallEventStream | OrganizationCallStream, *, missing: str
) -> AsyncGenerator[CallEventNode, None]:
    """The stream's events as GraphQL objects, for as long as the socket's credential lives;
    a subject gone meanwhile ends it as not found."""
    try:
        async with stream, _watched(info.context.socket, stream):
            delivery = SharedDelivery.of(info)
            async with contextlib.aclosing(stream.events()) as stream_events:
                async for event in stream_events:
                    if delivery is None or not await delivery.send(
                        event_id=event.id,
                        organization_id=event.organization_id,
                        access=stream.access,
                        root=_shared_root(event),
                    ):
                        yield from_event(event)
    except NotFound:
        raise NotFoundError(missing) from None


def _shared_root(event: Event) -> Callable[[SharedReads], CallEventNode]:
    """The event's object for a shared execution: its call read once for the event."""

    def root(reads: SharedReads) -> CallEventNode:
        node = from_event(event)
        node.call_reader = lambda call_id: reads.once("call", lambda: Call.get(id=call_id))
        return node

    return root


@contextlib.asynccontextmanager
async def _watched(socket: LiveSocket | None, stream: StreamWatch) -> AsyncIterator[None]:
    """While the stream runs, the socket tells it when the subscriber's role changed."""
    if socket is not None:
        socket.watches.add(stream)
    try:
        yield
    finally:
        if socket is not None:
            socket.watches.discard(stream)


@strawberry.type
class CallSubscriptions:
    @strawberry.subscription(
        description="A call's events in order: the record from `afterSeq` (default: the whole "
        "timeline), then live. Completes after `CallEnded`.",
        extensions=requires(Permission.CALL_READ, ObjectArgument("call_id", "Call", "call")),
    )
    async def call_events(
        self,
        info: Info,
        call_id: Annotated[strawberry.ID, strawberry.argument(description="The call's global id.")],
        after_seq: Annotated[
            int,
            strawberry.argument(
                description="The last `seq` the client has; events after it are sent (0: all)."
            ),
        ] = 0,
    ) -> AsyncGenerator[CallEventNode, None]:
        checked = info.context.checked_for(info)
        call: Call = checked.target
        stream = CallEventStream(
            bus=info.context.bus,
            principal=info.context.principal,
            access=checked.access,
            call=call,
            after_seq=after_seq,
            recheck_seconds=info.context.settings.subscription_access_recheck_seconds,
        )
        # Closed with the operation, so the stream's place on the bus is released at once.
        async with contextlib.aclosing(_delivered(info, stream, missing="Call")) as nodes:
            async for node in nodes:
                yield node

    @strawberry.subscription(
        description="What a live dashboard of the organization's calls shows: every "
        "`CallStatusChanged`, `CallEnded`, `CallUpdated` and `CallAnalyzed` of its calls, from "
        "now on.",
        extensions=requires(Permission.CALL_READ, OrganizationArgument()),
    )
    async def organization_call_updates(
        self,
        info: Info,
        organization_id: Annotated[
            strawberry.ID, strawberry.argument(description="The organization's global id.")
        ],
    ) -> AsyncGenerator[CallEventNode, None]:
        stream = OrganizationCallStream(
            bus=info.context.bus,
            principal=info.context.principal,
            access=info.context.checked_for(info).access,
            recheck_seconds=info.context.settings.subscription_access_recheck_seconds,
        )
        # Closed with the operation, so the stream's place on the bus is released at once.
        async with contextlib.aclosing(_delivered(info, stream, missing="Organization")) as nodes:
            async for node in nodes:
                yield node
