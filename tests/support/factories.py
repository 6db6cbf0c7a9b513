"""Factories: the rows a test stands on, built through `core.services` in microseconds.

A test that is about an operation sends that operation over HTTP or WebSocket; what it
needs around it (people, organizations, agents, keys, tools, calls) comes from here.
Unique values come from one sequence per process (and every module starts on an empty
database), so nothing ever collides and nothing is random.

Two shortcuts, both because the product has no service that does only that part:
- people get the Argon2id hash of `PASSWORD`, computed once by the product's own
  `hash_password` (one sign-up costs ~35 ms of Argon2; the suite makes thousands), and a
  session through `sessions.start`, as signing in would;
- members join without the invitation mail round trip (the invitation suites do that).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.access import OrgAccess, Principal, load_access
from core.call_events import CallEventType
from core.call_snapshot import CallSnapshot
from core.security.passwords import hash_password
from core.security.tokens import AccessTokenCodec
from core.services import (
    agent_tools,
    agents,
    api_keys,
    credits,
    custom_functions,
    organizations,
    phone_numbers,
    roles,
    sessions,
    webhook_endpoints,
)
from core.services.calls import CallStatus
from core.settings import Settings
from graphql_api import ids
from orm.models import (
    ApiKey,
    Call,
    CustomFunction,
    Membership,
    Organization,
    PhoneNumber,
    PlatformTool,
    Role,
    User,
    VoiceAgent,
)
from tests.fakes.twilio import FakeTwilio
from tests.support.secret_scan import SCANNER

PASSWORD = "correct horse battery staple"
CALLER_NUMBER = "+14155550100"

CALENDAR_CONFIG = {
    "calendar_id": "front-desk@example.com",
    "time_zone": "Europe/Berlin",
    "default_duration_minutes": 45,
    "business_hours": {"start": "08:30", "end": "18:00", "days": [1, 2, 3, 4, 5]},
}
ORDER_PARAMETERS = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string", "description": "The order number."},
        "verbose": {"type": "boolean"},
    },
    "required": ["order_id"],
}

_sequence = itertools.count(1)


def next_number() -> int:
    return next(_sequence)


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{next_number()}@example.com"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{next_number()}"


def unique_phone_number() -> str:
    """A valid US number of the 555 exchange, never the same twice in a module."""
    return f"+1628555{next_number() % 10_000:04d}"


def unique_address() -> str:
    """A client IP address no other test uses (sign-in throttling counts per address)."""
    n = next_number()
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@dataclass(frozen=True)
class Account:
    """A signed-in person: the user, and the tokens of one session."""

    user: User
    email: str
    token: str
    refresh_token: str
    session_id: uuid.UUID
    membership: Membership | None = None

    @property
    def uuid(self) -> uuid.UUID:
        return self.user.id

    @property
    def user_id(self) -> str:
        """The global id, as the API shows it."""
        return ids.encode("User", self.user.id)

    @property
    def membership_id(self) -> str:
        assert self.membership is not None, "not made by `member()`"
        return ids.encode("Membership", self.membership.id)


@dataclass(frozen=True)
class Tenant:
    """An organization and the org_admin who created it."""

    owner: Account
    organization: Organization

    @property
    def token(self) -> str:
        return self.owner.token

    @property
    def organization_uuid(self) -> uuid.UUID:
        return self.organization.id

    @property
    def organization_id(self) -> str:
        return ids.encode("Organization", self.organization.id)


@dataclass(frozen=True)
class MadeApiKey:
    row: ApiKey
    key: str

    @property
    def id(self) -> str:
        return ids.encode("ApiKey", self.row.id)


def _plant(secrets: dict[str, Any] | None, label: str) -> None:
    """Secrets that do not come in over GraphQL must be told to the scan too."""
    for value in (secrets or {}).values():
        if isinstance(value, dict):
            _plant(value, label)
        else:
            SCANNER.plant(value, label, anywhere=True)


class Factories:
    """Bound to the suite's settings (tokens, credits and plans depend on them) and to the
    fake Twilio those settings name (numbers are bought there)."""

    def __init__(self, settings: Settings, twilio: FakeTwilio) -> None:
        self.settings = settings
        self.twilio = twilio
        self.codec = AccessTokenCodec(settings)
        self._password_hash: str | None = None

    # --- people -------------------------------------------------------------------------

    async def account(
        self,
        *,
        name: str = "Test User",
        email: str | None = None,
        verified: bool = False,
        platform_admin: bool = False,
        is_active: bool = True,
    ) -> Account:
        """A user whose password is PASSWORD, signed in once."""
        if self._password_hash is None:
            self._password_hash = await hash_password(PASSWORD)
        user = await User.create(
            email=(email or unique_email()).lower(),
            password_hash=self._password_hash,
            full_name=name,
            email_verified_at=datetime.now(UTC) if verified else None,
            is_platform_admin=platform_admin,
            is_active=is_active,
        )
        return await self.session(user)

    async def session(self, user: User) -> Account:
        """Another signed-in session of this user."""
        issued = await sessions.start(user=user, codec=self.codec, settings=self.settings)
        return Account(
            user, user.email, issued.access_token, issued.refresh_token, issued.session_id
        )

    async def platform_admin(self) -> Account:
        return await self.account(name="Platform Admin", platform_admin=True)

    # --- organizations --------------------------------------------------------------------

    async def tenant(
        self, name: str = "Acme", *, owner: Account | None = None, balance: int | None = None
    ) -> Tenant:
        """An organization (with the welcome credits) and its org_admin, by default someone
        whose email is verified (the credits wait for that); `balance` resets the credits to
        exactly that, through the ledger."""
        owner = owner or await self.account(name=f"{name} Owner", verified=True)
        organization = await organizations.create(
            creator=owner.user, name=name, settings=self.settings
        )
        tenant = Tenant(owner, organization)
        if balance is not None:
            await self.grant_credits(tenant, balance - await credits.balance_of(organization.id))
        else:
            await organization.refresh_from_db()
        return tenant

    async def member(self, tenant: Tenant, role: str = "member", **account: Any) -> Account:
        """A new person in the organization with this role (a built-in or custom role key)."""
        person = await self.account(
            name=account.pop("name", f"{role} of {tenant.organization.name}"), **account
        )
        return await self.join(tenant, person, role)

    async def join(self, tenant: Tenant, person: Account, role: str = "member") -> Account:
        membership = await Membership.create(
            user=person.user,
            organization=tenant.organization,
            role=await roles.get_assignable(key=role),
        )
        return Account(
            person.user,
            person.email,
            person.token,
            person.refresh_token,
            person.session_id,
            membership,
        )

    async def custom_role(self, permissions: list[str], *, key: str | None = None) -> Role:
        return await roles.create(
            key=key or unique_name("custom"),
            name="Custom",
            description="A role made by a test.",
            permissions=permissions,
        )

    async def api_key(
        self, tenant: Tenant, role: str = "member", *, name: str = "Server key"
    ) -> MadeApiKey:
        row, plain = await api_keys.create(
            organization=tenant.organization,
            name=name,
            role_key=role,
            created_by=None,
            granted_by=await self.owner_access(tenant),
        )
        return MadeApiKey(row, plain)

    async def owner_access(self, tenant: Tenant) -> OrgAccess:
        """The owner's (org_admin) access: what a grant made in their name is checked against."""
        access = await load_access(Principal(user=tenant.owner.user), [tenant.organization_uuid])
        return access[tenant.organization_uuid]

    async def grant_credits(self, tenant: Tenant, amount: int) -> None:
        if amount:
            await credits.apply(
                organization_id=tenant.organization_uuid,
                amount=amount,
                kind=credits.CreditKind.GRANT if amount > 0 else credits.CreditKind.ADJUSTMENT,
                reason="Test credits",
                reference=f"test:{next_number()}",
                settings=self.settings,
            )
        await tenant.organization.refresh_from_db()

    # --- agents and tools -----------------------------------------------------------------

    async def phone_number(self, tenant: Tenant, e164: str | None = None) -> PhoneNumber:
        """A number the organization bought (put up for sale at the fake Twilio first), its
        calls pointed at the API's webhooks."""
        number = e164 or unique_phone_number()
        self.twilio.stock(number)
        return await phone_numbers.buy(
            organization=tenant.organization,
            purchase=phone_numbers.NumberPurchase(phone_number=number),
            settings=self.settings,
        )

    async def agent(
        self, tenant: Tenant, *, phone_number: bool | str = False, **values: Any
    ) -> VoiceAgent:
        """An agent (snake_case fields). `phone_number=True` buys the organization a fresh
        number and assigns it, `phone_number="+1..."` that number; the agent comes with its
        number loaded (`agent.phone_number.e164`), or None."""
        if phone_number:
            number = await self.phone_number(
                tenant, phone_number if isinstance(phone_number, str) else None
            )
            values["phone_number_id"] = number.id
        values = {"name": "Front desk", "system_prompt": "You answer the phone.", **values}
        agent = await agents.create(
            organization=tenant.organization,
            fields=agents.AgentCreate(**values),
            settings=self.settings,
        )
        await agent.fetch_related("phone_number")
        return agent

    async def agent_tool(
        self,
        agent: VoiceAgent,
        tool: str = "google_calendar",
        *,
        config: dict[str, Any] | None = None,
        secret_config: dict[str, Any] | None = None,
        enabled: bool = True,
        disabled_functions: list[str] | None = None,
    ):  # type: ignore[no-untyped-def]
        platform_tool = await PlatformTool.get(name=tool)
        _plant(secret_config, "tool secret made by a factory")
        return await agent_tools.configure(
            agent=agent,
            setup=agent_tools.AgentToolSetup(
                tool_id=platform_tool.id,
                config=CALENDAR_CONFIG if config is None else config,
                enabled=enabled,
                disabled_functions=disabled_functions or [],
                secret_config=secret_config,
            ),
            settings=self.settings,
        )

    async def custom_function(
        self, tenant: Tenant, *, settings: Settings | None = None, **values: Any
    ) -> CustomFunction:
        """A custom function of the organization; `settings` are those its definition is
        checked under (the suite's unless told, so HTTP_TOOL_ALLOWED_NETWORKS is empty)."""
        values = {
            "name": unique_name("lookup_order"),
            "description": "Look up an order by its number.",
            "parameters": ORDER_PARAMETERS,
            "method": "GET",
            "url_template": "https://api.example.com/orders/{order_id}",
            "headers": {},
            **values,
        }
        _plant(values.get("secret_headers"), "secret header made by a factory")
        return await custom_functions.create(
            organization_id=tenant.organization_uuid,
            definition=custom_functions.CustomFunctionCreate(**values),
            settings=settings or self.settings,
        )

    async def webhook_endpoint(
        self,
        tenant: Tenant,
        *,
        url: str = "https://hooks.example.com/voice",
        event_types: list[CallEventType] | None = None,
        settings: Settings | None = None,
        **values: Any,
    ) -> webhook_endpoints.IssuedSecret:
        """A webhook endpoint of the organization (every event type unless told) and its
        signing secret, which the scan then expects in no response; `settings` are those
        its URL is checked under (the suite's, development, unless told)."""
        issued = await webhook_endpoints.create(
            organization=tenant.organization,
            endpoint=webhook_endpoints.EndpointCreate(
                url=url, event_types=event_types or list(CallEventType), **values
            ),
            settings=settings or self.settings,
        )
        SCANNER.plant(
            issued.signing_secret, "webhook signing secret made by a factory", anywhere=True
        )
        return issued

    # --- calls ------------------------------------------------------------------------------

    async def call(
        self,
        tenant: Tenant,
        agent: VoiceAgent | None = None,
        *,
        status: CallStatus = CallStatus.RINGING,
        answered_seconds_ago: float | None = None,
        direction: str = "inbound",
        snapshot: dict[str, Any] | None = None,
        **fields: Any,
    ) -> Call:
        """A call of the organization, as the webhook would have opened it (the agent's
        snapshot taken now); `answered_seconds_ago` puts it in progress since then."""
        if agent is None:
            agent = await VoiceAgent.filter(organization_id=tenant.organization_uuid).first()
            if agent is None:
                agent = await self.agent(tenant)
        if answered_seconds_ago is not None:
            fields.setdefault(
                "answered_at", datetime.now(UTC) - timedelta(seconds=answered_seconds_ago)
            )
            if status is CallStatus.RINGING:
                status = CallStatus.IN_PROGRESS
        return await Call.create(
            id=uuid.uuid4(),
            organization_id=tenant.organization_uuid,
            agent=agent,
            direction=direction,
            from_number=CALLER_NUMBER,
            to_number=await phone_numbers.e164_of(agent) or "+14155550199",
            status=status.value,
            snapshot=(
                (await CallSnapshot.of_agent(agent)).as_stored() if snapshot is None else snapshot
            ),
            **fields,
        )
