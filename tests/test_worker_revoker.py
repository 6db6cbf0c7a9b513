"""The worker's background revoker drains queued revocations."""

import asyncio
import uuid
from datetime import UTC, datetime

from orm.models import Organization, TokenRevocation
from worker import revoker


async def test_revoke_forever_handles_queued_revocations(server, monkeypatch):
    # given a queued revocation whose sealed tokens cannot be read (so no provider is called)
    organization = await Organization.create(name="R", slug=f"r-{uuid.uuid4().hex[:8]}")
    row = await TokenRevocation.create(
        organization=organization,
        provider="google",
        sealed_tokens="v1.nokey.AAAA",
        sealed_table="agent_tools",
        sealed_row_id=uuid.uuid4(),
        next_attempt_at=datetime.now(UTC),
    )
    # the test process already has the database open
    monkeypatch.setattr(revoker.Tortoise, "init", _noop)
    monkeypatch.setattr(revoker.Tortoise, "close_connections", _noop)
    # when the loop runs one pass
    task = asyncio.create_task(revoker.revoke_forever(server.settings, interval_seconds=30))
    for _ in range(50):
        await asyncio.sleep(0.05)
        if (await TokenRevocation.get(id=row.id)).status != "pending":
            break
    task.cancel()
    # then the row is settled and its sealed tokens are gone
    settled = await TokenRevocation.get(id=row.id)
    assert settled.status == "failed"
    assert settled.sealed_tokens == ""


async def _noop(*args, **kwargs):
    return None
