"""Tortoise's asyncpg client, putting the tenancy scope (orm/tenancy.py) on its connections.

Outside a transaction Tortoise takes a pooled connection for every statement, so the scope
cannot be set once per request: it is set on the connection each time the connection is
handed to a task whose scope differs from the one the connection last had, before the
task's first statement on it.

- Outside a transaction the settings are session-level (`set_config(..., false)`), so a
  connection keeps them in the pool: the next task with the same scope (the next statement
  of the same request, usually) pays nothing; a task with another scope sets its own first.
- The pool's reset on release is therefore not asyncpg's (`RESET ALL` would drop the scope,
  and with it the reason to keep one): it only rolls back a transaction left open, with no
  round trip otherwise. What asyncpg's reset query also clears (session advisory locks,
  open cursors, LISTEN, settings made with SET) is nothing this application holds on a
  pooled connection: cursors live inside transactions, the migration lock has a connection
  of its own. So a statement costs what it did before row-level security, one round trip for
  itself and one to set the scope when it changes, instead of one for the reset.
- A transaction sets the scope at session level just before BEGIN; if the task's scope
  changes inside it (an organization admitted mid-way), the new one is set transaction-local
  (`set_config(..., true)`), which COMMIT or ROLLBACK undoes; after a rollback to a
  savepoint the scope in force is unknown, so it is set again before the next statement.

What a connection last had is remembered per connection, and forgotten before each attempt
to change it: a failed `set_config` leaves it unknown, never wrong.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, cast

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import (
    ConnectionWrapper,
    NestedTransactionContext,
    PoolConnectionWrapper,
    TransactionalDBClient,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.connection import get_connections

from orm import tenancy

_SET_SCOPE = "SELECT set_config('app.organization_ids', $1, $3), set_config('app.platform', $2, $3)"
# A member's scope: the organizations given and the person's memberships, read here.
_SET_MEMBER_SCOPE = (
    "SELECT set_config('app.organization_ids', (SELECT coalesce(array_agg(o), '{}')::text"
    " FROM (SELECT unnest($1::text::uuid[]) UNION SELECT app_user_organizations($4)) AS s(o)),"
    " $3), set_config('app.platform', $2, $3)"
)

# Per physical connection: the scope set at session level, and the one set inside the
# transaction under way (absent: none set in it; _UNKNOWN: undone by a rollback to a savepoint).
_session: weakref.WeakKeyDictionary[asyncpg.Connection, tenancy.Scope] = weakref.WeakKeyDictionary()
_local: weakref.WeakKeyDictionary[asyncpg.Connection, tenancy.Scope | None] = (
    weakref.WeakKeyDictionary()
)
_UNKNOWN = None


def _raw(connection: Any) -> asyncpg.Connection:
    """The physical connection behind a pool's proxy (what the scope is set on)."""
    return cast(asyncpg.Connection, getattr(connection, "_con", None) or connection)


async def apply_scope(connection: Any) -> None:
    """Give the connection the current task's scope, if it does not have it already."""
    raw = _raw(connection)
    wanted = tenancy.current()
    in_transaction = raw.is_in_transaction()
    if in_transaction and raw in _local:
        in_force = _local[raw]
    else:
        in_force = _session.get(raw)
    if in_force is not None and in_force == wanted:
        return
    organization_ids, platform = wanted.settings()
    arguments: tuple[object, ...] = (organization_ids, platform, in_transaction)
    statement = _SET_SCOPE
    if wanted.member is not None:
        statement, arguments = _SET_MEMBER_SCOPE, (*arguments, wanted.member)
    if in_transaction:
        _local[raw] = _UNKNOWN
        await connection.execute(statement, *arguments)
        _local[raw] = wanted
    else:
        _session.pop(raw, None)
        await connection.execute(statement, *arguments)
        _session[raw] = wanted


async def _reset(connection: asyncpg.Connection) -> None:
    """Nothing beyond what asyncpg does before calling this (see the module's docstring)."""


class _ScopedPoolConnection(PoolConnectionWrapper[asyncpg.Connection]):
    async def __aenter__(self) -> asyncpg.Connection:
        connection = await super().__aenter__()
        try:
            await apply_scope(connection)
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        return connection


class _ScopedTransactionConnection(ConnectionWrapper[asyncpg.Connection]):
    async def __aenter__(self) -> asyncpg.Connection:
        connection = await super().__aenter__()
        try:
            await apply_scope(connection)
        except BaseException:
            self._lock.release()
            raise
        return connection


class ScopedTransactionWrapper(TransactionWrapper):
    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(ScopedTransactionWrapper(self))

    def acquire_connection(self) -> ConnectionWrapper[asyncpg.Connection]:
        return _ScopedTransactionConnection(self._lock, self)

    async def begin(self) -> None:
        # Before BEGIN (session-level) for a transaction, inside it (local) for a savepoint.
        if not self._nested:
            _local.pop(_raw(self._connection), None)
        await apply_scope(self._connection)
        await super().begin()

    @property
    def _nested(self) -> bool:
        return isinstance(self._parent, TransactionWrapper)

    async def commit(self) -> None:
        try:
            await super().commit()
        finally:
            if not self._nested:
                _local.pop(_raw(self._connection), None)

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            raw = _raw(self._connection)
            if self._nested:
                if raw in _local:
                    _local[raw] = _UNKNOWN
            else:
                _local.pop(raw, None)


class _CancellationSafePooledContext(TransactionContextPooled):
    """Tortoise's pooled transaction, except that one failing to open (cancelled during
    BEGIN, say) gives its connection back to the pool: Tortoise's leaves it taken, and a
    few such leave the pool empty and every later statement waiting."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)  # in this task's context, not the shield's
            # Shielded: a second cancellation does not keep the connection from the pool.
            # The pool's reset (`_reset`) rolls back a BEGIN that got through.
            await asyncio.shield(pool.release(self.client._connection))
            raise
        return self.client


class ScopedAsyncpgClient(AsyncpgDBClient):
    """The asyncpg client whose every statement runs with the task's tenancy scope."""

    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_reset, **kwargs)

    def acquire_connection(self) -> Any:
        return _ScopedPoolConnection(self, self._pool_init_lock)

    def _in_transaction(self) -> TransactionContext:
        return _CancellationSafePooledContext(ScopedTransactionWrapper(self), self._pool_init_lock)


client_class = ScopedAsyncpgClient
