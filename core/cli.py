"""`voiceagents`: the one command, and the composition root of every process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core import access_log
from core.settings import Settings

log = logging.getLogger("voiceagents")


class StartupError(Exception):
    """A problem the operator must fix; printed as one line, exit status 2."""


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]).upper() or "settings"
        raise StartupError(f"configuration error: {where}: {first['msg']}") from None


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Connection open/close chatter from the ORM and migrator is not news.
    for noisy in ("tortoise", "aerich", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.root.level))
    # uvicorn's request lines, for `serve`: an OAuth callback's `code` and `state` and a
    # webhook's parameters are in query strings, which the filter leaves out.
    access_log.install()


async def _with_database(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    """Run a command's work on the database. An operator's command reaches every
    organization's rows (row-level security's platform scope, core/tenancy.py)."""
    from core import tenancy

    with tenancy.platform_scope("the voiceagents command line"):
        return await _on_database(settings, work)


async def _on_database(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    from tortoise import Tortoise
    from tortoise.exceptions import OperationalError

    from orm.config import tortoise_config

    try:
        await Tortoise.init(config=tortoise_config(settings.database_url))
        from tortoise import connections

        await connections.get("default").execute_query("SELECT 1")
    except Exception as error:
        await Tortoise.close_connections()
        raise StartupError(f"database unreachable at DATABASE_URL: {_reason(error)}") from None
    try:
        return await work()
    except OperationalError as error:
        raise StartupError(
            f"database not ready ({_reason(error)}): run `voiceagents migrate` first"
        ) from None
    finally:
        await Tortoise.close_connections()


async def check_redis(settings: Settings) -> None:
    if not settings.redis_url:
        return
    from redis.asyncio import Redis

    client = Redis.from_url(settings.redis_url, socket_connect_timeout=3)
    try:
        await client.ping()
    except Exception as error:
        raise StartupError(f"redis unreachable at REDIS_URL: {_reason(error)}") from None
    finally:
        await client.aclose()


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]


# --- commands -----------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from graphql_api.app import create_app
    from graphql_api.telemetry import configure_tracing

    settings = load_settings()
    configure_logging(settings)

    async def preflight() -> None:
        await _with_database(settings, _noop)
        await check_redis(settings)

    asyncio.run(preflight())
    configure_tracing("voiceagents-api")
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"serving on http://{host}:{port}/graphql", flush=True)
    uvicorn.run(
        create_app(settings, settle_heap=True),
        host=host,
        port=port,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=20,
        # No `server: uvicorn` header; WebSocket frames over the body limit are refused by
        # the protocol before they are buffered (the app checks messages again itself).
        server_header=False,
        ws_max_size=settings.graphql_max_body_bytes,
        ws_per_message_deflate=settings.ws_per_message_deflate,
    )


async def _noop() -> None:
    return None


def cmd_migrate(args: argparse.Namespace) -> None:
    from core.services import roles
    from orm.migrate import apply_migrations

    settings = load_settings()
    configure_logging(settings)
    try:
        applied = asyncio.run(apply_migrations(settings.migrations_url))
    except Exception as error:
        raise StartupError(f"migration failed: {_reason(error)}") from None
    from core.services import billing

    async def sync_catalogues() -> None:
        await roles.sync_builtin_roles()
        await billing.sync_plans(settings=settings)

    try:
        asyncio.run(_with_database(settings, sync_catalogues))
    except (KeyError, ValueError, TypeError) as error:
        raise StartupError(f"BILLING_PLANS is not valid: {_reason(error)}") from None
    print(f"migrations applied: {', '.join(applied) if applied else 'none (up to date)'}")


def cmd_seed_demo(args: argparse.Namespace) -> None:
    from core.services import demo

    settings = load_settings()
    configure_logging(settings)
    if settings.is_production and not args.force:
        raise StartupError("seed-demo refuses to run with ENVIRONMENT=production (use --force)")
    password = args.password or secrets.token_urlsafe(12)
    result = asyncio.run(
        _with_database(settings, lambda: demo.seed(password=password, settings=settings))
    )
    print("demo organization ready:")
    print(f"  organization: {result.organization_name} (slug {result.organization_slug})")
    print(f"  admin email:  {result.email}")
    print(f"  password:     {password}")


def cmd_create_admin(args: argparse.Namespace) -> None:
    from core.services import platform_admins

    settings = load_settings()
    configure_logging(settings)
    password = args.password or (None if args.existing_only else secrets.token_urlsafe(16))

    async def work() -> Any:
        return await platform_admins.grant(
            email=args.email,
            full_name=args.full_name,
            password=password,
            existing_only=args.existing_only,
        )

    try:
        outcome = asyncio.run(_with_database(settings, work))
    except LookupError as error:
        raise StartupError(str(error)) from None
    except ValueError as error:
        raise StartupError(f"create-admin: {error}") from None
    if outcome.created:
        print(f"platform admin created: {outcome.email}\n  password: {password}")
    else:
        print(f"platform admin granted to existing user: {outcome.email}")


def cmd_users(args: argparse.Namespace) -> None:
    from core.events import build_bus
    from core.services import account_status

    settings = load_settings()
    configure_logging(settings)

    async def work() -> Any:
        if args.users_command == "reactivate":
            return await account_status.reactivate(email=args.email)
        # On REDIS_URL's bus every API replica hears it and closes the person's sockets at
        # once; without Redis no server hears this process, and sockets find out at their
        # next operation or SUBSCRIPTION_ACCESS_RECHECK_SECONDS.
        bus = build_bus(settings)
        try:
            return await account_status.deactivate(email=args.email, bus=bus)
        finally:
            await bus.close()

    try:
        user = asyncio.run(_with_database(settings, work))
    except LookupError as error:
        raise StartupError(str(error)) from None
    print(f"user {args.users_command}d: {user.email}")


def cmd_tools_sync(args: argparse.Namespace) -> None:
    # The tools are classes of the worker's code: describing them needs its stack.
    from worker.tools.registry import ToolDefinitionError
    from worker.tools.sync import sync_code_tools

    settings = load_settings()
    configure_logging(settings)
    try:
        report = asyncio.run(_with_database(settings, sync_code_tools))
    except ToolDefinitionError as error:
        raise StartupError(f"tools sync: {error}") from None
    print(
        "tools synced: "
        + "; ".join(
            f"{label} {', '.join(names) or '-'}"
            for label, names in (
                ("created", report.created),
                ("updated", report.updated),
                ("unchanged", report.unchanged),
                ("retired", report.retired),
            )
        )
    )


def cmd_keys_rotate(args: argparse.Namespace) -> None:
    from core.services.key_rotation import rotate

    settings = load_settings()
    configure_logging(settings)
    report = asyncio.run(_with_database(settings, lambda: rotate(settings=settings)))
    print(
        f"keys rotated: {report.resealed} re-sealed, {report.already_current} already current, "
        f"{report.unreadable} unreadable"
    )
    if report.unreadable:
        raise StartupError(
            f"{report.unreadable} sealed values do not decrypt with ENCRYPTION_KEYS; "
            "keep the old key listed until they are replaced"
        )


def cmd_oauth_revoke_pending(args: argparse.Namespace) -> None:
    from core.tools.revocations import revoke_pending

    settings = load_settings()
    configure_logging(settings)
    handled = asyncio.run(_with_database(settings, lambda: revoke_pending(settings=settings)))
    print(f"grants handled: {handled}")


def cmd_analysis_run(args: argparse.Namespace) -> None:
    from core.analysis import gemini
    from core.analysis.runner import AnalysisRunner
    from core.events import build_bus

    settings = load_settings()
    configure_logging(settings)
    if not gemini.available(settings):
        raise StartupError("analysis: set GOOGLE_API_KEY (the runner asks Gemini)")

    async def work() -> int:
        bus = build_bus(settings)
        runner = AnalysisRunner(settings=settings, bus=bus)
        stop = asyncio.Event()
        # SIGTERM (a deploy) ends the loop between passes; an analysis under way finishes.
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        try:
            if args.once:
                return await runner.run_pass()
            await runner.run_forever(stop)
            return 0
        finally:
            await runner.aclose()
            await bus.close()

    attempted = asyncio.run(_with_database(settings, work))
    if args.once:
        print(f"analyses attempted: {attempted}")


def cmd_webhooks_dispatch(args: argparse.Namespace) -> None:
    import contextlib

    from core.partner_webhooks.dispatcher import Dispatcher

    settings = load_settings()
    configure_logging(settings)

    async def work() -> int:
        dispatcher = Dispatcher(settings)
        try:
            if args.once:
                started = await dispatcher.dispatch_due()
                await dispatcher.idle()
                return started
            running = asyncio.create_task(dispatcher.run())
            # SIGTERM (a deploy) stops it; a send under way is given back and goes again.
            for stop_signal in (signal.SIGTERM, signal.SIGINT):
                asyncio.get_running_loop().add_signal_handler(stop_signal, running.cancel)
            with contextlib.suppress(asyncio.CancelledError):
                await running
            return 0
        finally:
            await dispatcher.aclose()

    attempted = asyncio.run(_with_database(settings, work))
    if args.once:
        print(f"deliveries attempted: {attempted}")


def cmd_livekit_setup(args: argparse.Namespace) -> None:
    from core.integrations.livekit_sip_setup import SetupError, apply

    settings = load_settings()
    configure_logging(settings)
    try:
        steps = asyncio.run(apply(settings))
    except SetupError as error:
        raise StartupError(f"livekit setup: {error}") from None
    for step in steps:
        print(step.line())


def cmd_worker(args: argparse.Namespace) -> None:
    settings = load_settings()
    configure_logging(settings)
    missing = [
        name
        for name, value in (
            ("LIVEKIT_URL", settings.livekit_url),
            ("LIVEKIT_API_KEY", settings.livekit_api_key),
            ("LIVEKIT_API_SECRET", settings.livekit_api_secret),
        )
        if not value
    ]
    if missing and args.mode != "console":
        raise StartupError(f"worker: set {', '.join(missing)}")
    if settings.google_api_key is None and args.mode != "console":
        raise StartupError("worker: set GOOGLE_API_KEY (the Gemini realtime model needs it)")
    from worker.main import WorkerStartError, run

    try:
        status = run(
            mode=args.mode,
            connect_addr=args.connect_addr,
            settings=settings,
            with_database=lambda work: _with_database(settings, work),
        )
    except WorkerStartError as error:
        raise StartupError(str(error)) from None
    raise SystemExit(status)


def cmd_export_schema(args: argparse.Namespace) -> None:
    from graphql_api.schema import schema_sdl

    sdl = schema_sdl()
    if args.output:
        Path(args.output).write_text(sdl)
    else:
        sys.stdout.write(sdl)


def cmd_permissions_doc(args: argparse.Namespace) -> None:
    from graphql_api.permissions_doc import render

    text = render()
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)


# --- parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voiceagents",
        description="Voice agent platform: API server, migrations and administration. "
        "Configuration comes from environment variables (see the README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve the GraphQL API, webhooks and health checks",
        description="Serve the API: /graphql (HTTP and graphql-transport-ws), /healthz, /readyz. "
        "Checks the database and Redis first and exits with one line if either is unreachable.",
    )
    serve.add_argument("--host", help="interface to bind (default: HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT, 8000)")
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser(
        "migrate",
        help="apply database migrations (PostgreSQL or SQLite set, from DATABASE_URL)",
        description="Apply every pending migration of the set matching DATABASE_URL "
        "(orm/migrations/postgres or orm/migrations/sqlite), then sync the built-in roles and "
        "the plans of BILLING_PLANS. Safe to run repeatedly.",
    )
    migrate.set_defaults(handler=cmd_migrate)

    seed = commands.add_parser(
        "seed-demo",
        help="create the demo organization and print its admin's credentials",
        description="Create (or refresh) the demo organization, its admin and a demo agent. "
        "The admin's password is set anew on every run and printed.",
    )
    seed.add_argument("--password", help="use this password instead of a random one")
    seed.add_argument("--force", action="store_true", help="allow in production")
    seed.set_defaults(handler=cmd_seed_demo)

    admin = commands.add_parser(
        "create-admin",
        help="create a platform admin, or make an existing user one",
        description="Grant platform admin to the user with this email. A new user is created "
        "with a random password, printed once, unless --password is given.",
    )
    admin.add_argument("--email", required=True, help="the admin's email address")
    admin.add_argument("--full-name", default="Platform Admin", help="name for a new user")
    admin.add_argument("--password", help="password for a new user (default: random, printed)")
    admin.add_argument(
        "--existing-only", action="store_true", help="fail instead of creating a new user"
    )
    admin.set_defaults(handler=cmd_create_admin)

    users = commands.add_parser("users", help="deactivate or reactivate a person")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    deactivate = user_commands.add_parser(
        "deactivate",
        help="refuse a person's sign-ins, end their sessions and close their sockets",
        description="Mark the user inactive, revoke every session and tell every API replica "
        "(over REDIS_URL's bus) to close the user's WebSockets at once.",
    )
    reactivate = user_commands.add_parser(
        "reactivate",
        help="let a deactivated person sign in again",
        description="Mark the user active again; the sessions ended by deactivation stay ended.",
    )
    for action in (deactivate, reactivate):
        action.add_argument("--email", required=True, help="the person's email address")
        action.set_defaults(handler=cmd_users)

    tools = commands.add_parser("tools", help="the tool registry (see docs/tools.md)")
    tool_commands = tools.add_subparsers(dest="tools_command", required=True, metavar="ACTION")
    sync = tool_commands.add_parser(
        "sync",
        help="upsert the code's tools into platform_tools",
        description="Discover every tool class in worker/tools/implementations, extract its "
        "function schemas and upsert platform_tools; a tool no longer in code becomes "
        "unavailable. Idempotent; run on deploy and at worker start.",
    )
    sync.set_defaults(handler=cmd_tools_sync)

    keys = commands.add_parser("keys", help="encryption keys of sealed secrets")
    key_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    rotate = key_commands.add_parser(
        "rotate",
        help="re-seal every secret with the first key of ENCRYPTION_KEYS",
        description="Put the new key first in ENCRYPTION_KEYS (keep the old one after it), run "
        "this, then remove the old key. Values changed meanwhile are left for the next run.",
    )
    rotate.set_defaults(handler=cmd_keys_rotate)

    oauth_parser = commands.add_parser("oauth", help="OAuth grants of connected tools")
    oauth_commands = oauth_parser.add_subparsers(
        dest="oauth_command", required=True, metavar="ACTION"
    )
    revoke = oauth_commands.add_parser(
        "revoke-pending",
        help="revoke grants of disconnected or removed tools at the provider",
        description="The worker does this continuously; this runs one pass by hand.",
    )
    revoke.set_defaults(handler=cmd_oauth_revoke_pending)

    _add_runner(
        commands,
        ("analysis", "post-call analysis (docs/calls.md)"),
        ("run", "analyse ended calls with Gemini, continuously"),
        description="Claim due post-call analyses, ask ANALYSIS_MODEL and store the results. "
        "Every worker process does this too; run this for a dedicated analysis process. "
        "Needs GOOGLE_API_KEY.",
        handler=cmd_analysis_run,
    )
    _add_runner(
        commands,
        ("webhooks", "partner webhooks (docs/webhooks.md)"),
        ("dispatch", "send due partner webhook deliveries, continuously"),
        description="Claim due deliveries and send them, signed, with retries. Every API "
        "process does this too; run this for dedicated dispatch replicas (any number side by "
        "side).",
        handler=cmd_webhooks_dispatch,
    )

    livekit_parser = commands.add_parser("livekit", help="the LiveKit project's SIP set-up")
    livekit_commands = livekit_parser.add_subparsers(
        dest="livekit_command", required=True, metavar="ACTION"
    )
    livekit_setup = livekit_commands.add_parser(
        "setup",
        help="create or update the inbound trunk, the dispatch rule and the outbound trunk",
        description="Make the LiveKit project's SIP objects match the settings (see "
        "docs/calls.md): the inbound trunk Twilio calls into (no numbers), the callee dispatch "
        "rule, and the outbound trunk to Twilio. Safe to run again: it prints for each object "
        "whether it was created, updated or unchanged.",
    )
    livekit_setup.set_defaults(handler=cmd_livekit_setup)

    worker_parser = commands.add_parser(
        "worker",
        help="run the LiveKit agent worker (start, dev or console)",
        description="Sync the tools, then run the LiveKit worker that answers calls: `start` "
        "for production, `dev` for development (verbose, no load limit), `console` to talk to "
        "an agent from a terminal through `lk agent console`.",
    )
    worker_parser.add_argument("mode", choices=["start", "dev", "console"])
    worker_parser.add_argument("--connect-addr", help="console only: the address lk gives")
    worker_parser.set_defaults(handler=cmd_worker)

    export = commands.add_parser(
        "export-schema",
        help="print the public GraphQL schema (SDL)",
        description="Write the GraphQL schema as SDL, as committed in schema.graphql.",
    )
    export.add_argument("--output", help="write to this file instead of stdout")
    export.set_defaults(handler=cmd_export_schema)

    perms = commands.add_parser(
        "permissions-doc",
        help="print docs/permissions.md from core.rbac",
        description="Render the role x permission matrix and the field permissions.",
    )
    perms.add_argument("--output", help="write to this file instead of stdout")
    perms.set_defaults(handler=cmd_permissions_doc)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except StartupError as error:
        print(f"voiceagents: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


def _add_runner(
    commands: Any,
    group: tuple[str, str],
    action: tuple[str, str],
    *,
    description: str,
    handler: Callable[..., Any],
) -> None:
    """`voiceagents <group> <action> [--once]`: a loop a worker or API process also runs,
    started on its own for dedicated replicas."""
    (group_name, group_help), (action_name, action_help) = group, action
    actions = commands.add_parser(group_name, help=group_help).add_subparsers(
        dest=f"{group_name}_command", required=True, metavar="ACTION"
    )
    runner = actions.add_parser(action_name, help=action_help, description=description)
    runner.add_argument("--once", action="store_true", help="one pass, then exit")
    runner.set_defaults(handler=handler)


if __name__ == "__main__":
    main()
