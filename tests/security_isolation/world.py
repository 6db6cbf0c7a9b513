"""The shared world of the isolation suite, built once per module, and fresh targets.

Two organizations, A (the target) and B (the stranger). A has a user per built-in role, an
API key, an agent with a phone number, a Google Calendar agent tool, a custom function, a
call with events, a pending invitation, a membership and a credit ledger entry. B has an
admin, an org_admin API key, an agent, a custom function and a call of its own.

The API builds what it can (organizations, agents, tools, functions, keys, invitations);
the database gives what the API cannot (memberships without the mail round trip, a
platform admin, calls and their events) and the fresh targets that destructive mutations
use up, so no case depends on another case's leftovers.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from core.events import EventBus
from core.services import agent_tools, api_keys, calls, credits, custom_functions
from core.settings import Settings
from graphql_api import ids
from orm.models import (
    Call,
    Invitation,
    Membership,
    Organization,
    Plan,
    PlatformTool,
    Role,
    User,
    VoiceAgent,
)
from tests.conftest import (
    Account,
    GraphQLClient,
    create_organization,
    random_phone_number,
    sign_up,
    unique_email,
)

CALENDAR_CONFIG = {
    "calendar_id": "front-desk@example.com",
    "time_zone": "Europe/Berlin",
    "default_duration_minutes": 45,
    "business_hours": {"start": "08:30", "end": "18:00", "days": [1, 2, 3, 4, 5]},
}
ORDER_PARAMETERS = {
    "type": "object",
    "properties": {"order_id": {"type": "string", "description": "The order number."}},
    "required": ["order_id"],
}

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
    gql: GraphQLClient
    bus: EventBus
    callers: dict[str, Caller]
    admin_a: Account
    org_a: str
    org_b: str
    agent: str
    agent_tool: str
    custom_function: str
    call: str
    invitation: str
    membership: str
    ledger_entry: str
    api_key: str
    outsider_user: str  # a member of A who never calls
    b_agent: str
    b_custom_function: str
    b_call: str
    platform_tool: str
    plan: str
    role: str
    ws_url: str = ""
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def org_a_uuid(self) -> uuid.UUID:
        return uuid_of(self.org_a)


def uuid_of(global_id: str) -> uuid.UUID:
    decoded = ids.decode_any(global_id)
    assert decoded is not None, global_id
    return decoded[1]


def type_of(global_id: str) -> str:
    decoded = ids.decode_any(global_id)
    assert decoded is not None, global_id
    return decoded[0]


def fake_global_id(type_name: str) -> str:
    """A well-formed global id of an object that does not exist."""
    return ids.encode(type_name, uuid.uuid4())


API_KEY_CREATE = """
mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) { apiKey { id } key errors { code } }
}
"""
AGENT_CREATE = """
mutation AgentCreate($input: AgentCreateInput!) {
  agentCreate(input: $input) { agent { id } errors { code } }
}
"""
AGENT_TOOL_CONFIGURE = """
mutation AgentToolConfigure($input: AgentToolConfigureInput!) {
  agentToolConfigure(input: $input) { agentTool { id } errors { code } }
}
"""
CUSTOM_FUNCTION_CREATE = """
mutation CustomFunctionCreate($input: CustomFunctionCreateInput!) {
  customFunctionCreate(input: $input) { customFunction { id } errors { code } }
}
"""
MEMBER_INVITE = """
mutation MemberInvite($input: MemberInviteInput!) {
  memberInvite(input: $input) { invitation { id } errors { code } }
}
"""


async def _payload(gql: GraphQLClient, operation: str, variables: dict, token: str) -> dict:
    data = await gql.data(operation, {"input": variables}, token=token)
    (payload,) = data.values()
    assert payload["errors"] == [], payload
    return payload


async def build_world(gql: GraphQLClient, settings: Settings, bus: EventBus) -> World:
    admin_a, admin_b, member, billing, platform_admin = [
        await sign_up(gql, unique_email(prefix), name=prefix)
        for prefix in ("iso-a-admin", "iso-b-admin", "iso-a-member", "iso-a-billing", "iso-root")
    ]
    org_a = await create_organization(gql, admin_a, "Isolation A")
    org_b = await create_organization(gql, admin_b, "Isolation B")
    await User.filter(id=uuid_of(platform_admin.user_id)).update(is_platform_admin=True)
    member_membership = await _join(uuid_of(member.user_id), uuid_of(org_a), "member")
    await _join(uuid_of(billing.user_id), uuid_of(org_a), "billing")
    outsider = await _new_user()
    await _join(outsider.id, uuid_of(org_a), "member")

    a_key = await _payload(
        gql,
        API_KEY_CREATE,
        {"organizationId": org_a, "name": "A member key", "role": "member"},
        admin_a.token,
    )
    b_key = await _payload(
        gql,
        API_KEY_CREATE,
        {"organizationId": org_b, "name": "B admin key", "role": "org_admin"},
        admin_b.token,
    )
    agent = await _payload(
        gql,
        AGENT_CREATE,
        {
            "organizationId": org_a,
            "name": "A front desk",
            "systemPrompt": "You answer the phone for A.",
            "phoneNumber": random_phone_number(),
        },
        admin_a.token,
    )
    b_agent = await _payload(
        gql,
        AGENT_CREATE,
        {"organizationId": org_b, "name": "B front desk", "systemPrompt": "You answer for B."},
        admin_b.token,
    )
    calendar = await PlatformTool.get(name="google_calendar")
    agent_tool = await _payload(
        gql,
        AGENT_TOOL_CONFIGURE,
        {
            "agentId": agent["agent"]["id"],
            "toolId": ids.encode("PlatformTool", calendar.id),
            "config": CALENDAR_CONFIG,
        },
        admin_a.token,
    )
    function = await _payload(
        gql, CUSTOM_FUNCTION_CREATE, _function_input(org_a, "lookup_order"), admin_a.token
    )
    b_function = await _payload(
        gql, CUSTOM_FUNCTION_CREATE, _function_input(org_b, "lookup_order"), admin_b.token
    )
    invitation = await _payload(
        gql,
        MEMBER_INVITE,
        {"organizationId": org_a, "email": unique_email("iso-invitee"), "role": "member"},
        admin_a.token,
    )
    call = await new_call(uuid_of(org_a), uuid_of(agent["agent"]["id"]))
    for text in ("Hello, A speaking.", "I would like to book a table."):
        await calls.record_event(
            call_id=call.id, type="call.transcript", data={"role": "caller", "text": text}, bus=None
        )
    b_call = await new_call(uuid_of(org_b), uuid_of(b_agent["agent"]["id"]))
    adjusted = await credits.adjust(
        organization_id=uuid_of(org_a),
        amount=5000,
        reason="isolation suite credits",
        reference=f"isolation-{uuid.uuid4().hex}",
        created_by_id=None,
        settings=settings,
    )
    plan = await Plan.filter(is_active=True).order_by("key").first()
    assert plan is not None, "no plan was synced"
    member_role = await Role.get(key="member")

    callers = {
        ANONYMOUS: Caller(ANONYMOUS, None, "anonymous"),
        B_ADMIN: Caller(B_ADMIN, admin_b.token, "stranger"),
        B_API_KEY: Caller(B_API_KEY, b_key["key"], "stranger", is_api_key=True),
        A_ORG_ADMIN: Caller(A_ORG_ADMIN, admin_a.token, "insider", "org_admin"),
        A_MEMBER: Caller(A_MEMBER, member.token, "insider", "member"),
        A_BILLING: Caller(A_BILLING, billing.token, "insider", "billing"),
        A_MEMBER_API_KEY: Caller(
            A_MEMBER_API_KEY, a_key["key"], "insider", "member", is_api_key=True
        ),
        PLATFORM_ADMIN: Caller(PLATFORM_ADMIN, platform_admin.token, "platform_admin"),
    }
    assert list(callers) == CALLERS
    return World(
        settings=settings,
        gql=gql,
        bus=bus,
        callers=callers,
        admin_a=admin_a,
        org_a=org_a,
        org_b=org_b,
        agent=agent["agent"]["id"],
        agent_tool=agent_tool["agentTool"]["id"],
        custom_function=function["customFunction"]["id"],
        call=ids.encode("Call", call.id),
        invitation=invitation["invitation"]["id"],
        membership=ids.encode("Membership", member_membership.id),
        ledger_entry=ids.encode("CreditLedgerEntry", adjusted.entry.id),
        api_key=a_key["apiKey"]["id"],
        outsider_user=ids.encode("User", outsider.id),
        b_agent=b_agent["agent"]["id"],
        b_custom_function=b_function["customFunction"]["id"],
        b_call=ids.encode("Call", b_call.id),
        platform_tool=ids.encode("PlatformTool", calendar.id),
        plan=ids.encode("Plan", plan.id),
        role=ids.encode("Role", member_role.id),
    )


def _function_input(organization_id: str, name: str) -> dict[str, Any]:
    return {
        "organizationId": organization_id,
        "name": name,
        "description": "Look up an order by its number.",
        "parameters": ORDER_PARAMETERS,
        "method": "GET",
        "urlTemplate": "https://api.example.com/orders/{order_id}",
    }


async def _new_user() -> User:
    """A person without a password anyone knows: only memberships need them."""
    return await User.create(
        email=unique_email("iso-person"), password_hash="!unusable", full_name="Someone"
    )


async def _join(user_id: uuid.UUID, organization_id: uuid.UUID, role_key: str) -> Membership:
    role = await Role.get(key=role_key)
    return await Membership.create(user_id=user_id, organization_id=organization_id, role=role)


async def new_call(organization_id: uuid.UUID, agent_id: uuid.UUID) -> Call:
    return await Call.create(
        id=uuid.uuid4(),
        organization_id=organization_id,
        agent_id=agent_id,
        direction="inbound",
        from_number="+14155550100",
        to_number="+14155550199",
        status=calls.CallStatus.RINGING.value,
        snapshot={},
    )


# --- fresh targets in organization A, for the mutations that use theirs up ----------------------


async def fresh_agent(world: World) -> str:
    agent = await VoiceAgent.create(
        organization_id=world.org_a_uuid,
        name=f"Fresh {secrets.token_hex(3)}",
        system_prompt="You answer the phone.",
        voice="Puck",
        language="en-US",
    )
    return ids.encode("Agent", agent.id)


async def fresh_agent_tool(world: World) -> str:
    agent = await VoiceAgent.get(id=uuid_of(await fresh_agent(world)))
    row = await agent_tools.configure(
        agent=agent,
        tool_id=uuid_of(world.platform_tool),
        config=CALENDAR_CONFIG,
        enabled=True,
        disabled_functions=[],
        secret_config=None,
        settings=world.settings,
    )
    return ids.encode("AgentTool", row.id)


async def fresh_custom_function(world: World) -> str:
    function = await custom_functions.create(
        organization_id=world.org_a_uuid,
        values={
            "name": f"fresh_{secrets.token_hex(4)}",
            "description": "Look up an order by its number.",
            "parameters": ORDER_PARAMETERS,
            "method": "GET",
            "url_template": "https://api.example.com/orders/{order_id}",
            "headers": {},
        },
        settings=world.settings,
    )
    return ids.encode("CustomFunction", function.id)


async def fresh_api_key(world: World) -> str:
    organization = await Organization.get(id=world.org_a_uuid)
    key, _ = await api_keys.create(
        organization=organization, name="Fresh key", role_key="member", created_by=None
    )
    return ids.encode("ApiKey", key.id)


async def fresh_invitation(world: World) -> str:
    invitation = await Invitation.create(
        organization_id=world.org_a_uuid,
        email=unique_email("iso-fresh-invitee"),
        role=await Role.get(key="member"),
        token_hash=secrets.token_hex(32),
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    return ids.encode("Invitation", invitation.id)


async def fresh_membership(world: World) -> str:
    user = await _new_user()
    membership = await _join(user.id, world.org_a_uuid, "member")
    return ids.encode("Membership", membership.id)
