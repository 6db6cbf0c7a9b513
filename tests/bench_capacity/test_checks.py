"""The load test's lost-event checks and arithmetic (bench/capacity_checks.py): pure, no
database, no server."""

from __future__ import annotations

from collections import Counter

from bench.capacity_checks import (
    SubscriberLedger,
    deltas,
    percentiles,
    process_cpu_delta,
    redis_counters,
    repeats,
    subscriber_losses,
    webhook_losses,
)

EXPECTED = [("call-a", 1), ("call-a", 2), ("call-b", 1)]


def _ledger_with_everything(subscribers: int) -> SubscriberLedger:
    ledger = SubscriberLedger(subscribers)
    for subscriber in range(subscribers):
        for call, seq in EXPECTED:
            ledger.record(subscriber, call, seq, latency_ms=10.0)
    return ledger


def test_every_event_at_every_subscriber_once_passes() -> None:
    # given
    ledger = _ledger_with_everything(3)

    # when
    problems = subscriber_losses(ledger, EXPECTED)

    # then
    assert problems == []
    assert ledger.complete(EXPECTED)
    assert ledger.frames == 9


def test_an_event_missing_at_one_subscriber_is_a_loss() -> None:
    # given: subscriber 1 never got call-a #2
    ledger = SubscriberLedger(2)
    for subscriber in range(2):
        for call, seq in EXPECTED:
            if (subscriber, call, seq) != (1, "call-a", 2):
                ledger.record(subscriber, call, seq, latency_ms=1.0)

    # when
    problems = subscriber_losses(ledger, EXPECTED)

    # then
    assert not ledger.complete(EXPECTED)
    assert len(problems) == 1
    assert "1 of 3 events" in problems[0] and "1 frames missing" in problems[0]


def test_a_repeated_event_is_reported_even_when_the_counts_add_up() -> None:
    # given: subscriber 0 got call-a #1 twice and subscriber 1 not at all
    ledger = SubscriberLedger(2)
    ledger.record(0, "call-a", 1, 1.0)
    ledger.record(0, "call-a", 1, 1.0)
    for call, seq in EXPECTED[1:]:
        ledger.record(0, call, seq, 1.0)
        ledger.record(1, call, seq, 1.0)

    # when
    problems = subscriber_losses(ledger, EXPECTED)

    # then: the count of call-a #1 is 2, as many as subscribers, but one of them repeated
    assert ledger.repeated == 1
    assert problems == ["1 frames repeated an event or came out of order"]


def test_an_event_out_of_order_counts_as_repeated() -> None:
    ledger = SubscriberLedger(1)
    ledger.record(0, "call-a", 2, 1.0)
    ledger.record(0, "call-a", 1, 1.0)

    assert ledger.repeated == 1


def test_an_event_the_database_does_not_hold_is_reported() -> None:
    ledger = _ledger_with_everything(1)
    ledger.record(0, "call-c", 1, 1.0)

    problems = subscriber_losses(ledger, EXPECTED)

    assert len(problems) == 1 and "does not hold" in problems[0]


def test_webhooks_all_succeeded_and_received_pass_with_repeats_counted_apart() -> None:
    # given: delivery is at least once; event e2 arrived twice
    status = {"e1": ["succeeded"], "e2": ["succeeded"]}
    received = Counter({"e1": 1, "e2": 2})

    # when
    problems = webhook_losses(["e1", "e2"], status, received)

    # then
    assert problems == []
    assert repeats(received) == 1


def test_webhook_losses_name_each_kind() -> None:
    # given: e1 has no delivery row, e2 is still pending, e3 never arrived, x came from elsewhere
    status = {"e2": ["pending"], "e3": ["succeeded"], "e4": ["succeeded", "succeeded"]}
    received = Counter({"e2": 1, "e4": 1, "x": 1})

    # when
    problems = webhook_losses(["e1", "e2", "e3", "e4"], status, received)

    # then
    assert problems == [
        "1 events have no webhook delivery (e.g. e1)",
        "1 events have more than one delivery row",
        "deliveries not succeeded: {'pending': 1} (pending: still queued when the test "
        "stopped waiting)",
        "2 events never reached the receiver (e.g. e1)",
        "1 deliveries of events the run did not record",
    ]


def test_percentiles_of_a_hundred_values() -> None:
    result = percentiles(float(value) for value in range(1, 101))

    assert (result.p50, result.p95, result.p99, result.count) == (51.0, 95.0, 99.0, 100)
    assert result.describe() == "51 / 95 / 99 ms"


def test_percentiles_of_nothing() -> None:
    assert percentiles([]).describe() == "none"


def test_deltas_and_process_cpu() -> None:
    assert deltas({"a": 1.0, "b": 5.0}, {"a": 4.0, "b": 5.5, "c": 9.0}) == {"a": 3.0, "b": 0.5}
    # pid 2 started in between (counts whole); pid 3 ended in between (lost)
    assert process_cpu_delta({1: 1.0, 3: 2.0}, {1: 1.5, 2: 0.25}) == 0.75


def test_redis_counters_from_info() -> None:
    info = {
        "cmdstat_publish": {"calls": 12, "usec": 30},
        "total_commands_processed": 40,
        "used_cpu_sys": 1.5,
        "used_cpu_user": 2.25,
    }

    assert redis_counters(info) == {
        "publish": 12.0,
        "commands": 40.0,
        "cpu_sys": 1.5,
        "cpu_user": 2.25,
    }
    assert redis_counters({})["publish"] == 0.0
