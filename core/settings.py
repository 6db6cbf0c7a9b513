"""One Settings object, read from the environment (and an optional `.env`).

Every variable is documented in the README's "Production configuration"
table; `tests/test_settings.py` fails when a field is missing there.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Plans offered when BILLING_PLANS is not set: a development catalogue without Stripe prices.
DEFAULT_PLANS: tuple[dict[str, Any], ...] = (
    {
        "key": "starter",
        "name": "Starter",
        "monthly_price_cents": 4900,
        "currency": "usd",
        "credits_per_period": 3000,
        "credits_per_minute": 10,
        "billing_increment": "minute",
        "stripe_price_id": None,
    },
    {
        "key": "growth",
        "name": "Growth",
        "monthly_price_cents": 19900,
        "currency": "usd",
        "credits_per_period": 15000,
        "credits_per_minute": 8,
        "billing_increment": "second",
        "stripe_price_id": None,
    },
)

# Development defaults. Production refuses to start with any of them.
DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-in-production-0000"
DEV_ENCRYPTION_KEYS = "dev:ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzJieXRlcyE="
MIN_SECRET_LENGTH = 32


DEFAULT_CORS_ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "traceparent",
    "tracestate",
    "baggage",
    "sentry-trace",
    "apollographql-client-name",
    "apollographql-client-version",
    "x-request-id",
)


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    environment: Literal["development", "production"] = "development"
    log_level: str = "INFO"

    # Storage and bus.
    database_url: str = "sqlite://./var/voiceagents.sqlite3"
    # PostgreSQL: what `voiceagents migrate` connects as, the tables' owner; DATABASE_URL is
    # then the application role's login, under row-level security (docs/operations.md).
    # Unset: migrations use DATABASE_URL.
    migration_database_url: str | None = None
    redis_url: str | None = None

    # HTTP serving.
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = "http://localhost:8000"
    dashboard_url: str = "http://localhost:3000"
    forwarded_allow_ips: str = "127.0.0.1"
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Request headers a browser may send cross-origin: what real frontends send (tracing,
    # Sentry, Apollo's client identification, a request id) besides the credential.
    cors_allowed_headers: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_CORS_ALLOWED_HEADERS)
    )
    ws_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    graphiql_enabled: bool | None = None
    introspection_enabled: bool | None = None

    # Tokens. JWT_PRIVATE_KEY (PEM, EC P-256) switches access tokens to ES256;
    # otherwise they are HS256 with JWT_SECRET.
    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_private_key: SecretStr | None = None
    jwt_issuer: str = "voiceagents"
    jwt_audience: str = "voiceagents-api"
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=3600)
    email_token_ttl_seconds: int = Field(default=24 * 3600, ge=300)
    password_reset_ttl_seconds: int = Field(default=3600, ge=300)
    invitation_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=3600)

    # Secrets at rest: "kid:base64key[,kid:base64key...]"; the first key encrypts.
    encryption_keys: SecretStr = SecretStr(DEV_ENCRYPTION_KEYS)

    # Sign-in throttling (core/services/sign_in_throttle.py). Attempts count before the
    # password is checked. Per email and address, and per address, over SIGN_IN_WINDOW_SECONDS;
    # per email from any address, slower, over SIGN_IN_EMAIL_WINDOW_SECONDS, and not applied
    # at an address the account signed in from within SIGN_IN_KNOWN_ADDRESS_DAYS.
    sign_in_window_seconds: int = Field(default=900, ge=1)
    sign_in_max_failures_per_email_and_address: int = Field(default=5, ge=1)
    sign_in_max_failures_per_address: int = Field(default=50, ge=1)
    sign_in_email_window_seconds: int = Field(default=3600, ge=1)
    sign_in_max_failures_per_email: int = Field(default=20, ge=1)
    sign_in_known_address_days: int = Field(default=30, ge=0)

    # Account abuse. Mail a stranger can cause (password reset, email verification, sign-up
    # notice, invitation): at most MAIL_MAX_PER_RECIPIENT of each kind per recipient within
    # MAIL_RECIPIENT_WINDOW_SECONDS. An account whose email is not verified may create
    # UNVERIFIED_MAX_ORGANIZATIONS organizations, without welcome credits until it verifies.
    # The same refresh token presented again within REFRESH_TOKEN_REUSE_GRACE_SECONDS (two
    # tabs, a retried request) gets the same new pair instead of revoking its session.
    mail_max_per_recipient: int = Field(default=5, ge=1)
    mail_recipient_window_seconds: int = Field(default=3600, ge=60)
    unverified_max_organizations: int = Field(default=1, ge=0)
    refresh_token_reuse_grace_seconds: int = Field(default=10, ge=0, le=60)

    # GraphQL limits.
    max_query_depth: int = Field(default=12, ge=2)
    max_query_aliases: int = Field(default=30, ge=1)
    max_query_tokens: int = Field(default=2000, ge=100)
    max_query_fields: int = Field(default=500, ge=10)
    max_query_directives: int = Field(default=30, ge=1)
    max_subscriptions_per_connection: int = Field(default=10, ge=1)

    # Request sizes, checked before anything parses the bytes: a /graphql body (also the
    # largest WebSocket message), a GraphQL document, and the items of any list argument.
    graphql_max_body_bytes: int = Field(default=256 * 1024, ge=4096)
    max_query_bytes: int = Field(default=32 * 1024, ge=1024)
    max_input_list_items: int = Field(default=100, ge=1)

    # Live call streams. A subscription reads call_events on this interval as well as
    # listening on the bus: the in-process bus cannot see events another process (the
    # worker) wrote; on Redis it is only a safety net.
    in_process_bus_poll_seconds: float = Field(default=2.0, gt=0)
    redis_bus_poll_seconds: float = Field(default=15.0, gt=0)
    # How often a live stream checks that its subscriber may still read what it streams.
    subscription_access_recheck_seconds: float = Field(default=10.0, gt=0)
    # Each event's result computed once per distinct subscription selection and permission
    # scope, and the same bytes sent to all its subscribers (graphql_api/fanout). Off: every
    # subscriber's selection is executed for it alone (the same bytes, at a cost per
    # subscriber).
    subscription_shared_results: bool = True

    # WebSockets and their credentials (graphql_api/websocket.py). A revocation reaches the
    # sockets over the bus at once; SUBSCRIPTION_ACCESS_RECHECK_SECONDS is also how often
    # each process re-checks every socket's credential, as a safety net. A session or an API
    # key may hold at most this many sockets in one process.
    max_sockets_per_credential: int = Field(default=10, ge=1)
    # permessage-deflate on WebSockets, when a client offers it. Off by default: a live
    # event's frame is a few hundred bytes, and compressing it costs each socket ~45 KB of
    # zlib state and ~14% of the server's CPU per frame (docs/capacity.md).
    ws_per_message_deflate: bool = False

    # Mail.
    resend_api_key: SecretStr | None = None
    resend_api_url: str = "https://api.resend.com"
    email_from: str = "Voice Agents <no-reply@localhost>"
    email_send_interval_seconds: float = Field(default=2.0, gt=0)
    email_max_attempts: int = Field(default=8, ge=1)

    # Phone numbers written without a country code are read in this region.
    default_phone_region: str = "US"

    # Google (the Calendar tool): the OAuth client, and the endpoints (overridable for tests).
    google_client_id: str | None = None
    google_client_secret: SecretStr | None = None
    google_authorize_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_token_url: str = "https://oauth2.googleapis.com/token"
    google_revoke_url: str = "https://oauth2.googleapis.com/revoke"
    google_userinfo_url: str = "https://openidconnect.googleapis.com/v1/userinfo"
    google_calendar_api_url: str = "https://www.googleapis.com/calendar/v3"
    oauth_state_ttl_seconds: int = Field(default=600, ge=60, le=3600)
    # Where the OAuth callback sends the browser afterwards, on the dashboard.
    oauth_result_path: str = "/integrations/oauth-result"

    # Sign in with Google (docs/authentication.md): off while GOOGLE_SIGNIN_CLIENT_ID is unset.
    # The calendar tool's client may serve both: with the same client id and no sign-in
    # secret, GOOGLE_CLIENT_SECRET is used. The callback sends the browser back only to one
    # of GOOGLE_SIGNIN_ALLOWED_REDIRECT_URLS (exact match).
    google_signin_client_id: str | None = None
    google_signin_client_secret: SecretStr | None = None
    google_signin_allowed_redirect_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list
    )
    google_oidc_discovery_url: str = "https://accounts.google.com/.well-known/openid-configuration"

    # Tools at call time.
    tool_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # A tool still running after this delay has the agent say the filler phrase instead of
    # leaving the caller in silence; an empty phrase says nothing.
    tool_filler_phrase: str = "One moment, please."
    tool_filler_delay_seconds: float = Field(default=1.5, gt=0, le=60)
    # Custom HTTP functions may not reach private, loopback, link-local or metadata
    # addresses unless listed here (CIDRs or host names), e.g. for an on-premise API.
    http_tool_allowed_networks: Annotated[list[str], NoDecode] = Field(default_factory=list)
    http_tool_max_response_bytes: int = Field(default=16_384, ge=256, le=1_048_576)

    # Partner webhooks (docs/webhooks.md). Endpoints may not point at private, loopback,
    # link-local or metadata addresses unless listed here (CIDRs or host names), like
    # HTTP_TOOL_ALLOWED_NETWORKS; in development, http to a loopback host is allowed too.
    webhook_allowed_networks: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_max_endpoints_per_organization: int = Field(default=20, ge=1, le=1000)
    # The dispatcher (core/partner_webhooks/dispatcher.py) looks for due deliveries this
    # often (an event recorded in its own process wakes it at once), and waits this long for
    # an endpoint's answer: 2xx within it is success, anything else is retried.
    webhook_dispatch_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=30)

    # Billing (Stripe). Plans are seeded from BILLING_PLANS (a JSON list) on `migrate`.
    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str = "https://api.stripe.com"
    billing_plans: list[dict[str, Any]] = Field(default_factory=lambda: list(DEFAULT_PLANS))
    # Top-ups: the price of one credit, and the bounds of one purchase.
    credit_price_cents: int = Field(default=1, ge=1)
    credit_purchase_min: int = Field(default=500, ge=1)
    credit_purchase_max: int = Field(default=1_000_000, ge=1)
    # Trial credits every new organization starts with (a ledger grant), so it can try calls.
    welcome_credits: int = Field(default=300, ge=0)
    # Call rate when an organization has no plan.
    default_credits_per_minute: int = Field(default=10, ge=0)
    # A mail when the balance falls below this, and another when it reaches zero.
    low_balance_threshold: int = Field(default=100, ge=0)
    # How often the worker checks a running call's balance.
    credit_check_interval_seconds: float = Field(default=60.0, gt=0)

    # Calls: Twilio answers numbers and bridges them over SIP into LiveKit rooms. The account
    # (its SID and auth token) is the platform's: organizations buy and import numbers in it.
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_api_base: str = "https://api.twilio.com"
    livekit_url: str | None = None
    livekit_api_key: str | None = None
    livekit_api_secret: SecretStr | None = None
    # Host of the LiveKit SIP endpoint Twilio dials, e.g. `abc123.sip.livekit.cloud`.
    livekit_sip_host: str | None = None
    livekit_sip_username: str | None = None
    livekit_sip_password: SecretStr | None = None
    livekit_sip_outbound_trunk_id: str | None = None
    # What `voiceagents livekit setup` provisions besides the inbound trunk (credentials
    # above): the callers allowed without credentials (CIDRs, e.g. Twilio's signalling
    # ranges), and the outbound trunk to Twilio Elastic SIP Trunking (its termination host,
    # credential list, and the numbers LiveKit falls back to; calls present the agent's own).
    livekit_sip_allowed_addresses: Annotated[list[str], NoDecode] = Field(default_factory=list)
    livekit_sip_outbound_address: str | None = None
    livekit_sip_outbound_username: str | None = None
    livekit_sip_outbound_password: SecretStr | None = None
    livekit_sip_outbound_numbers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # The longest a call may last on the trunks (LiveKit hangs up past it): a backstop for
    # the agents' own limits (at most 4 hours).
    livekit_sip_max_call_duration_seconds: int = Field(default=4 * 3600 + 600, ge=60)
    # How long LiveKit keeps the rooms we create (CreateRoom `empty_timeout`: open while
    # nobody joined; `departure_timeout`: open after the last participant left, a grace to
    # rejoin: https://docs.livekit.io/intro/basics/rooms-participants-tracks/rooms/; 0 means
    # the server's own 300 s and 20 s). 60 s empty: the caller's line and the worker join a
    # call's room within seconds, so a room nobody joined in a minute (a bridge that never
    # came, an outgoing call no worker took) is dead and should not wait five minutes.
    # 10 s after the last left: a worker or caller whose connection dropped can come back,
    # and a finished call's room is gone soon after. A warm transfer's consultation room is
    # left for good once the briefed person hangs up or is moved (nobody rejoins it), so 5 s.
    livekit_room_empty_timeout_seconds: int = Field(default=60, ge=1, le=3600)
    livekit_room_departure_timeout_seconds: int = Field(default=10, ge=1, le=3600)
    livekit_consultation_room_departure_timeout_seconds: int = Field(default=5, ge=1, le=3600)
    # Outgoing calls: how long the callee's phone may ring before the call is `no_answer`,
    # and how long the agent waits for them to speak first before it greets.
    outbound_ringing_timeout_seconds: float = Field(default=30.0, gt=0, le=180)
    # An outgoing call still ringing OUTBOUND_RINGING_TIMEOUT_SECONDS plus this margin after
    # `callCreate` was taken by no worker (the job is dispatched, starts and dials within
    # seconds; LiveKit then ends an unanswered dial-out at the ringing timeout): it fails
    # `no_worker` and its room is deleted. 30 s: a loaded fleet or a worker starting up
    # takes its jobs late, and the rule must never cut short a dial-out that is ringing.
    # The API checks every OUTBOUND_NO_WORKER_CHECK_SECONDS.
    outbound_dispatch_margin_seconds: float = Field(default=30.0, gt=0, le=600)
    outbound_no_worker_check_seconds: float = Field(default=5.0, gt=0, le=60)
    outbound_greeting_silence_seconds: float = Field(default=3.0, ge=0, le=30)
    # Transfers to a person (worker/call_controls.py): how long their phone may ring, and
    # for a warm transfer how long the agent's briefing may take before the caller is taken
    # back. Warm transfers dial the person through the outbound trunk and move them into
    # the caller's room with MoveParticipant, which only LiveKit Cloud has.
    transfer_ringing_timeout_seconds: float = Field(default=30.0, gt=0, le=120)
    transfer_briefing_timeout_seconds: float = Field(default=90.0, gt=0, le=600)
    warm_transfer_enabled: bool = True
    # The worker's explicit agent name: LiveKit dispatches calls to it by this name only.
    livekit_agent_name: str = "voiceagents"
    gemini_model: str = "gemini-2.5-flash-native-audio-preview-12-2025"
    google_api_key: SecretStr | None = None
    # Gemini's context window compression (a sliding window) starts once a call's context
    # reaches this many tokens; without it an audio session ends at ~15 minutes. Unset:
    # Gemini's own threshold.
    gemini_context_compression_trigger_tokens: int | None = Field(default=None, ge=1000)
    # Post-call analysis (core/analysis; docs/calls.md, "Post-call analysis"). Whichever
    # process ends a call (API, webhooks, worker) queues its analysis when this is on and
    # the agent's plan is enabled; the runner (worker processes, `voiceagents analysis
    # run`) needs GOOGLE_API_KEY and asks ANALYSIS_MODEL through Gemini's text API.
    analysis_enabled: bool = True
    analysis_model: str = "gemini-2.5-flash"
    # Where google-genai sends analysis requests; unset: Google's own endpoint.
    analysis_api_base_url: str | None = None
    analysis_timeout_seconds: float = Field(default=60.0, gt=0, le=600)
    # Attempts before an analysis fails, the first retry's delay (each next one 4x), and
    # the wait after the end before the first: the worker writes the call's last lines of
    # transcript as its job shuts down, after the call has ended.
    analysis_max_attempts: int = Field(default=4, ge=1, le=20)
    analysis_retry_base_seconds: float = Field(default=30.0, gt=0)
    analysis_delay_seconds: float = Field(default=15.0, ge=0, le=600)
    analysis_poll_interval_seconds: float = Field(default=5.0, gt=0)
    # How many analyses one runner asks for at once.
    analysis_concurrency: int = Field(default=4, ge=1, le=64)
    # Credits charged per completed analysis (ledger reference `analysis:<call id>`); 0: free.
    analysis_credits_per_call: int = Field(default=0, ge=0)
    # Noise cancellation of the phone caller's audio on incoming calls (LiveKit's telephony
    # model, BVCTelephony): needs LiveKit Cloud and the `noise-cancellation` extra
    # (livekit-plugins-noise-cancellation); the worker refuses to start without the package.
    noise_cancellation_enabled: bool = False
    # How long a job's shutdown may take (LiveKit's shutdown_process_timeout: the job
    # process is killed after it); the call's record is finished first, then connections
    # are closed, within it.
    worker_shutdown_timeout_seconds: float = Field(default=10.0, ge=1, le=120)
    # The caller hears this when the number is unknown or calls cannot be taken.
    unavailable_message: str = (
        "Sorry, this number cannot take calls right now. Please try again later. Goodbye."
    )
    # When no worker answers the bridge into the call's room (Twilio's <Dial action>): what
    # the caller hears, and in which voice. Unset: a short apology in the agent's language
    # (English where none is built in), in Twilio's default voice.
    worker_unavailable_message: str | None = None
    worker_unavailable_voice: str | None = None
    # A participant leaving a call's room (LiveKit webhook) is decided this long after, so
    # that the worker, which saw it too and knows why, records first. The worker leaving a
    # call under way ends it `worker_lost` and hangs up the caller after this grace.
    livekit_departure_grace_seconds: float = Field(default=2.0, ge=0, le=4)
    # Worker traces (OTEL_*): livekit-agents' own spans carry the conversation and tool
    # arguments only when this is on; off, they keep timings and names.
    tracing_include_conversation: bool = False

    @field_validator(
        "cors_allowed_origins",
        "cors_allowed_headers",
        "ws_allowed_origins",
        "http_tool_allowed_networks",
        "webhook_allowed_networks",
        "google_signin_allowed_redirect_urls",
        "livekit_sip_allowed_addresses",
        "livekit_sip_outbound_numbers",
        mode="before",
    )
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator(
        "redis_url",
        "jwt_private_key",
        "resend_api_key",
        "google_client_id",
        "google_client_secret",
        "google_signin_client_id",
        "google_signin_client_secret",
        "stripe_secret_key",
        "stripe_webhook_secret",
        "twilio_account_sid",
        "twilio_auth_token",
        "livekit_url",
        "livekit_api_key",
        "livekit_api_secret",
        "livekit_sip_host",
        "livekit_sip_username",
        "livekit_sip_password",
        "livekit_sip_outbound_trunk_id",
        "livekit_sip_outbound_address",
        "livekit_sip_outbound_username",
        "livekit_sip_outbound_password",
        "google_api_key",
        "analysis_api_base_url",
        "worker_unavailable_message",
        "worker_unavailable_voice",
        "graphiql_enabled",
        "introspection_enabled",
        "migration_database_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `FOO=` in an .env file or compose's `${FOO:-}` mean "not configured".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _database_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(
            ("sqlite://", "postgres://", "postgresql://", "asyncpg://")
        ):
            raise ValueError("must start with sqlite://, postgres:// or postgresql://")
        return value

    @field_validator("encryption_keys")
    @classmethod
    def _encryption_keys_shape(cls, value: SecretStr) -> SecretStr:
        parse_encryption_keys(value.get_secret_value())
        return value

    @model_validator(mode="after")
    def _google_signin_client_complete(self) -> Settings:
        if self.google_signin_client_id and self.google_signin_credentials is None:
            raise ValueError(
                "GOOGLE_SIGNIN_CLIENT_ID needs GOOGLE_SIGNIN_CLIENT_SECRET (or the same client "
                "as GOOGLE_CLIENT_ID, with GOOGLE_CLIENT_SECRET)"
            )
        return self

    @property
    def google_signin_credentials(self) -> tuple[str, SecretStr] | None:
        """The sign-in client's id and secret; None: sign-in with Google is off."""
        client_id = self.google_signin_client_id
        if not client_id:
            return None
        secret = self.google_signin_client_secret
        if secret is None and client_id == self.google_client_id:
            secret = self.google_client_secret
        return None if secret is None else (client_id, secret)

    @model_validator(mode="after")
    def _production_secrets(self) -> Settings:
        if self.environment != "production":
            return self
        if self.jwt_private_key is None:
            secret = self.jwt_secret.get_secret_value()
            if secret == DEV_JWT_SECRET or len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"JWT_SECRET must be set to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters in production"
                )
        if self.encryption_keys.get_secret_value() == DEV_ENCRYPTION_KEYS:
            raise ValueError("ENCRYPTION_KEYS must be set to your own keys in production")
        return self

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def graphiql(self) -> bool:
        return (not self.is_production) if self.graphiql_enabled is None else self.graphiql_enabled

    @property
    def introspection(self) -> bool:
        if self.introspection_enabled is None:
            return not self.is_production
        return self.introspection_enabled

    @property
    def migrations_url(self) -> str:
        """The database URL migrations run with: the owner's when it is given."""
        return self.migration_database_url or self.database_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite://")


def parse_encryption_keys(raw: str) -> dict[str, bytes]:
    """Parse "kid:base64key,..." into an ordered {kid: key}; the first is the active key."""
    keys: dict[str, bytes] = {}
    for item in raw.split(","):
        kid, sep, encoded = item.strip().partition(":")
        if not sep or not kid:
            raise ValueError("ENCRYPTION_KEYS entries must look like kid:base64key")
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError) as error:
            raise ValueError(f"ENCRYPTION_KEYS key {kid!r} is not base64") from error
        if len(key) != 32:
            raise ValueError(f"ENCRYPTION_KEYS key {kid!r} must decode to 32 bytes")
        if kid in keys:
            raise ValueError(f"ENCRYPTION_KEYS key id {kid!r} appears twice")
        keys[kid] = key
    return keys


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
