"""One subscription's shared results on its socket.

A subscription over a WebSocket that may share results asks the hub for each event's
payload under its current scope (the access its stream last checked: a role change moves it
to the new scope at the stream's next check) and sends it as its own `next` message, the
payload spliced after its operation id: `{"id":<id>,"type":"next","payload":<payload>}`, the
bytes Strawberry's `json.dumps` of the whole message gives. When the hub answers None (the
selection asks who the subscriber is), the subscription yields the event to Strawberry,
which executes it for this subscriber alone.
"""

from __future__ import annotations

import asyncio
import json
import uuid

from graphql import DocumentNode
from strawberry.http.exceptions import WebSocketDisconnected

from core.access import OrgAccess, Principal
from graphql_api.context import Info
from graphql_api.fanout.hub import FanoutHub, RootValue, Selection
from graphql_api.fanout.scope import SelectionScope
from graphql_api.websocket import LiveSocket


class SharedDelivery:
    def __init__(
        self,
        *,
        hub: FanoutHub,
        socket: LiveSocket,
        operation_id: str,
        selection: Selection,
        principal: Principal,
    ) -> None:
        self.hub = hub
        self.socket = socket
        self.selection = selection
        self.principal = principal
        self._prefix = '{"id":' + json.dumps(operation_id) + ',"type":"next","payload":'
        self._access: OrgAccess | None = None
        self._scope: SelectionScope | None = None

    @classmethod
    def of(cls, info: Info) -> SharedDelivery | None:
        """The running subscription's delivery; None where results are not shared (no socket,
        or sharing switched off)."""
        socket = info.context.socket
        hub = socket.fanout if socket is not None else None
        if socket is None or hub is None or not hub.enabled:
            return None
        operation = socket.running_operation()
        if operation is None:
            return None
        raw = info._raw_info
        selection = hub.selection(
            query=operation.query,
            operation_name=operation.operation_name,
            variables=operation.variables,
            document=DocumentNode(definitions=(raw.operation, *raw.fragments.values())),
        )
        return cls(
            hub=hub,
            socket=socket,
            operation_id=operation.id,
            selection=selection,
            principal=info.context.principal,
        )

    async def send(
        self, *, event_id: uuid.UUID, organization_id: uuid.UUID, access: OrgAccess, root: RootValue
    ) -> bool:
        """Send the event's shared result; False when this subscriber must execute it itself."""
        if organization_id != access.organization_id:
            return False  # never: a stream only carries its organization's events
        if access is not self._access:
            self._access, self._scope = access, SelectionScope.of(access, self.principal)
        assert self._scope is not None
        payload = await self.hub.payload(self.selection, self._scope, event_id, root)
        if payload is None:
            return False
        try:
            await self.socket.send_text(self._prefix + payload + "}")
        except WebSocketDisconnected:
            # The socket is gone: the handler's shutdown ends this operation with it.
            raise asyncio.CancelledError from None
        return True
