"""Tortoise's SQLite client, with a transaction that a cancellation cannot leave open.

SQLite gives the process one connection, and Tortoise guards it with one lock: a
transaction takes the lock, then awaits BEGIN. A task cancelled during that await (a
background loop stopped at shutdown, an operation completed by its client) left Tortoise's
`__aenter__` with the lock taken and no `__aexit__` to release it, and every later statement
of the process waited for it forever.

Here a transaction that fails to open, cancelled or not, rolls back whatever the connection
may have begun (aiosqlite runs a connection's calls in order, so the rollback comes after a
BEGIN still on its way) and releases the lock, then lets the error go on.
"""

from __future__ import annotations

import asyncio
import contextlib

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections


class _CancellationSafeTransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        token = None
        try:
            await self.ensure_connection()
            token = self.token = get_connections().set(self.connection_name, self.connection)
            await self.connection.begin()
        except BaseException:
            if token is not None:
                get_connections().reset(token)  # in this task's context, not the shield's
            # Shielded: a second cancellation does not stop the rollback or the release.
            await asyncio.shield(self._abandon())
            raise
        return self.connection

    async def _abandon(self) -> None:
        try:
            connection = self.connection._connection
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.rollback()
        finally:
            self._trxlock.release()


class CancellationSafeSqliteClient(SqliteClient):
    def _in_transaction(self) -> SqliteTransactionContext:
        return _CancellationSafeTransactionContext(SqliteTransactionWrapper(self), self._lock)


client_class = CancellationSafeSqliteClient
