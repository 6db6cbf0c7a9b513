"""This process's shared subscription results.

For each event, a subscription's selection (its document, operation and variables) is
executed once per permission scope (`SelectionScope`) and encoded once; every subscriber of
that selection and scope gets the same `payload` text, which its socket splices into its own
`next` message (graphql_api/fanout/delivery.py). The first subscriber to ask for an event's
result starts its execution; the others wait for it. What an execution reads beyond the
event (the call as it is now) is read once per event, for every selection and scope of it.

Results are kept for SHARE_SECONDS after they were computed: subscribers of one event ask
within milliseconds of each other, and one who asks later (catching up from the record)
gets the event executed anew, reading the call as it is then, as before results were
shared.

The execution is graphql-core's, on the schema's own resolvers and permission extensions,
with the event's object as root value: what Strawberry does for each event of a
subscription. What Strawberry then does with each result is done here as well: the errors
are processed and masked by the schema's PublicErrorsOnly, and the payload is
`{"data": ..., "errors": [...]}` encoded by the view. A schema whose extensions do more per
result (resolver middleware, result extensions, other stream hooks) is not shared: each
subscriber's selection is then executed for it alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any, TypeVar

import strawberry
from graphql import DocumentNode, ExecutionResult, GraphQLError
from graphql.execution import Executor, execute_subscription_event
from strawberry.extensions import SchemaExtension

from core import tenancy
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.security.tokens import AccessTokenCodec
from core.settings import Settings
from graphql_api.errors import PublicErrorsOnly
from graphql_api.fanout.scope import ExecutionWatch, SelectionScope, scoped_context

log = logging.getLogger(__name__)

# How long a computed result is handed to the subscribers who ask for it.
SHARE_SECONDS = 1.0
# At most this many results and selections are remembered (the oldest are forgotten first).
MAX_RESULTS = 4096
MAX_SELECTIONS = 1024

T = TypeVar("T")

# (query, operation name, variables as canonical JSON)
SelectionKey = tuple[str, str | None, str]


@dataclass
class Selection:
    """One subscription document with its operation and variables, as executed per event."""

    key: SelectionKey
    document: DocumentNode
    variables: dict[str, Any] | None
    # Set once an execution of it asked who the subscriber is: its results are never shared.
    personal: bool = False


class SharedReads:
    """What executions of one event read beyond the event, read once for all of them (they
    are all in the event's organization; each checks its own permissions on what it reads)."""

    def __init__(self) -> None:
        self._reads: dict[str, asyncio.Future[Any]] = {}

    async def once(self, name: str, read: Callable[[], Awaitable[T]]) -> T:
        future = self._reads.get(name)
        if future is None:
            future = self._reads[name] = asyncio.ensure_future(read())
        # Shielded: an execution that stops waiting does not cancel the others' read.
        return await asyncio.shield(future)


@dataclass
class _Remembered:
    at: float  # when it was first asked for (loop time)


@dataclass
class _Shared(_Remembered):
    # Set once `payload` is (None: each subscriber executes the event for itself).
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    payload: str | None = None


@dataclass
class _Reads(_Remembered):
    reads: SharedReads


# The event's object (the root value) for one execution, given the event's shared reads.
RootValue = Callable[[SharedReads], object]


class FanoutHub:
    """This process's shared subscription results (see the module's docstring)."""

    def __init__(
        self,
        *,
        schema: strawberry.Schema,
        encode_json: Callable[[object], str | bytes],
        settings: Settings,
        codec: AccessTokenCodec,
        bus: EventBus,
        rooms: RoomService,
        enabled: bool = True,
    ) -> None:
        self.schema = schema
        self.encode_json = encode_json
        # What a shared execution's context holds besides its scope (the process's own).
        self.settings, self.codec, self.bus, self.rooms = settings, codec, bus, rooms
        maskers = _result_maskers(schema)
        if enabled and maskers is None:
            log.warning("subscription results are not shared: an extension acts on each result")
        self.enabled = enabled and maskers is not None
        self._maskers = maskers or []
        # Shared executions this process ran (for tests and the curious).
        self.executions = 0
        self._selections: OrderedDict[SelectionKey, Selection] = OrderedDict()
        self._results: OrderedDict[tuple[SelectionKey, SelectionScope, uuid.UUID], _Shared] = (
            OrderedDict()
        )
        self._reads: OrderedDict[uuid.UUID, _Reads] = OrderedDict()
        self._running: set[asyncio.Task[None]] = set()

    def selection(
        self,
        *,
        query: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        document: DocumentNode,
    ) -> Selection:
        """The selection of this document, operation and variables (one object for all its
        subscribers while it is remembered)."""
        key = (query, operation_name, json.dumps(variables or {}, sort_keys=True))
        found = self._selections.get(key)
        if found is None:
            found = self._selections[key] = Selection(key, document, variables)
            while len(self._selections) > MAX_SELECTIONS:
                self._selections.popitem(last=False)
        return found

    async def payload(
        self, selection: Selection, scope: SelectionScope, event_id: uuid.UUID, root: RootValue
    ) -> str | None:
        """The event's `next` payload for this selection and scope, encoded; None when the
        subscriber must execute it for itself (its answer depends on who is asking)."""
        if selection.personal:
            return None
        now = asyncio.get_running_loop().time()
        key = (selection.key, scope, event_id)
        shared = self._results.get(key)
        if shared is None or now - shared.at > SHARE_SECONDS:
            shared = _Shared(now)
            self._results[key] = shared
            self._results.move_to_end(key)
            self._forget(self._results, now)
            task = asyncio.create_task(
                self._computed(selection, scope, root(self._reads_of(event_id, now)), shared)
            )
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        if not shared.ready.is_set():
            # Each waiter has its own wait: one that leaves meanwhile cancels nobody else's.
            await shared.ready.wait()
        return shared.payload

    def _reads_of(self, event_id: uuid.UUID, now: float) -> SharedReads:
        found = self._reads.get(event_id)
        if found is None or now - found.at > SHARE_SECONDS:
            found = self._reads[event_id] = _Reads(now, SharedReads())
            self._reads.move_to_end(event_id)
            self._forget(self._reads, now)
        return found.reads

    @staticmethod
    def _forget(remembered: OrderedDict[Any, Any], now: float) -> None:
        """Forget the oldest entries past SHARE_SECONDS, or past the most kept."""
        while remembered:
            oldest: _Remembered = next(iter(remembered.values()))
            if len(remembered) <= MAX_RESULTS and now - oldest.at <= SHARE_SECONDS:
                return
            remembered.popitem(last=False)

    async def _computed(
        self, selection: Selection, scope: SelectionScope, root: object, shared: _Shared
    ) -> None:
        try:
            # The event's organization and nothing wider: this task copied the context of
            # the first subscriber to ask, whose database scope is all of theirs.
            with tenancy.tenant_scope([scope.organization_id]):
                shared.payload = await self._execute(selection, scope, root)
        except Exception:
            log.exception("could not compute a shared subscription result")
        finally:
            shared.ready.set()

    async def _execute(
        self, selection: Selection, scope: SelectionScope, root: object
    ) -> str | None:
        watch = ExecutionWatch()
        context = scoped_context(
            scope=scope,
            watch=watch,
            settings=self.settings,
            codec=self.codec,
            bus=self.bus,
            rooms=self.rooms,
        )
        executor = Executor.build(
            self.schema._schema,
            selection.document,
            root_value=root,
            context_value=context,
            raw_variable_values=selection.variables,
        )
        if isinstance(executor, list):
            return None  # variables refused: the subscriber's own execution answers that
        result = execute_subscription_event(executor)
        if isawaitable(result):
            result = await result
        if watch.personal:
            selection.personal = True
            return None
        self.executions += 1
        return self._encoded(result)

    def _encoded(self, result: ExecutionResult) -> str:
        """The `next` payload, as Strawberry builds and masks it for each subscription event."""
        errors: list[GraphQLError] | None = result.errors
        if errors:
            self.schema.process_errors(errors)
            masked = _Errors(errors)
            for masker in self._maskers:
                masker.mask(masked)
            errors = masked.errors
        payload: dict[str, object] = {"data": result.data}
        if errors:
            payload["errors"] = [error.formatted for error in errors]
        encoded = self.encode_json(payload)
        return encoded.decode() if isinstance(encoded, bytes) else encoded


@dataclass
class _Errors:
    errors: list[GraphQLError]


def _result_maskers(schema: strawberry.Schema) -> list[PublicErrorsOnly] | None:
    """The schema's extensions that act on each result, when all of them are PublicErrorsOnly
    (what `_encoded` applies); None when another extension acts on results or resolvers."""
    maskers: list[PublicErrorsOnly] = []
    for extension in schema.get_extensions():
        kind = type(extension)
        if kind._implements_resolve() or kind.get_results is not SchemaExtension.get_results:
            return None
        if kind.on_stream_result is not SchemaExtension.on_stream_result:
            if not isinstance(extension, PublicErrorsOnly):
                return None
            maskers.append(extension)
    return maskers
