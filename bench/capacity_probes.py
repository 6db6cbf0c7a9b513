"""What the load test reads off PostgreSQL and Redis: their counters, the CPU time of the
database's backends, and what the run wrote (bench/capacity.py). PostgreSQL is read as the
tables' owner, without row-level security, on a connection of its own."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from redis.asyncio import Redis

from bench.capacity_checks import redis_counters
from core.call_events import DASHBOARD_TYPES

DATABASE_COUNTERS = (
    "xact_commit",
    "xact_rollback",
    "tup_inserted",
    "tup_updated",
    "tup_deleted",
    "tup_fetched",
    "tup_returned",
    "blks_hit",
    "blks_read",
)
TABLES = ("calls", "call_events", "webhook_deliveries")


async def connect(database_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))


async def database_counters(owner: asyncpg.Connection) -> dict[str, float]:
    """pg_stat_database of this database, and the cluster's WAL position (bytes)."""
    # The statistics of other backends reach the view when they flush them (at most once a
    # second in PostgreSQL 15): wait for that, and read afresh, not this transaction's copy.
    await asyncio.sleep(1.5)
    await owner.execute("SELECT pg_stat_clear_snapshot()")
    row = await owner.fetchrow(
        f"SELECT {', '.join(DATABASE_COUNTERS)},"
        " pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal_bytes"
        " FROM pg_stat_database WHERE datname = current_database()"
    )
    assert row is not None
    return {name: float(row[name]) for name in (*DATABASE_COUNTERS, "wal_bytes")}


TABLE_COUNTERS = ("seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch")


async def table_counters(owner: asyncpg.Connection) -> dict[str, float]:
    """Per table, how it was read: `<table>.seq_tup_read` and the like (pg_stat_user_tables;
    read after database_counters, which waits for the backends' statistics)."""
    rows = await owner.fetch(
        f"SELECT relname, {', '.join(TABLE_COUNTERS)} FROM pg_stat_user_tables"
    )
    return {
        f"{row['relname']}.{name}": float(row[name] or 0) for row in rows for name in TABLE_COUNTERS
    }


async def table_bytes(owner: asyncpg.Connection) -> dict[str, float]:
    """Each table's size on disk, indexes and TOAST included."""
    return {
        table: float(await owner.fetchval("SELECT pg_total_relation_size($1::regclass)", table))
        for table in TABLES
    }


async def backend_cpu(owner: asyncpg.Connection) -> dict[int, float]:
    """CPU seconds so far of each backend connected to this database (from /proc: the
    server runs on this machine), this probe's own left out."""
    pids = await owner.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND pid <> pg_backend_pid()"
    )
    readings = {row["pid"]: process_cpu(row["pid"]) for row in pids}
    return {pid: seconds for pid, seconds in readings.items() if seconds is not None}


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a process so far; None when it is gone or hidden."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # The fields after the command's name, which is in parentheses.
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def redis_info(redis_url: str) -> dict[str, float]:
    client = Redis.from_url(redis_url)
    try:
        return redis_counters(await client.info("all"))
    finally:
        await client.aclose()


@dataclass(frozen=True)
class Recorded:
    """What the run wrote, read back: the events (all, and the dashboard's), their
    deliveries, and their sizes."""

    calls: int
    events: list[tuple[uuid.UUID, uuid.UUID, int, str, datetime]]  # id, call, seq, type, at
    event_data_bytes: int
    delivery_status: dict[str, list[str]]  # event id -> its deliveries' statuses
    delivery_body_bytes: int
    deliveries: int
    delivered_at: list[tuple[str, datetime, datetime]]  # event id, occurred, delivered

    @property
    def dashboard_events(self) -> list[tuple[uuid.UUID, int]]:
        kinds = {kind.value for kind in DASHBOARD_TYPES}
        return [(call, seq) for _, call, seq, kind, _ in self.events if kind in kinds]

    def types(self) -> Counter[str]:
        return Counter(kind for *_, kind, _ in self.events)


async def recorded(
    owner: asyncpg.Connection, organization_id: uuid.UUID, since: datetime
) -> Recorded:
    events = await owner.fetch(
        "SELECT id, call_id, seq, type, occurred_at, octet_length(data::text) AS size"
        " FROM call_events WHERE organization_id = $1 AND occurred_at >= $2",
        organization_id,
        since,
    )
    calls = await owner.fetchval(
        "SELECT count(*) FROM calls WHERE organization_id = $1 AND created_at >= $2",
        organization_id,
        since,
    )
    deliveries = await owner.fetch(
        "SELECT d.message_id, d.status, octet_length(d.body) AS size, e.occurred_at,"
        " d.delivered_at FROM webhook_deliveries d JOIN call_events e"
        " ON e.id::text = d.message_id"
        " WHERE d.organization_id = $1 AND e.occurred_at >= $2",
        organization_id,
        since,
    )
    status: dict[str, list[str]] = defaultdict(list)
    for row in deliveries:
        status[row["message_id"]].append(row["status"])
    return Recorded(
        calls=int(calls),
        events=[
            (row["id"], row["call_id"], row["seq"], row["type"], row["occurred_at"])
            for row in events
        ],
        event_data_bytes=sum(row["size"] for row in events),
        delivery_status=dict(status),
        delivery_body_bytes=sum(row["size"] for row in deliveries),
        deliveries=len(deliveries),
        delivered_at=[
            (row["message_id"], row["occurred_at"], row["delivered_at"])
            for row in deliveries
            if row["delivered_at"] is not None
        ],
    )


async def pending_deliveries(owner: asyncpg.Connection, organization_id: uuid.UUID) -> int:
    return int(
        await owner.fetchval(
            "SELECT count(*) FROM webhook_deliveries WHERE organization_id = $1"
            " AND status NOT IN ('succeeded', 'failed')",
            organization_id,
        )
    )
