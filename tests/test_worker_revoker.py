"""The worker's background revoker drains queued revocations."""

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime

from orm.models import TokenRevocation
from tests.support.waiting import eventually
from worker import revoker


async def test_revoke_forever_handles_queued_revocations(server, make, monkeypatch):
    # given a queued revocation whose sealed tokens cannot be read (so no provider is called)
    tenant = await make.tenant("R")
    row = await TokenRevocation.create(
        organization=tenant.organization,
        provider="google",
        sealed_tokens="v1.nokey.AAAA",
        sealed_table="agent_tools",
        sealed_row_id=uuid.uuid4(),
        next_attempt_at=datetime.now(UTC),
    )
    # the test process already has the database open
    monkeypatch.setattr(revoker.Tortoise, "init", _noop)
    monkeypatch.setattr(revoker.Tortoise, "close_connections", _noop)

    # when the loop runs its first pass
    task = asyncio.create_task(revoker.revoke_forever(server.settings, interval_seconds=30))
    try:

        async def settled() -> bool:
            return (await TokenRevocation.get(id=row.id)).status != "pending"

        await eventually(settled, what="the revocation is settled")
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    # then the row is settled and its sealed tokens are gone
    settled_row = await TokenRevocation.get(id=row.id)
    assert settled_row.status == "failed"
    assert settled_row.sealed_tokens == ""


async def _noop(*args, **kwargs):
    return None
