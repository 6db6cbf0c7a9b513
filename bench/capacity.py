"""Load test: many live calls, their dashboards and a partner's webhooks, on PostgreSQL and
Redis (issue 14, "Capacity beyond one machine").

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<fresh db> \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/7 python -m bench.capacity [--quick]

One organization with an agent and a partner webhook endpoint (a local receiver, its own
process, subscribed to every event type). Two API processes (uvicorn, each with its
background loops, so each runs a partner webhook dispatcher) share the database and Redis;
dashboard subscribers (GraphQL over WebSocket, `organizationCallUpdates`, what a dashboard
selects) are split over them. In place of the worker, bench/capacity_calls.py (its own
process, as the application role in the call's organization) places simulated calls
through `core.services.calls` and the worker's `CallRecorder`, publishing on the Redis bus.

When the calls are over, the test waits for every event to reach every subscriber and the
receiver (or a deadline), then reads back what the database holds and checks it against
what arrived: a dashboard event missing or repeated at any subscriber, or an event without
its succeeded delivery at the receiver, fails the run (exit status 1) after the report.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from websockets.asyncio.client import ClientConnection

from bench import capacity_probes as probes
from bench.capacity_calls import CallPlan
from bench.capacity_checks import (
    SubscriberLedger,
    deltas,
    percentiles,
    process_cpu_delta,
    repeats,
    subscriber_losses,
    webhook_losses,
)
from bench.capacity_report import CapacityResult, section
from bench.fanout import subscribe
from bench.processes import ROOT, cpu_seconds, free_port, serve
from core import global_ids

QUICK = CallPlan(slots=20, seconds=15, length=(6.0, 12.0), ramp=3.0)
FULL = CallPlan(slots=200, seconds=120, length=(40.0, 80.0), ramp=10.0)
QUICK_SUBSCRIBERS = 50
FULL_SUBSCRIBERS = 1000
# How long the deliveries may take after the last call ended before the run is a failure.
DRAIN_SECONDS = 60.0


async def measure(
    *,
    database_url: str,
    api_database_url: str,
    redis_url: str,
    seed: dict[str, object],
    plan: CallPlan,
    subscribers: int,
) -> CapacityResult:
    organization_id = uuid.UUID(str(seed["organization_id"]))
    receiver_port = free_port()
    await _seed_endpoint_and_credits(
        database_url, organization_id, f"http://127.0.0.1:{receiver_port}/hooks"
    )
    env = {
        "DATABASE_URL": api_database_url,
        "REDIS_URL": redis_url,
        "ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
        # One dashboard user's token watches from every socket.
        "MAX_SOCKETS_PER_CREDENTIAL": str(subscribers),
        # The janitor builds a room service; no room is made or deleted in this test.
        "LIVEKIT_URL": "http://127.0.0.1:9",
        "LIVEKIT_API_KEY": "APIcapacity",
        "LIVEKIT_API_SECRET": "capacity-livekit-secret-0123456789abcdef",
        "LIVEKIT_SIP_HOST": "sip.capacity.test",
    }
    owner = await probes.connect(database_url)
    factory = "bench.apps:api_app_with_dispatcher"
    try:
        with (
            serve(
                "bench.partner_receiver:recording_receiver_app", env, port=receiver_port
            ) as receiver,
            serve(factory, env) as first,
            serve(factory, env) as second,
        ):
            apis = [first, second]
            urls = [url.replace("http", "ws") + "/graphql" for url in apis]
            sockets = list(
                await asyncio.gather(
                    *(
                        subscribe(urls[index % 2], str(seed["token"]), str(seed["global_org_id"]))
                        for index in range(subscribers)
                    )
                )
            )
            ledger = SubscriberLedger(subscribers)
            readers = [
                asyncio.create_task(_read(index, socket, ledger))
                for index, socket in enumerate(sockets)
            ]
            # As bench/fanout.py: full collections over the connections' objects would stall
            # the readers at random.
            gc.collect()
            gc.freeze()
            try:
                await asyncio.sleep(2.0)  # every subscription registered on the bus
                result = await _run(
                    owner=owner,
                    env=env,
                    apis=apis,
                    receiver=receiver,
                    organization_id=organization_id,
                    seed=seed,
                    plan=plan,
                    ledger=ledger,
                    redis_url=redis_url,
                )
            finally:
                gc.unfreeze()
                for reader in readers:
                    reader.cancel()
                await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
            result.api_log_errors = _log_errors(apis, factory)
            return result
    finally:
        await owner.close()


async def _run(
    *,
    owner: asyncpg.Connection,
    env: dict[str, str],
    apis: list[str],
    receiver: str,
    organization_id: uuid.UUID,
    seed: dict[str, object],
    plan: CallPlan,
    ledger: SubscriberLedger,
    redis_url: str,
) -> CapacityResult:
    since = datetime.now(UTC) - timedelta(seconds=1)
    database_before = await probes.database_counters(owner)
    tables_before = await probes.table_bytes(owner)
    reads_before = await probes.table_counters(owner)
    backends_before = await probes.backend_cpu(owner)
    redis_before = await probes.redis_info(redis_url)
    api_before = [cpu_seconds(url) for url in apis]
    # This process holds every subscriber's socket: on a machine this small, whether it keeps
    # up with the frames bounds the figures.
    client_cpu_before = time.process_time()
    loads = [os.getloadavg()[0]]
    started = time.monotonic()
    generator = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.capacity_calls",
        json.dumps(
            {
                "plan": asdict(plan),
                "organization_id": str(organization_id),
                "phone": str(seed["phone"]),
            }
        ),
        env={**os.environ, **env, "PYTHONPATH": ROOT},
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    output = b""

    async def collect() -> None:
        nonlocal output
        assert generator.stdout is not None
        output = await generator.stdout.read()
        await generator.wait()

    collecting = asyncio.create_task(collect())
    # The generator's backends end with it: their CPU time is read every second meanwhile.
    backends_seen = dict(backends_before)
    while not collecting.done():
        await asyncio.wait([collecting], timeout=1)
        loads.append(os.getloadavg()[0])
        backends_seen.update(await probes.backend_cpu(owner))
    generated_seconds = time.monotonic() - started
    if generator.returncode != 0 or not output.strip():
        raise RuntimeError(f"the call generator failed (exit {generator.returncode})")
    outcome = json.loads(output.decode().strip().splitlines()[-1])

    # Drain: every dashboard event at every subscriber, no delivery left to send. The
    # events are all recorded now; the wait polls one count, so as to add little to the
    # database's figures.
    record = await probes.recorded(owner, organization_id, since)
    expected = [(global_ids.encode("Call", call), seq) for call, seq in record.dashboard_events]
    drain_started = time.monotonic()
    while time.monotonic() - drain_started < DRAIN_SECONDS:
        if ledger.complete(expected) and not await probes.pending_deliveries(
            owner, organization_id
        ):
            break
        await asyncio.sleep(1.0)
    drained_seconds = time.monotonic() - drain_started
    api_after = [cpu_seconds(url) for url in apis]
    backends_seen.update(await probes.backend_cpu(owner))
    redis_after = await probes.redis_info(redis_url)
    database_after = await probes.database_counters(owner)
    tables_after = await probes.table_bytes(owner)
    reads_after = await probes.table_counters(owner)
    client_cpu = time.process_time() - client_cpu_before
    loads.append(os.getloadavg()[0])
    record = await probes.recorded(owner, organization_id, since)

    async with httpx.AsyncClient() as http:
        arrivals = (await http.get(receiver + "/received", timeout=30)).json()
    received = Counter(event_id for event_id, _, _ in arrivals)
    webhook_latencies = [
        (arrived - datetime.fromisoformat(timestamp).timestamp()) * 1000
        for _, timestamp, arrived in arrivals
    ]
    event_ids = [str(event_id) for event_id, *_ in record.events]
    problems = (
        [f"generator: {error}" for error in outcome["errors"][:10]]
        + subscriber_losses(ledger, expected)
        + webhook_losses(event_ids, record.delivery_status, received)
    )
    return CapacityResult(
        plan=plan,
        subscribers=ledger.subscribers,
        outcome=outcome,
        generated_seconds=generated_seconds,
        drained_seconds=drained_seconds,
        events=len(record.events),
        event_types=dict(record.types()),
        dashboard_events=len(expected),
        calls=record.calls,
        event_data_bytes=record.event_data_bytes,
        deliveries=record.deliveries,
        delivery_body_bytes=record.delivery_body_bytes,
        frames=ledger.frames,
        repeated_frames=ledger.repeated,
        frame_latency=percentiles(ledger.latencies_ms),
        webhook_arrivals=len(arrivals),
        webhook_repeats=repeats(received),
        webhook_latency=percentiles(webhook_latencies),
        database=deltas(database_before, database_after),
        tables=deltas(tables_before, tables_after),
        table_reads=deltas(reads_before, reads_after),
        backend_cpu_seconds=process_cpu_delta(backends_before, backends_seen),
        redis=deltas(redis_before, redis_after),
        api_cpu_seconds=[a - b for a, b in zip(api_after, api_before, strict=True)],
        generator_cpu_seconds=outcome["cpu_seconds"],
        client_cpu_seconds=client_cpu,
        loads=loads,
        problems=problems,
    )


async def _read(index: int, socket: ClientConnection, ledger: SubscriberLedger) -> None:
    async for raw in socket:
        message = json.loads(raw)
        if message.get("type") != "next":
            continue
        node = message["payload"]["data"]["organizationCallUpdates"]
        sent = datetime.fromisoformat(node["occurredAt"]).timestamp()
        ledger.record(index, node["call"]["id"], node["seq"], (time.time() - sent) * 1000)


async def _seed_endpoint_and_credits(
    database_url: str, organization_id: uuid.UUID, receiver_url: str
) -> None:
    """The partner's endpoint for every event type, at the receiver, and credits for every
    call the test places (the welcome credits end a few dozen calls in)."""
    from tortoise import Tortoise

    from core import tenancy
    from core.call_events import CallEventType
    from core.services import credits, webhook_endpoints
    from core.settings import Settings
    from orm.config import tortoise_config
    from orm.models import Organization

    settings = Settings(database_url=database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        with tenancy.platform_scope("load test seed"):
            await credits.adjust(
                organization_id=organization_id,
                amount=10_000_000,
                reason="Load test credits",
                reference=None,
                created_by_id=None,
                settings=settings,
            )
            await webhook_endpoints.create(
                organization=await Organization.get(id=organization_id),
                endpoint=webhook_endpoints.EndpointCreate(
                    url=receiver_url, event_types=list(CallEventType)
                ),
                settings=settings,
            )
    finally:
        await Tortoise.close_connections()


def _log_errors(apis: list[str], factory: str) -> list[str]:
    """Error lines the API servers logged (bench/processes.py `serve` keeps their stderr)."""
    lines: list[str] = []
    for url in apis:
        port = url.rsplit(":", 1)[1]
        path = os.path.join(ROOT, "var", f"bench-{factory.split(':')[-1]}-{port}.log")
        try:
            with open(path) as log:
                lines += [line.strip() for line in log if "ERROR" in line or "Traceback" in line]
        except OSError:
            continue
    return lines


async def run(*, quick: bool, plan: CallPlan | None = None, subscribers: int | None = None) -> str:
    """Seed a fresh PostgreSQL database (BENCH_DATABASE_URL, its owner), run, and return the
    report; raises LoadTestFailed after it when anything was lost."""
    from bench.__main__ import application_login, prepare

    database_url = os.environ.get("BENCH_DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("the load test runs on PostgreSQL: set BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    seed = await prepare(database_url)
    result = await measure(
        database_url=database_url,
        api_database_url=await application_login(database_url),
        redis_url=redis_url,
        seed=seed,
        plan=plan or (QUICK if quick else FULL),
        subscribers=subscribers or (QUICK_SUBSCRIBERS if quick else FULL_SUBSCRIBERS),
    )
    report = section(result)
    if result.failed:
        raise LoadTestFailed(report)
    return report


class LoadTestFailed(Exception):
    """Events were lost or the generator failed; the report says which."""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 calls, 50 subscribers, 15 s")
    parser.add_argument("--calls", type=int, help="concurrent calls (call slots)")
    parser.add_argument("--seconds", type=float, help="how long calls are placed")
    parser.add_argument("--subscribers", type=int, help="dashboard subscribers")
    options = parser.parse_args()
    plan = QUICK if options.quick else FULL
    if options.calls:
        plan = replace(plan, slots=options.calls)
    if options.seconds:
        plan = replace(plan, seconds=options.seconds)
    try:
        print(asyncio.run(run(quick=options.quick, plan=plan, subscribers=options.subscribers)))
    except LoadTestFailed as failure:
        print(failure)
        print("LOAD TEST FAILED: events were lost or the generator failed (see above)")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
