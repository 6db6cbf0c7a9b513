"""Each GraphQL operation runs with its principal's tenancy scope (core/tenancy.py).

The scope is taken when the operation starts executing (after parsing and validation, so a
refused document costs nothing), over HTTP and on a WebSocket alike: a socket's operations
each take their own, so an organization joined after the socket opened is reached by the
next operation. It covers the permission checks, resolvers and loaders; a subscription
keeps it for its whole stream, which runs in the operation's own task (Strawberry starts
one per operation on a socket), where nothing else runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from core import tenancy
from core.access import ANONYMOUS


class TenancyScope(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        principal = getattr(execution.context, "principal", ANONYMOUS)
        previous = tenancy.enter(tenancy.scope_of(principal))
        yield
        # A subscription's events are executed after this hook ends: the scope stays with
        # the operation's task, which ends with the stream.
        if execution.operation_type is not OperationType.SUBSCRIPTION:
            tenancy.leave(previous)
