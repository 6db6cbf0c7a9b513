"""docs/benchmarks.md sections for the dashboard reads, SQL counts, start-up and memory."""

from __future__ import annotations

from bench import load, seed
from bench.queries import Counts
from bench.startup import Footprint
from bench.throughput import Comparison

DASHBOARD_TARGET = 1 / 3
ME_TARGET = 1 / 2
MEMORY_TARGET_MB = 120


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def throughput_section(results: list[Comparison], generator: str) -> str:
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
        f"{c.baseline.p99_ms:.1f} ms) | {c.ratio:.2f} | {target} | {_verdict(c.ratio >= goal)} |"
        for label, c, target, goal in (
            ("dashboard", dashboard, "≥ 0.33", DASHBOARD_TARGET),
            ("`me`", me, "≥ 0.50", ME_TARGET),
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
        "and user), checks the membership's permissions, runs the same queries (rows "
        "come back as ORM model instances on both sides, as in the API's resolvers, so the "
        "ratio is what the GraphQL layer costs) and returns the same JSON from hand-built "
        "dicts; the bench checks that both answers are equal "
        "before measuring. Both are single uvicorn processes running at the same time; rounds "
        f"alternate API and baseline, {first.rounds} of each, and each figure is the median "
        f"round. Load generator: {tool}.\n\n"
        "| read | API (p50 / p99) | baseline (p50 / p99) | ratio (API / baseline) | target "
        "| |\n| --- | --- | --- | --- | --- | --- |\n"
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
        + " Why: both sides wait on the same queries, so the difference is CPU spent in "
        "Python per request: parsing and validating the document (cached after the first "
        "time), Strawberry's resolver machinery per field (every field of every edge is a "
        "resolver call with its own permission extension and an `Info` object), DataLoader "
        "batching through the event loop, and turning the result into JSON. What would "
        "close it: run more worker processes per machine (the API scales out: "
        "docs/architecture.md); cache the executed plan per document (a compiled-query "
        "executor such as graphql-jit is not available for Python); skip the per-field "
        "permission extension on fields whose parent already proved the permission.\n"
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


def footprint_section(api: Footprint, hello: Footprint, starts: int) -> str:
    met = api.rss_mb < MEMORY_TARGET_MB
    text = (
        "## API process start-up and memory\n\n"
        "Both started the same way (`python -m uvicorn --factory`, one process): the API "
        "(`bench.apps:api_app`, the real application) and a bare Starlette hello-world "
        "(`bench.hello:hello_app`). Start-up is from spawning the process to the first 200 "
        f"from `/healthz`, median of {starts} starts; resident memory (VmRSS, and the peak "
        "VmHWM) after a warm-up (the dashboard and `me` reads under load for the API, "
        "`/healthz` for the hello-world).\n\n"
        "| | start-up | resident | peak |\n| --- | --- | --- | --- |\n"
        f"| API | {api.startup_s:.2f} s | {api.rss_mb:.0f} MB | {api.peak_rss_mb:.0f} MB |\n"
        f"| hello-world | {hello.startup_s:.2f} s | {hello.rss_mb:.0f} MB | "
        f"{hello.peak_rss_mb:.0f} MB |\n"
        f"| ratio (API / hello-world) | {api.startup_s / hello.startup_s:.1f}x | "
        f"{api.rss_mb / hello.rss_mb:.1f}x | |\n\n"
        f"Target: API under {MEMORY_TARGET_MB} MB resident: {_verdict(met)} "
        f"({api.rss_mb:.0f} MB).\n"
    )
    if not met:
        text += (
            f"\nMissed by {api.rss_mb - MEMORY_TARGET_MB:.0f} MB "
            f"({api.rss_mb / MEMORY_TARGET_MB - 1:.0%}). Why: it is mostly code, not data: "
            "Python and Starlette (~25 MB), Tortoise (~14 MB), Strawberry, graphql-core and "
            "our schema (~14 MB), PyJWT with cryptography (~9 MB), Redis (~8 MB); building the "
            "app and uvicorn add ~20 MB and the first requests ~20 MB more (parser and "
            "validation caches, driver buffers). The LiveKit, Stripe and Authlib SDKs are "
            "already imported on first use, not at start-up (a replica that never handles a "
            "webhook, a billing action or an OAuth flow never loads them). What would close "
            "the rest: serve webhooks and OAuth from their own process, so API replicas load "
            "only GraphQL; or run the API under a leaner allocator and prune unused Strawberry "
            "extensions.\n"
        )
    return text


def generator_line() -> str:
    return f"- load generator for throughput: {load.generator()}\n"
