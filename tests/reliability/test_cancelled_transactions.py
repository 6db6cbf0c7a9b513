"""A task cancelled while it opens a transaction leaves the database usable.

On SQLite every statement of the process shares one connection behind one lock; Tortoise's
transaction takes the lock, then awaits BEGIN, and a cancellation arriving in that await
(a background loop stopped at shutdown, a test's dispatcher stopped at its end) used to leave
the lock taken forever: every later statement of the process waited for it (a CI run hung
at a test's teardown so). On PostgreSQL the pool's connection must go back likewise.
"""

from __future__ import annotations

import asyncio

from tortoise.transactions import in_transaction

from orm.models import Organization
from tests.support.waiting import DEADLINE


async def test_a_task_cancelled_while_opening_a_transaction_leaves_the_database_usable(server):
    # given: tasks that open a transaction, each cancelled a little later than the last, so
    # that some are cancelled inside BEGIN, others before it or inside the block
    async def in_a_transaction() -> None:
        async with in_transaction():
            await Organization.all().count()
            await asyncio.sleep(DEADLINE)

    for turns in range(40):
        task = asyncio.create_task(in_a_transaction())
        for _ in range(turns % 8):
            await asyncio.sleep(0)
        # when
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

        # then: the next statement runs, at once
        async with asyncio.timeout(DEADLINE):
            await Organization.all().count()
            async with in_transaction():
                await Organization.all().count()
