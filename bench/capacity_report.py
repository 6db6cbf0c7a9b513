"""The load test's result and its markdown section (bench/capacity.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.capacity_calls import CallPlan
from bench.capacity_checks import Percentiles


@dataclass
class CapacityResult:
    plan: CallPlan
    subscribers: int
    outcome: dict[str, Any]  # bench/capacity_calls.py's Outcome, as it printed it
    generated_seconds: float  # the generator process, start to exit
    drained_seconds: float  # after it, until everything arrived (or the deadline)
    events: int
    event_types: dict[str, int]
    dashboard_events: int
    calls: int
    event_data_bytes: int
    deliveries: int
    delivery_body_bytes: int
    frames: int
    repeated_frames: int
    frame_latency: Percentiles
    webhook_arrivals: int
    webhook_repeats: int
    webhook_latency: Percentiles
    database: dict[str, float]
    tables: dict[str, float]
    table_reads: dict[str, float]  # "<table>.<pg_stat_user_tables counter>": delta
    backend_cpu_seconds: float
    redis: dict[str, float]
    api_cpu_seconds: list[float]
    generator_cpu_seconds: float
    client_cpu_seconds: float
    loads: list[float]
    problems: list[str]
    api_log_errors: list[str] = field(default_factory=list)

    @property
    def calls_seconds(self) -> float:
        """From the generator's first call to its last ending."""
        return max(0.001, self.outcome["finished_at"] - self.outcome["started_at"])

    @property
    def events_per_second(self) -> float:
        return self.events / self.calls_seconds

    @property
    def delivery_seconds(self) -> float:
        """From the first call to the last arrival the test waited for."""
        return self.calls_seconds + self.drained_seconds

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def section(result: CapacityResult) -> str:
    r = result
    plan = r.plan
    per_event = max(r.events, 1)
    frames = max(r.frames, 1)
    db = r.database
    commits = db.get("xact_commit", 0.0)
    api_cpu = sum(r.api_cpu_seconds)
    expected_frames = r.dashboard_events * r.subscribers
    each_api = ", ".join(f"{seconds:.1f}" for seconds in r.api_cpu_seconds)
    load = f"{r.loads[0]:.1f} before, {max(r.loads):.1f} at most, {r.loads[-1]:.1f} after"
    types = ", ".join(f"{kind} {count}" for kind, count in sorted(r.event_types.items()))
    verdict = (
        "**passed**: every dashboard event reached every subscriber exactly once, every event "
        "reached the receiver with its delivery recorded as succeeded"
        if not r.failed
        else "**FAILED**:\n\n" + "\n".join(f"- {problem}" for problem in r.problems)
    )
    rows = [
        (
            "events recorded",
            f"{r.events} ({r.events_per_second:.1f}/s over {r.calls_seconds:.1f} s)",
        ),
        (
            "calls placed / completed",
            f"{r.outcome['calls_started']} / {r.outcome['calls_completed']}",
        ),
        ("of which for dashboards", f"{r.dashboard_events}"),
        (
            "subscriber frames received",
            f"{r.frames} of {expected_frames} ({r.frames / r.delivery_seconds:.0f}/s)",
        ),
        ("subscriber latency p50 / p95 / p99", r.frame_latency.describe()),
        (
            "webhooks received (2xx)",
            f"{r.webhook_arrivals} of {r.events} ({r.webhook_arrivals / r.delivery_seconds:.1f}/s;"
            f" {r.webhook_repeats} repeats)",
        ),
        ("webhook latency p50 / p95 / p99", r.webhook_latency.describe()),
        ("drain after the last call ended", f"{r.drained_seconds:.1f} s"),
    ]
    database = [
        ("commits", commits, commits / per_event),
        ("rows inserted", db.get("tup_inserted", 0.0), db.get("tup_inserted", 0.0) / per_event),
        ("rows updated", db.get("tup_updated", 0.0), db.get("tup_updated", 0.0) / per_event),
        (
            "rows fetched (index)",
            db.get("tup_fetched", 0.0),
            db.get("tup_fetched", 0.0) / per_event,
        ),
        (
            "rows returned (scans)",
            db.get("tup_returned", 0.0),
            db.get("tup_returned", 0.0) / per_event,
        ),
        ("blocks hit / read", db.get("blks_hit", 0.0), db.get("blks_read", 0.0)),
        (
            "WAL bytes (whole cluster)",
            db.get("wal_bytes", 0.0),
            db.get("wal_bytes", 0.0) / per_event,
        ),
        (
            "generator's statements (ORM)",
            float(r.outcome["statements"]),
            r.outcome["statements"] / per_event,
        ),
    ]
    lines = [
        "## Capacity: live calls, dashboards and partner webhooks (PostgreSQL, Redis)\n",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {load} (2 CPUs, shared). "
        f"{plan.slots} call slots for {plan.seconds:.0f} s (calls of {plan.length[0]:.0f}-"
        f"{plan.length[1]:.0f} s, ringing {plan.ring[0]:.0f}-{plan.ring[1]:.0f} s, a turn every "
        f"{plan.turn_gap[0]:.0f}-{plan.turn_gap[1]:.0f} s, a tool call after "
        f"{plan.tool_chance:.0%} of turns; slots start over {plan.ramp:.0f} s; the calls under "
        f"way end when the time is up), {r.subscribers} dashboard subscribers over two API "
        "processes (each with its partner webhook dispatcher), one partner endpoint for every "
        "event type.\n",
        f"Event types: {types}.\n",
        "| | |\n| --- | --- |",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
        "| PostgreSQL (this database) | over the run | per event |\n| --- | --- | --- |",
        *(f"| {name} | {total:.0f} | {each:.2f} |" for name, total, each in database[:5]),
        f"| blocks hit / read | {database[5][1]:.0f} / {database[5][2]:.0f} | |",
        *(f"| {name} | {total:.0f} | {each:.2f} |" for name, total, each in database[6:]),
        f"| backends' CPU | {r.backend_cpu_seconds:.1f} s | "
        f"{r.backend_cpu_seconds / per_event * 1000:.2f} ms |",
        "",
        "Where the rows read come from (pg_stat_user_tables, the five tables read most):\n",
        "| table | sequential scans | rows read by them | index scans | rows fetched by them |",
        "| --- | --- | --- | --- | --- |",
        *_most_read(r.table_reads),
        "",
        "| written | bytes | per event |\n| --- | --- | --- |",
        f"| call_events.data (text) | {r.event_data_bytes} | "
        f"{r.event_data_bytes / per_event:.0f} |",
        f"| webhook_deliveries.body | {r.delivery_body_bytes} | "
        f"{r.delivery_body_bytes / per_event:.0f} |",
        *(
            f"| {table} on disk (growth) | {grown:.0f} | {grown / per_event:.0f} |"
            for table, grown in sorted(r.tables.items())
        ),
        "",
        "| CPU and Redis | over the run | per event | per subscriber frame |",
        "| --- | --- | --- | --- |",
        f"| API processes (both) | {api_cpu:.1f} s ({each_api}) "
        f"| {api_cpu / per_event * 1000:.2f} ms | {api_cpu / frames * 1000:.3f} ms |",
        f"| call generator (the worker's part) | {r.generator_cpu_seconds:.1f} s | "
        f"{r.generator_cpu_seconds / per_event * 1000:.2f} ms | |",
        f"| subscribers' client (one process) | {r.client_cpu_seconds:.1f} s | | "
        f"{r.client_cpu_seconds / frames * 1000:.3f} ms |",
        f"| Redis PUBLISH (whole server) | {r.redis.get('publish', 0):.0f} | "
        f"{r.redis.get('publish', 0) / per_event:.2f} | |",
        f"| Redis commands (whole server) | {r.redis.get('commands', 0):.0f} | "
        f"{r.redis.get('commands', 0) / per_event:.2f} | |",
        f"| Redis CPU sys + user (whole server) | "
        f"{r.redis.get('cpu_sys', 0) + r.redis.get('cpu_user', 0):.2f} s | "
        f"{(r.redis.get('cpu_sys', 0) + r.redis.get('cpu_user', 0)) / per_event * 1000:.3f} ms | |",
        "",
        f"Lost-event check: {verdict}.",
    ]
    if r.outcome["errors"]:
        lines.append(f"\nThe generator saw {len(r.outcome['errors'])} errors.")
    if r.api_log_errors:
        lines.append(
            f"\nThe API servers logged {len(r.api_log_errors)} error lines; the first: "
            f"`{r.api_log_errors[0][:300]}`"
        )
    return "\n".join(lines) + "\n"


def _most_read(reads: dict[str, float], tables: int = 5) -> list[str]:
    names = {key.rpartition(".")[0] for key in reads}

    def rows_read(table: str) -> float:
        return reads.get(f"{table}.seq_tup_read", 0.0) + reads.get(f"{table}.idx_tup_fetch", 0.0)

    return [
        f"| {table} | {reads.get(f'{table}.seq_scan', 0):.0f} | "
        f"{reads.get(f'{table}.seq_tup_read', 0):.0f} | {reads.get(f'{table}.idx_scan', 0):.0f} "
        f"| {reads.get(f'{table}.idx_tup_fetch', 0):.0f} |"
        for table in sorted(names, key=rows_read, reverse=True)[:tables]
    ]
