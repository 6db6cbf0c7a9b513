"""docs/benchmarks.md sections for the dashboard reads, SQL counts, start-up and memory, and
the incoming-call webhook."""

from __future__ import annotations

from bench import load, seed
from bench.processes import Cores
from bench.queries import Counts
from bench.startup import Footprint
from bench.throughput import Comparison
from bench.webhook import LatencyResult

DASHBOARD_TARGET = 0.66
ME_TARGET = 0.75
MEMORY_TARGET_MB = 120
WEBHOOK_TARGET = 2.0  # API p50 at most this many times the baseline's


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def throughput_section(results: list[Comparison], generator: str, cores: Cores) -> str:
    by_name = {result.name: result for result in results}
    dashboard, me = by_name["dashboard"], by_name["me"]
    first = dashboard
    tool = (
        "wrk (one thread; C, so the server keeps a core to itself)"
        if generator == "wrk"
        else "the Python fallback (httpx in the bench process; wrk was not found). It spends "
        "about as much CPU per request as a fast server, so the baseline is capped lower than "
        "it would be and the ratios read better than with wrk"
    )
    rows = "\n".join(
        f"| {label} | {c.api.per_second:,.0f} req/s ({c.api.p50_ms:.1f} / {c.api.p99_ms:.1f} ms) "
        f"| {c.baseline.per_second:,.0f} req/s ({c.baseline.p50_ms:.1f} / "
        f"{c.baseline.p99_ms:.1f} ms) | **{c.ratio:.2f}** | {c.api_cpu_ms:.2f} / "
        f"{c.baseline_cpu_ms:.2f} ms ({c.cpu_ratio:.2f}) | ≥ {goal:.2f} | "
        f"{_verdict(c.ratio >= goal)} | {c.load} |"
        for label, c, goal in (
            ("dashboard", dashboard, DASHBOARD_TARGET),
            ("`me`", me, ME_TARGET),
        )
    )
    text = (
        f"## Dashboard and `me` reads ({first.concurrency} concurrent clients)\n\n"
        "The dashboard read is an organization's agents page with their tools and its recent "
        "calls with their agent, 20 of each, in one GraphQL document:\n\n"
        "```graphql\n"
        "organization(id: $id) { agents(first: 20) { edges { node { id name phoneNumber "
        "tools { tool { name } isEnabled } } } } }\n"
        "calls(organizationId: $id, first: 20) { edges { node { id status durationSeconds "
        "agent { name } } } }\n```\n\n"
        "`me` is `me { id email memberships { role { key } organization { id name } } }` for "
        f"a user in {seed.OTHER_ORGANIZATIONS + 2} organizations. The baseline for each is a "
        "hand-written Starlette handler (bench/handwritten.py) on the same database that "
        "authenticates the same bearer token the same way (verify the JWT, load the session "
        "and user), checks the membership's permissions, runs the same statements (rows "
        "come back as ORM model instances on both sides, as in the API's resolvers, so the "
        "ratio is what the GraphQL layer costs) and returns the same JSON from hand-built "
        "dicts; the bench checks that both answers are the same bytes before measuring. Both "
        "are single uvicorn processes running at the same time, their heaps settled alike "
        f"(core/heap.py); {cores.describe()}. Rounds alternate API and baseline, "
        f"{first.rounds} of each, and each figure is the median round. Load generator: "
        f"{tool}. CPU per request is what the server process itself used over its rounds "
        "(median), which other work on the machine disturbs less than throughput; its ratio "
        "(baseline / API) is the throughput ratio one CPU of its own would give. Load is the "
        "1-minute load average before and after the rounds (2 CPUs; other work was running).\n\n"
        "| read | API (p50 / p99) | baseline (p50 / p99) | ratio (API / baseline) | CPU per "
        "request, API / baseline (ratio) | target | | load |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"{rows}\n"
    )
    return text + _throughput_notes(dashboard, me)


def _throughput_notes(dashboard: Comparison, me: Comparison) -> str:
    notes = []
    for label, c, goal in (("dashboard", dashboard, DASHBOARD_TARGET), ("`me`", me, ME_TARGET)):
        if c.ratio >= goal:
            continue
        needed = goal * c.baseline.per_second
        notes.append(
            f"The {label} target is missed by {goal - c.ratio:.2f} of the baseline "
            f"({c.api.per_second:,.0f} req/s against the {needed:,.0f} it needs, "
            f"{needed / c.api.per_second - 1:.0%} more)."
        )
    if not notes:
        return ""
    return (
        "\n"
        + " ".join(notes)
        + " Why: both sides run the same statements, so the difference is CPU spent in "
        "Python per request, and what is left of it is graphql-core's and Strawberry's "
        "per-field execution (see the profile below): every field of every edge is a "
        "resolver call with its own resolve info, path and completion, where the hand-written "
        "handler builds a dict entry. What the profile pointed at is done (see the profile "
        "section); what would close the rest is an execution that skips graphql-core's "
        "per-field work for documents it has planned once (no such executor exists for "
        "Python; graphql-jit is JavaScript), or more processes per machine (the API scales "
        "out: docs/architecture.md).\n"
    )


def queries_section(counts: list[Counts]) -> str:
    dashboard = [c for c in counts if c.read == "dashboard"]
    me = next(c for c in counts if c.read == "me")
    flat = len({c.api for c in dashboard}) == 1
    rows = "\n".join(f"| {c.size} | {c.api} | {c.baseline} |" for c in dashboard)
    return (
        "## SQL statements per page\n\n"
        "Statements sent to the database for one dashboard read (the document above with "
        "`first` = page size for both agents and calls), counted on Tortoise's "
        "`tortoise.db_client` logger, after a warm-up request; the organization has "
        f"{seed.AGENTS} agents, each with a tool, and {seed.CALLS} calls.\n\n"
        "| page size | API | hand-written baseline |\n| --- | --- | --- |\n"
        f"{rows}\n\n"
        f"`me`: {me.api} statements (baseline {me.baseline}).\n\n"
        f"Target: the same count at every page size: {_verdict(flat)}.\n"
    )


def footprint_section(api: Footprint, hello: Footprint, starts: int, cores: Cores) -> str:
    met = api.rss_mb <= MEMORY_TARGET_MB
    text = (
        "## API process start-up and memory\n\n"
        "Both started the same way (`python -m uvicorn --factory`, one process): the API "
        "(`bench.apps:api_app`, the real application) and a bare Starlette hello-world "
        "(`bench.hello:hello_app`). Start-up is from spawning the process to the first 200 "
        f"from `/healthz`, median of {starts} starts alternating API and hello-world; "
        "resident memory (VmRSS, and the peak VmHWM) after a warm-up (the dashboard and `me` "
        f"reads under load for the API, `/healthz` for the hello-world); {cores.describe()}; "
        f"load average {api.load}.\n\n"
        "| | start-up | resident | peak |\n| --- | --- | --- | --- |\n"
        f"| API | {api.startup_s:.2f} s | {api.rss_mb:.0f} MB | {api.peak_rss_mb:.0f} MB |\n"
        f"| hello-world | {hello.startup_s:.2f} s | {hello.rss_mb:.0f} MB | "
        f"{hello.peak_rss_mb:.0f} MB |\n"
        f"| ratio (API / hello-world) | {api.startup_s / hello.startup_s:.1f}x | "
        f"{api.rss_mb / hello.rss_mb:.1f}x | |\n\n"
        f"Target: API at most {MEMORY_TARGET_MB} MB resident: {_verdict(met)} "
        f"({api.rss_mb:.0f} MB).\n"
    )
    if not met:
        text += (
            f"\nMissed by {api.rss_mb - MEMORY_TARGET_MB:.0f} MB "
            f"({api.rss_mb / MEMORY_TARGET_MB - 1:.0%}); where the memory goes is below.\n"
        )
    return text


def webhook_section(api: LatencyResult, baseline: LatencyResult, cores: Cores) -> str:
    ratio = api.p50_ms / baseline.p50_ms
    met = ratio <= WEBHOOK_TARGET
    rounds = ", ".join(f"{p50:.1f}" for p50 in api.round_p50s)
    baseline_rounds = ", ".join(f"{p50:.1f}" for p50 in baseline.round_p50s)
    return (
        "## Incoming-call webhook (20 concurrent requests)\n\n"
        f"{api.requests} signed Twilio requests per round and side, after a warm-up; "
        f"{api.rounds} rounds alternate API and baseline, both servers running at once on the "
        f"same database and LiveKit stub (a local Twirp server, its own process); "
        f"{cores.describe()}; load average {api.load}. Each figure is the median of the "
        f"rounds' (p50 per round in ms: API {rounds}; baseline {baseline_rounds}).\n\n"
        "Both make the same writes. The API verifies Twilio's signature, checks that the "
        "CallSid is not a retry, finds the number's agent (and its organization), reads the "
        "version of the agent's tools (one light statement; the tools themselves only when it "
        "changed: core/agent_tools_cache.py), inserts the call with its snapshot and its "
        "first event (`ringing`, with its sequence number) in one transaction, publishes the "
        "event, creates the call's LiveKit room, stores the room's name on the call and "
        "answers TwiML. The baseline (bench/apps.py `baseline_webhook_app`) verifies the "
        "signature, finds the agent, inserts the call with the agent's snapshot and its first "
        "event in one transaction, creates the room, stores its name and answers TwiML; it "
        "skips what a real handler needs beyond the writes: retry detection, refusals "
        "(inactive agent or organization, no credits), the agent's tools (the bench's agent "
        "has none), publishing, partner webhooks, tracing.\n\n"
        "| | p50 | p99 |\n| --- | --- | --- |\n"
        f"| API | {api.p50_ms:.1f} ms | {api.p99_ms:.1f} ms |\n"
        f"| baseline | {baseline.p50_ms:.1f} ms | {baseline.p99_ms:.1f} ms |\n"
        f"| ratio (API / baseline) | **{ratio:.2f}x** | {api.p99_ms / baseline.p99_ms:.2f}x |\n\n"
        f"Target: API p50 at most {WEBHOOK_TARGET:.0f}x the baseline's: {_verdict(met)} "
        f"({ratio:.2f}x).\n"
    )


def generator_line() -> str:
    return f"- load generator for throughput: {load.generator()}\n"
