"""The shared world of the isolation suite, built once per module, and fresh targets.

Two organizations, A (the target) and B (the stranger). A has a user per built-in role, an
API key, an agent with a phone number, a Google Calendar agent tool, a custom function, a
call with an event of every type, a pending invitation, a membership, a credit ledger
entry, two phone numbers (one its agent answers, one spare) and a webhook endpoint with a
queued ping. B has an admin, an
org_admin API key, an agent, a custom function, a call and a phone number of its own.

Everything comes from the factories (and the members service for invitations); the fresh
targets are made for the mutations that use theirs up, so no case depends on another
case's leftovers.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from core.analysis.result import AnalysisResult, AnalysisStatus
from core.call_events import (
    Analyzed,
    CallDirection,
    CallEventPayload,
    CallField,
    CallStatus,
    Ended,
    Speaker,
    Started,
    StatusChanged,
    StatusSource,
    ToolInvoked,
    ToolOutcome,
    TranscriptSegment,
    Transfer,
    TransferBriefing,
    TransferMode,
    TransferOutcome,
    TransferStarted,
    Updated,
)
from core.events import EventBus
from core.partner_webhooks import outbox
from core.services import calls, members
from core.settings import Settings
from graphql_api.calls.events import OBJECT_TYPES as CALL_EVENT_OBJECT_TYPES
from orm.models import CreditLedgerEntry, Plan, PlatformTool, Role
from tests.support.factories import Account, Factories, Tenant, unique_email
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id

# Who calls. Organization A owns every target; B is the stranger.
ANONYMOUS = "anonymous"
B_ADMIN = "org_b_admin"
B_API_KEY = "org_b_api_key"
A_ORG_ADMIN = "org_a_org_admin"
A_MEMBER = "org_a_member"
A_BILLING = "org_a_billing"
A_MEMBER_API_KEY = "org_a_member_api_key"
PLATFORM_ADMIN = "platform_admin"
CALLERS = [
    ANONYMOUS,
    B_ADMIN,
    B_API_KEY,
    A_ORG_ADMIN,
    A_MEMBER,
    A_BILLING,
    A_MEMBER_API_KEY,
    PLATFORM_ADMIN,
]


@dataclass(frozen=True)
class Caller:
    name: str
    token: str | None
    # "anonymous", "stranger" (organization B), "insider" (organization A), "platform_admin"
    kind: str
    role: str | None = None  # the built-in role inside A, for insiders
    is_api_key: bool = False


@dataclass
class World:
    settings: Settings
    make: Factories
    gql: GraphQLClient
    bus: EventBus
    ws_url: str
    tenant_a: Tenant
    tenant_b: Tenant
    callers: dict[str, Caller]
    # Global ids of the targets.
    org_a: str
    org_b: str
    agent: str
    agent_tool: str
    custom_function: str
    call: str
    # GraphQL type name of each kind of call event -> the global id of one on `call`.
    call_events: dict[str, str]
    invitation: str
    membership: str
    ledger_entry: str
    api_key: str
    outsider_user: str  # a member of A who never calls
    b_agent: str
    b_custom_function: str
    b_call: str
    phone_number: str  # A's number its agent answers
    spare_phone_number: str  # A's number no agent answers
    b_phone_number: str
    platform_tool: str
    plan: str
    role: str
    webhook_endpoint: str
    webhook_delivery: str  # a ping queued for `webhook_endpoint`
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def admin_a(self) -> Account:
        return self.tenant_a.owner

    @property
    def org_a_uuid(self) -> uuid.UUID:
        return self.tenant_a.organization_uuid


async def build_world(make: Factories, gql: GraphQLClient, bus: EventBus, ws_url: str) -> World:
    tenant_a = await make.tenant("Isolation A")
    tenant_b = await make.tenant("Isolation B")
    member = await make.member(tenant_a, "member")
    billing = await make.member(tenant_a, "billing")
    outsider = await make.member(tenant_a, "member")
    platform_admin = await make.platform_admin()
    a_key = await make.api_key(tenant_a, "member", name="A member key")
    b_key = await make.api_key(tenant_b, "org_admin", name="B admin key")

    agent = await make.agent(
        tenant_a,
        phone_number=True,
        name="A front desk",
        system_prompt="You answer the phone for A.",
    )
    b_agent = await make.agent(tenant_b, name="B front desk", system_prompt="You answer for B.")
    agent_tool = await make.agent_tool(agent, "google_calendar")
    function = await make.custom_function(tenant_a, name="lookup_order")
    b_function = await make.custom_function(tenant_b, name="lookup_order")
    invitation = await _invitation(make, tenant_a)
    call = await make.call(tenant_a, agent)
    call_events = {}
    for payload in _timeline():
        event = await calls.record_event(call_id=call.id, payload=payload, bus=None)
        assert event is not None
        type_name = CALL_EVENT_OBJECT_TYPES[payload.event_type].__name__
        call_events.setdefault(type_name, global_id(type_name, event.id))
    b_call = await make.call(tenant_b, b_agent)
    spare_number = await make.phone_number(tenant_a)
    b_number = await make.phone_number(tenant_b)
    await make.grant_credits(tenant_a, 5000)
    ledger_entry = (
        await CreditLedgerEntry.filter(organization_id=tenant_a.organization_uuid)
        .order_by("-created_at")
        .first()
    )
    assert ledger_entry is not None
    plan = await Plan.filter(is_active=True).order_by("key").first()
    assert plan is not None, "no plan was synced"
    member_role = await Role.get(key="member")
    endpoint = (await make.webhook_endpoint(tenant_a)).endpoint
    ping = await outbox.enqueue_ping(endpoint)
    calendar = await PlatformTool.get(name="google_calendar")

    callers = {
        ANONYMOUS: Caller(ANONYMOUS, None, "anonymous"),
        B_ADMIN: Caller(B_ADMIN, tenant_b.token, "stranger"),
        B_API_KEY: Caller(B_API_KEY, b_key.key, "stranger", is_api_key=True),
        A_ORG_ADMIN: Caller(A_ORG_ADMIN, tenant_a.token, "insider", "org_admin"),
        A_MEMBER: Caller(A_MEMBER, member.token, "insider", "member"),
        A_BILLING: Caller(A_BILLING, billing.token, "insider", "billing"),
        A_MEMBER_API_KEY: Caller(A_MEMBER_API_KEY, a_key.key, "insider", "member", is_api_key=True),
        PLATFORM_ADMIN: Caller(PLATFORM_ADMIN, platform_admin.token, "platform_admin"),
    }
    assert list(callers) == CALLERS
    return World(
        settings=make.settings,
        make=make,
        gql=gql,
        bus=bus,
        ws_url=ws_url,
        tenant_a=tenant_a,
        tenant_b=tenant_b,
        callers=callers,
        org_a=tenant_a.organization_id,
        org_b=tenant_b.organization_id,
        agent=global_id("Agent", agent.id),
        agent_tool=global_id("AgentTool", agent_tool.id),
        custom_function=global_id("CustomFunction", function.id),
        call=global_id("Call", call.id),
        call_events=call_events,
        invitation=invitation,
        membership=member.membership_id,
        ledger_entry=global_id("CreditLedgerEntry", ledger_entry.id),
        api_key=a_key.id,
        outsider_user=outsider.user_id,
        b_agent=global_id("Agent", b_agent.id),
        b_custom_function=global_id("CustomFunction", b_function.id),
        b_call=global_id("Call", b_call.id),
        phone_number=global_id("PhoneNumber", agent.phone_number.id),
        spare_phone_number=global_id("PhoneNumber", spare_number.id),
        b_phone_number=global_id("PhoneNumber", b_number.id),
        platform_tool=global_id("PlatformTool", calendar.id),
        plan=global_id("Plan", plan.id),
        role=global_id("Role", member_role.id),
        webhook_endpoint=global_id("WebhookEndpoint", endpoint.id),
        webhook_delivery=global_id("WebhookDelivery", ping.id),
    )


def _timeline() -> list[CallEventPayload]:
    """A's call as events of every type, two transcript turns first (the streams' first)."""
    return [
        TranscriptSegment(speaker=Speaker.CALLER, text="Hello, A speaking."),
        TranscriptSegment(speaker=Speaker.CALLER, text="I would like to book a table."),
        ToolInvoked(
            function="lookup_order",
            arguments={"order": "A-1"},
            outcome=ToolOutcome.OK,
            latency_ms=5,
        ),
        TransferStarted(transfer_to="+14155550142", mode=TransferMode.WARM),
        TransferBriefing(transfer_to="+14155550142", summary="A wants a table for two."),
        Transfer(transfer_to="+14155550142", outcome=TransferOutcome.FAILED, reason="busy"),
        Started(
            direction=CallDirection.INBOUND,
            from_number="+14155550100",
            to_number="+14155550199",
            source=StatusSource.LIVEKIT,
        ),
        StatusChanged(
            status=CallStatus.COMPLETED,
            previous_status=CallStatus.RINGING,
            source=StatusSource.TWILIO,
        ),
        Ended(status=CallStatus.COMPLETED, reason="twilio_completed", duration_seconds=30),
        Updated(
            changed_fields=(CallField.DURATION_SECONDS,),
            source=StatusSource.TWILIO,
            duration_seconds=31,
            previous_duration_seconds=30,
        ),
        Analyzed(
            result=AnalysisResult(
                status=AnalysisStatus.COMPLETED,
                summary="A booked a table for two.",
                structured_data={"party_size": 2},
                model="gemini-2.5-flash",
                attempts=1,
            )
        ),
    ]


async def _invitation(make: Factories, tenant: Tenant) -> str:
    invitation = await members.invite(
        organization=tenant.organization,
        inviter=tenant.owner.user,
        email=unique_email("iso-invitee"),
        role_key="member",
        granted_by=await make.owner_access(tenant),
        settings=make.settings,
    )
    return global_id("Invitation", invitation.id)


# --- fresh targets in organization A, for the mutations that use theirs up ----------------------


async def fresh_agent(world: World) -> str:
    agent = await world.make.agent(world.tenant_a)
    return global_id("Agent", agent.id)


async def fresh_agent_tool(world: World) -> str:
    agent_tool = await world.make.agent_tool(await world.make.agent(world.tenant_a))
    return global_id("AgentTool", agent_tool.id)


async def fresh_phone_number(world: World) -> str:
    return global_id("PhoneNumber", (await world.make.phone_number(world.tenant_a)).id)


async def fresh_custom_function(world: World) -> str:
    function = await world.make.custom_function(world.tenant_a)
    return global_id("CustomFunction", function.id)


async def fresh_api_key(world: World) -> str:
    return (await world.make.api_key(world.tenant_a, "member", name="Fresh key")).id


async def fresh_invitation(world: World) -> str:
    return await _invitation(world.make, world.tenant_a)


async def fresh_membership(world: World) -> str:
    return (await world.make.member(world.tenant_a, "member")).membership_id


async def fresh_webhook_endpoint(world: World) -> str:
    # Every probe of a deleting mutation takes one: past the usual limit per organization.
    roomy = world.settings.model_copy(update={"webhook_max_endpoints_per_organization": 1000})
    endpoint = (await world.make.webhook_endpoint(world.tenant_a, settings=roomy)).endpoint
    return global_id("WebhookEndpoint", endpoint.id)


async def fresh_role(world: World) -> str:
    """A custom role nobody holds (roles are platform-wide; only platform admins change them)."""
    return global_id("Role", (await world.make.custom_role(["org:read"])).id)
