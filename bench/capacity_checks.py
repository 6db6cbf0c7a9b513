"""The load test's arithmetic, apart from any process or socket: what arrived where, whether
anything was lost, and the deltas of the counters read before and after (bench/capacity.py).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bench.processes import percentile

EventKey = tuple[str, int]  # (the call's id as the subscriber sees it, the event's seq)


@dataclass
class SubscriberLedger:
    """What the dashboard subscribers received, kept small enough for 1,000 of them over
    minutes: per subscriber only the last seq of each call, and one count per event over all
    subscribers. A call's events reach a subscriber in seq order, each once; a seq not above
    the last one of its call is counted as repeated. With no repeat, an event counted once for
    every subscriber reached each of them exactly once."""

    subscribers: int
    received: Counter[EventKey] = field(default_factory=Counter)
    repeated: int = 0
    frames: int = 0
    latencies_ms: array[float] = field(default_factory=lambda: array("d"))
    _last_seq: list[dict[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._last_seq = [{} for _ in range(self.subscribers)]

    def record(self, subscriber: int, call_id: str, seq: int, latency_ms: float) -> None:
        self.frames += 1
        self.latencies_ms.append(latency_ms)
        last = self._last_seq[subscriber]
        if seq <= last.get(call_id, 0):
            self.repeated += 1
        else:
            last[call_id] = seq
        self.received[call_id, seq] += 1

    def complete(self, expected: Iterable[EventKey]) -> bool:
        """Every expected event reached every subscriber (repeats aside)."""
        return all(self.received[key] >= self.subscribers for key in expected)


def subscriber_losses(ledger: SubscriberLedger, expected: Iterable[EventKey]) -> list[str]:
    """What went wrong on the dashboard side, in words (empty: nothing)."""
    expected = sorted(set(expected))
    problems = []
    short = {
        key: ledger.received[key] for key in expected if ledger.received[key] < ledger.subscribers
    }
    if short:
        missing = sum(ledger.subscribers - count for count in short.values())
        sample = ", ".join(
            f"{call} #{seq}: {count}" for (call, seq), count in list(short.items())[:5]
        )
        problems.append(
            f"{len(short)} of {len(expected)} events did not reach every one of the "
            f"{ledger.subscribers} subscribers ({missing} frames missing; received by: {sample})"
        )
    if ledger.repeated:
        problems.append(f"{ledger.repeated} frames repeated an event or came out of order")
    known = set(expected)
    unexpected = [key for key in ledger.received if key not in known]
    if unexpected:
        problems.append(
            f"{len(unexpected)} events received that the database does not hold "
            f"(e.g. {unexpected[0]})"
        )
    return problems


def webhook_losses(
    expected_ids: Iterable[str],
    delivery_status: Mapping[str, list[str]],
    received: Counter[str],
) -> list[str]:
    """What went wrong on the partner side: every event needs one delivery row, succeeded,
    and at least one arrival at the receiver (delivery is at least once: a repeat is counted
    by `repeats`, not here)."""
    expected_ids = sorted(set(expected_ids))
    problems = []
    no_row = [event for event in expected_ids if not delivery_status.get(event)]
    if no_row:
        problems.append(f"{len(no_row)} events have no webhook delivery (e.g. {no_row[0]})")
    extra_rows = [event for event, rows in delivery_status.items() if len(rows) > 1]
    if extra_rows:
        problems.append(f"{len(extra_rows)} events have more than one delivery row")
    unfinished = Counter(
        status
        for event in expected_ids
        for status in delivery_status.get(event, [])
        if status != "succeeded"
    )
    if unfinished:
        problems.append(
            f"deliveries not succeeded: {dict(unfinished)} (pending: still queued when the "
            "test stopped waiting)"
        )
    not_arrived = [event for event in expected_ids if received[event] == 0]
    if not_arrived:
        problems.append(
            f"{len(not_arrived)} events never reached the receiver (e.g. {not_arrived[0]})"
        )
    known = set(expected_ids)
    strangers = [event for event in received if event not in known]
    if strangers:
        problems.append(f"{len(strangers)} deliveries of events the run did not record")
    return problems


def repeats(received: Counter[str]) -> int:
    """Arrivals beyond the first of the same event (at-least-once delivery allows them)."""
    return sum(count - 1 for count in received.values() if count > 1)


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p95: float
    p99: float
    count: int

    def describe(self, unit: str = "ms") -> str:
        if not self.count:
            return "none"
        return f"{self.p50:.0f} / {self.p95:.0f} / {self.p99:.0f} {unit}"


def percentiles(values: Iterable[float]) -> Percentiles:
    ordered = sorted(values)
    if not ordered:
        return Percentiles(0.0, 0.0, 0.0, 0)
    return Percentiles(
        percentile(ordered, 0.5), percentile(ordered, 0.95), percentile(ordered, 0.99), len(ordered)
    )


def deltas(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """after - before, for the counters both hold."""
    return {name: after[name] - before[name] for name in before if name in after}


def process_cpu_delta(before: Mapping[int, float], after: Mapping[int, float]) -> float:
    """CPU seconds used between two readings of processes by id: a process that appeared in
    between counts whole, one that ended in between is lost (the caller says so)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def redis_counters(info: Mapping[str, object]) -> dict[str, float]:
    """The load test's Redis counters out of `INFO all` as redis-py parses it."""
    commands = info.get("cmdstat_publish")
    publish = float(commands.get("calls", 0)) if isinstance(commands, Mapping) else 0.0
    return {
        "publish": publish,
        "commands": float(info.get("total_commands_processed", 0)),  # type: ignore[arg-type]
        "cpu_sys": float(info.get("used_cpu_sys", 0.0)),  # type: ignore[arg-type]
        "cpu_user": float(info.get("used_cpu_user", 0.0)),  # type: ignore[arg-type]
    }
