"""`make bench`: runs every measurement and writes docs/benchmarks.md.

BENCH_DATABASE_URL picks the database (default: a fresh SQLite file); on PostgreSQL it is the
tables' owner (it migrates and seeds), and the API runs as a login of the application role,
under row-level security, as in production (`application_login`), while the hand-written
baselines read as the owner: the ratios include what the policies cost;
BENCH_REDIS_URL the Redis for fan-out (default redis://127.0.0.1:6379/15;
skipped, and said so, when it does not answer). BENCH_QUICK=1 runs small sizes;
BENCH_ONLY=<sections> runs some sections and only prints them. The load test (`capacity`,
bench/capacity.py: minutes long, PostgreSQL and Redis only) runs only when BENCH_ONLY names it.
"""

from __future__ import annotations

import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    capacity,
    capacity_report,
    fanout,
    load,
    partner_webhooks,
    queries,
    report,
    seed,
    startup,
    throughput,
    webhook,
    worker_start,
)
from bench.processes import ROOT, cores, pin

# The load generator and the servers on different CPUs where the machine has two or more.
CORES = cores()

QUICK = os.environ.get("BENCH_QUICK") == "1"
# BENCH_ONLY=worker,webhook runs those sections only (reads, queries, startup, webhook,
# worker, fanout, partner-webhooks, capacity) and prints them: docs/benchmarks.md is written
# by whole runs only, which leave out the load test (capacity).
ONLY = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}


def _wanted(section: str) -> bool:
    return not ONLY or section in ONLY


LIVEKIT_KEY = "APIbench"
LIVEKIT_SECRET = "bench-livekit-secret-0123456789abcdefghij"


async def prepare(database_url: str) -> dict[str, object]:
    """Migrate a fresh database and seed an organization, an agent and a signed-in user."""
    from tortoise import Tortoise

    from core.security.tokens import AccessTokenCodec
    from core.services import accounts, organizations, roles
    from core.settings import Settings
    from graphql_api import ids
    from orm import tenancy
    from orm.config import tortoise_config
    from orm.migrate import apply_migrations
    from orm.models import Call, PhoneNumber, User, VoiceAgent
    from orm.tenancy import Scope

    await apply_migrations(database_url)
    settings = Settings(database_url=database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    # The seed writes several organizations' rows, as an operator's command would.
    leave = tenancy.enter(Scope(platform=True, reason="bench seed"))
    try:
        await roles.sync_builtin_roles()
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        await accounts.sign_up(
            email=email, password="bench password 123", full_name="Bench", settings=settings
        )
        # Verified, as the person who owns several organizations would be.
        await User.filter(email=email).update(email_verified_at=datetime.now(UTC))
        issued = await accounts.sign_in(
            email=email,
            password="bench password 123",
            codec=AccessTokenCodec(settings),
            settings=settings,
            client_address="127.0.0.1",
        )
        organization = await organizations.create(creator=issued.user, name="Bench Org")
        dashboard_org = await seed.seed_dashboard(user=issued.user)
        phone = f"+1415555{uuid.uuid4().int % 9000 + 1000}"
        # A number the organization holds (not linked to Twilio: the bench calls the webhook
        # directly, as Twilio would).
        number = await PhoneNumber.create(
            organization=organization, e164=phone, friendly_name=phone
        )
        agent = await VoiceAgent.create(
            organization=organization,
            name="Bench",
            system_prompt="x",
            voice="Puck",
            language="en-US",
            phone_number=number,
        )
        # The call whose status changes the fan-out publishes (its subscribers show it).
        call = await Call.create(
            id=uuid.uuid4(),
            organization=organization,
            agent=agent,
            direction="inbound",
            from_number="+14155550100",
            to_number=phone,
            status="in_progress",
        )
    finally:
        tenancy.leave(leave)
        await Tortoise.close_connections()
    return {
        "token": issued.access_token,
        "organization_id": organization.id,
        "global_org_id": ids.encode("Organization", organization.id),
        "phone": phone,
        "dashboard_org_id": ids.encode("Organization", dashboard_org),
        "call_id": call.id,
        "global_call_id": ids.encode("Call", call.id),
    }


# The API's login on PostgreSQL: a member of the application role of migration 9.
BENCH_APP_LOGIN = "voiceagents_bench_app"


async def application_login(database_url: str) -> str:
    """The URL of the migrated database as a login of `voiceagents_app` (made when missing;
    no password: the bench's server trusts local connections, as for the owner)."""
    from urllib.parse import urlsplit, urlunsplit

    import asyncpg

    from orm.config import normalize_url

    url = normalize_url(database_url)
    owner = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1).split("?")[0])
    try:
        await owner.execute(
            f"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{BENCH_APP_LOGIN}') THEN
                    CREATE ROLE {BENCH_APP_LOGIN} LOGIN IN ROLE voiceagents_app;
                END IF;
            END
            $$;
            """
        )
    finally:
        await owner.close()
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{BENCH_APP_LOGIN}@{parts.hostname}{port}"))


async def redis_answers(url: str) -> bool:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=1)
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()


async def run() -> str:
    workdir = Path(tempfile.mkdtemp(prefix="va-bench-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite://{workdir / 'bench.sqlite3'}"
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    seed = await prepare(database_url)
    stub = subprocess.Popen(
        [sys.executable, "-m", "bench.livekit_stub", LIVEKIT_KEY, LIVEKIT_SECRET],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": ROOT},
        stdout=subprocess.PIPE,
    )
    pin(stub, CORES.servers)
    assert stub.stdout is not None
    ready, _, port = stub.stdout.readline().decode().strip().partition(" ")
    if ready != "ready":
        raise RuntimeError("the LiveKit stub did not start (its error is above)")
    stub_port = int(port)
    api_database_url = (
        database_url
        if database_url.startswith("sqlite://")
        else await application_login(database_url)
    )
    env = {
        "DATABASE_URL": api_database_url,
        # The hand-written baselines (bench/apps.py) read as the owner: no policies.
        "BENCH_BASELINE_DATABASE_URL": database_url,
        "ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
        "LIVEKIT_URL": f"http://127.0.0.1:{stub_port}",
        "LIVEKIT_API_KEY": LIVEKIT_KEY,
        "LIVEKIT_API_SECRET": LIVEKIT_SECRET,
        "LIVEKIT_SIP_HOST": "sip.bench.test",
    }
    env.pop("REDIS_URL", None)
    sections = []
    lost = False
    try:
        token, dashboard_org = str(seed["token"]), str(seed["dashboard_org_id"])
        if _wanted("reads"):
            reads = await throughput.measure(
                env=env,
                token=token,
                organization_global_id=dashboard_org,
                concurrency=16,
                seconds=3 if QUICK else 8,
                rounds=1 if QUICK else 3,
                cores=CORES,
            )
            sections.append(report.throughput_section(reads, load.generator(), CORES))
        if _wanted("queries"):
            counts = await queries.measure(
                database_url=database_url, token=token, organization_global_id=dashboard_org
            )
            sections.append(report.queries_section(counts))
        if _wanted("startup"):
            starts = 2 if QUICK else 5
            api_footprint, hello_footprint = await startup.measure(
                env=env,
                token=token,
                organization_global_id=dashboard_org,
                starts=starts,
                warm_seconds=2 if QUICK else 5,
                cores=CORES,
            )
            sections.append(report.footprint_section(api_footprint, hello_footprint, starts, CORES))
        if _wanted("webhook"):
            api, baseline = await webhook.measure(
                env=env,
                phone_number=str(seed["phone"]),
                requests=300 if QUICK else 1000,
                rounds=1 if QUICK else 3,
                cores=CORES,
            )
            sections.append(report.webhook_section(api, baseline, CORES))
        if _wanted("worker"):
            warm, cold = await worker_start.measure(
                database_url=database_url, calls=5 if QUICK else 20
            )
            sections.append(_worker_start_section(warm, cold))
        if _wanted("partner-webhooks"):
            pipeline, post_loop, concurrency = await partner_webhooks.measure(
                env=env, database_url=database_url, events=300 if QUICK else 2000
            )
            sections.append(
                partner_webhooks.section(pipeline, post_loop, concurrency, database_url)
            )
        if not _wanted("fanout"):
            pass
        elif await redis_answers(redis_url):
            count = 200 if QUICK else 1000
            fan_api, fan_raw = await fanout.measure(
                env=env,
                redis_url=redis_url,
                organization_id=seed["organization_id"],  # type: ignore[arg-type]
                global_org_id=str(seed["global_org_id"]),
                call_id=seed["call_id"],  # type: ignore[arg-type]
                global_call_id=str(seed["global_call_id"]),
                token=str(seed["token"]),
                subscribers=count,
                events=5 if QUICK else 10,
                rounds=1 if QUICK else 3,
            )
            sections.append(_fanout_section(fan_api, fan_raw))
        else:
            sections.append(f"## Event fan-out\n\nSkipped: Redis did not answer at {redis_url}.\n")
        if "capacity" not in ONLY:
            pass
        elif database_url.startswith("postgres") and await redis_answers(redis_url):
            load_test = await capacity.measure(
                database_url=database_url,
                api_database_url=api_database_url,
                redis_url=redis_url,
                seed=seed,
                plan=capacity.QUICK if QUICK else capacity.FULL,
                subscribers=capacity.QUICK_SUBSCRIBERS if QUICK else capacity.FULL_SUBSCRIBERS,
            )
            sections.append(capacity_report.section(load_test))
            lost = load_test.failed
        else:
            sections.append(
                "## Capacity\n\nSkipped: the load test needs PostgreSQL (BENCH_DATABASE_URL) "
                f"and Redis ({redis_url}).\n"
            )
    finally:
        stub.terminate()
        stub.wait(timeout=10)
    if lost:
        raise capacity.LoadTestFailed(_report(database_url, sections))
    return _report(database_url, sections)


def _worker_start_section(warm: worker_start.StartResult, cold: worker_start.StartResult) -> str:
    target_met = warm.p50_ms < 50
    return (
        "## Worker start-up: job accepted to greeting requested\n\n"
        f"{len(warm.samples_ms)} calls on each side, one after another, through LiveKit's own "
        "job process pool (livekit-agents 1.8.9, forkserver, one idle process kept warm): "
        "from the pool being handed the accepted job to the agent's greeting reaching the "
        "model (a scripted model; Gemini's own connection is not part of it). Warm is the "
        "worker as it runs: its modules and the Google plugin preloaded in the forkserver, "
        "each process prewarmed (database and its connection, bus, HTTP client, tool "
        "registry). The baseline is the same job without preload or prewarm, as jobs ran "
        "before: it imports the worker and the Google plugin, opens the database and "
        "discovers the tools itself. The bench's jobs are fake jobs, whose mock room LiveKit "
        "builds on first use (~25 ms; a real job's room takes under a millisecond): it is built "
        "before the clock starts, on both sides. Every job is then shut down as LiveKit does "
        "it, and its call must be recorded as ended.\n\n"
        "| | p50 | worst | of which in the job (p50) | calls ended by the shutdown |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| warm | {warm.p50_ms:.1f} ms | {warm.worst_ms:.1f} ms | {warm.in_job_p50_ms:.1f} ms "
        f"| {warm.ended} / {warm.jobs} |\n"
        f"| baseline (cold) | {cold.p50_ms:.1f} ms | {cold.worst_ms:.1f} ms | "
        f"{cold.in_job_p50_ms:.1f} ms | {cold.ended} / {cold.jobs} |\n"
        f"| ratio (warm / cold) | {warm.p50_ms / cold.p50_ms:.2f} | | | |\n\n"
        f"Target: warm under 50 ms: **{'met' if target_met else 'missed'}** "
        f"({warm.p50_ms:.1f} ms).\n"
        + (
            ""
            if target_met
            else f"\nMissed by {warm.p50_ms - 50:.0f} ms. Why: of the "
            f"{warm.p50_ms:.0f} ms, {warm.in_job_p50_ms:.0f} ms are the job's own work (reading "
            "the call, its tools and functions, building the session); the rest is LiveKit "
            "handing the job to the idle process (IPC, job context, the job's task), on two "
            "cores shared with the bench itself. What would close it: fewer database round "
            "trips before the greeting (the call, its tools and its functions in one query), "
            "and a machine whose cores the worker has to itself.\n"
        )
    )


def _fanout_section(api: fanout.FanoutResult, raw: fanout.FanoutResult) -> str:
    p50_ratio = api.p50_ms / max(raw.p50_ms, 0.001)
    p99_ratio = api.p99_ms / max(raw.p99_ms, 0.001)
    met = p50_ratio <= 1.5 and p99_ratio <= 1.5 and api.subscribers >= 1000
    rounds = ", ".join(
        f"{p50:.0f}/{p99:.0f}" for p50, p99 in zip(api.round_p50s, api.round_p99s, strict=True)
    )
    raw_rounds = ", ".join(
        f"{p50:.0f}/{p99:.0f}" for p50, p99 in zip(raw.round_p50s, raw.round_p99s, strict=True)
    )
    return (
        "## Event fan-out (two API processes sharing Redis)\n\n"
        f"{api.events} events per round, each to {api.subscribers} WebSocket subscribers of "
        "`organizationCallUpdates` split over two API processes, from publish on Redis to "
        "receipt by the client; the baseline is raw Redis pub/sub to "
        f"{raw.subscribers} subscriber connections. The subscribers select what a dashboard "
        "does, the call included:\n\n"
        f"```graphql\n{fanout.SUBSCRIPTION}\n```\n\n"
        f"{api.rounds} rounds alternate API and baseline, every connection open throughout, "
        f"after {fanout.WARM_UP} events each way that are not measured (the first executions "
        "in a process, and the first frames on a connection, build what later ones reuse); "
        "each figure is the median of the rounds' percentiles "
        "(per round p50/p99 in ms: API "
        f"{rounds}; raw {raw_rounds}). Clients run in one process, so their own parsing is "
        "part of both figures; its garbage collector leaves out the objects of the open "
        "connections (`gc.freeze()`: full collections over them stalled readers of either "
        "side for 100-300 ms at random). Every frame the API sent was compared byte for byte "
        "with the frame built by hand from the published event and the call: "
        + (
            f"**all {api.delivered} equal**.\n\n"
            if api.mismatched == 0
            else f"**{api.mismatched} of {api.delivered} differed**.\n\n"
        )
        + "| | deliveries | p50 | p99 |\n| --- | --- | --- | --- |\n"
        f"| API (GraphQL over WebSocket) | {api.delivered} | {api.p50_ms:.1f} ms | "
        f"{api.p99_ms:.1f} ms |\n"
        f"| raw Redis pub/sub | {raw.delivered} | {raw.p50_ms:.1f} ms | {raw.p99_ms:.1f} ms |\n"
        f"| ratio (API / raw) | | {p50_ratio:.2f}x | {p99_ratio:.2f}x |\n\n"
        "Target: p50 and p99 at most 1.5x raw Redis pub/sub to 1,000 subscribers: "
        f"**{'met' if met else 'missed'}** ({p50_ratio:.2f}x / {p99_ratio:.2f}x to "
        f"{api.subscribers}).\n"
    )


def _report(database_url: str, sections: list[str]) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(
        next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    )
    backend = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench` (`python -m bench`). Every figure is a ratio against a baseline "
        "measured in the same run on the same machine; absolute numbers move with the machine "
        "and its load, ratios much less.\n\n"
        "The load test of many calls, dashboards and partner webhooks at once, and what it says "
        "about capacity, is in [capacity.md](capacity.md) (`python -m bench.capacity`; not part "
        "of `make bench`).\n\n"
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {os.cpu_count()} CPUs ({cpu}), {memory_kib // 1024 // 1024} GiB, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}\n"
        f"- database: {backend}; load generator, servers and stubs on the same machine\n"
        + report.generator_line()
        + f"- CPUs: {CORES.describe()} (reads, webhook, start-up)\n"
        + f"- load average when the report was written: {os.getloadavg()[0]:.1f}\n"
        f"- mode: {'quick (BENCH_QUICK=1)' if QUICK else 'full'}\n\n"
    )
    return header + "\n".join(sections)


def main() -> None:
    try:
        report = asyncio.run(run())
    except capacity.LoadTestFailed as failure:
        print(failure)
        print("LOAD TEST FAILED: events were lost or the generator failed (see above)")
        raise SystemExit(1) from None
    if not ONLY:
        target = Path(ROOT) / "docs" / "benchmarks.md"
        target.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
