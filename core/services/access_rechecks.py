"""The timed access re-checks of live streams, answered together.

Every live stream re-checks on a timer that its subscriber's credential stands and that
they may still read the organization's calls (core/services/call_streams.py). Alone, each
check is three queries: a thousand dashboards in a process would make three hundred a
second, in the way of the events they watch. Checks that fall due within BATCH_SECONDS of
each other are answered by one round of queries for all of them (`credentials.standing`
and `load_access_many`: five at most). Each stream still gets its own answer, for its own
credential and organization. A check a notice asks for (a role changed) does not wait.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from dataclasses import dataclass, field

from core import tenancy
from core.access import OrgAccess, Principal, load_access, load_access_many
from core.services import credentials

# How long a due check waits for others to share its queries (the timer's interval is
# seconds: this delays none of them noticeably).
BATCH_SECONDS = 0.05


@dataclass
class _Batch:
    asked: list[tuple[Principal, uuid.UUID, asyncio.Future[OrgAccess | None]]] = field(
        default_factory=list
    )


# The batch gathering in each event loop (tests run several apps, and loops, in one process).
_gathering: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batch] = (
    weakref.WeakKeyDictionary()
)


async def access_now(*, principal: Principal, organization_id: uuid.UUID) -> OrgAccess | None:
    """The principal's access to the organization, checked at once; None when its credential
    fell or it has none."""
    if not await credentials.is_alive(principal=principal):
        return None
    return (await load_access(principal, [organization_id])).get(organization_id)


async def access_soon(*, principal: Principal, organization_id: uuid.UUID) -> OrgAccess | None:
    """`access_now`, answered with the other checks due at about the same time."""
    loop = asyncio.get_running_loop()
    batch = _gathering.get(loop)
    if batch is None:
        batch = _gathering[loop] = _Batch()
        loop.call_later(BATCH_SECONDS, _answer_soon, loop, batch)
    answer: asyncio.Future[OrgAccess | None] = loop.create_future()
    batch.asked.append((principal, organization_id, answer))
    return await answer


def _answer_soon(loop: asyncio.AbstractEventLoop, batch: _Batch) -> None:
    if _gathering.get(loop) is batch:
        del _gathering[loop]
    task = loop.create_task(_answer(batch))
    _answering.add(task)
    task.add_done_callback(_answering.discard)


_answering: set[asyncio.Task[None]] = set()


async def _answer(batch: _Batch) -> None:
    # A stream that stopped waiting (its operation ended) cancelled its own answer.
    waiting = [asked for asked in batch.asked if not asked[2].done()]
    if not waiting:
        return
    try:
        # Exactly the organizations the batch checks: this task copied the context of
        # whoever asked first, whose scope is theirs, not the batch's (core/tenancy.py).
        with tenancy.tenant_scope({organization_id for _, organization_id, _ in waiting}):
            standing = await credentials.standing(
                principals=[principal for principal, _, _ in waiting]
            )
            accesses = await load_access_many([(principal, org) for principal, org, _ in waiting])
    except Exception as error:  # the database is away: each stream fails as it would alone
        for _, _, answer in waiting:
            if not answer.done():
                answer.set_exception(error)
        return
    for (_, _, answer), stands, access in zip(waiting, standing, accesses, strict=True):
        if not answer.done():
            answer.set_result(access if stands else None)
