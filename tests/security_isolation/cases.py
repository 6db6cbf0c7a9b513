"""The registry: one isolation case for every field that takes an id.

`test_registry.py` fails when the schema has a field with an id argument that is not here,
when a case names a field (or an id argument) the schema no longer has, and when a case's
target argument is not the one the field's permission check resolves.

A case says how to get its target in organization A (a shared object of the world, or a
fresh one for mutations that use theirs up), the operation, its variables, and, for
mutations, what a refused call must leave untouched. What each caller must get is not
written here: it follows from the field's permission extension and docs/permissions.md
(see expectations.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from graphql_api.calls.events import OBJECT_TYPES as CALL_EVENT_OBJECT_TYPES
from orm.models import (
    AgentCustomFunction,
    AgentTool,
    ApiKey,
    Call,
    CreditLedgerEntry,
    CustomFunction,
    Invitation,
    Membership,
    OAuthState,
    Organization,
    PhoneNumber,
    PlatformTool,
    Role,
    RolePermission,
    Subscription,
    VoiceAgent,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.security_isolation.world import (
    World,
    fresh_agent,
    fresh_agent_tool,
    fresh_api_key,
    fresh_custom_function,
    fresh_invitation,
    fresh_membership,
    fresh_phone_number,
    fresh_role,
    fresh_webhook_endpoint,
)
from tests.support.factories import (
    CALENDAR_CONFIG,
    ORDER_PARAMETERS,
    next_number,
    unique_email,
    unique_name,
    unique_phone_number,
)
from tests.support.ids import uuid_of

Variables = Callable[[World, str], dict[str, Any]]
Watch = Callable[[World, str], Awaitable[Any]]


@dataclass(frozen=True)
class OtherId:
    """An id argument besides the target: "global" (a platform-wide object such as a plan,
    no tenant to isolate) or "tenant" (an object of some organization: `foreign` gives
    organization B's, which must be answered exactly like a missing one)."""

    kind: str
    foreign: Callable[[World], Any] | None = None


@dataclass(frozen=True)
class Case:
    operation: str
    variables: Variables
    # The id argument naming the target (for organization-scoped fields: the one the
    # permission check resolves).
    target_arg: str
    # The target: a World attribute (a shared object of A) or a factory of a fresh one.
    target: str | Callable[[World], Awaitable[str]]
    # Mutations: what a refused call must leave exactly as it was.
    watch: Watch | None = None
    # Payload error codes an allowed call may get: validation-level, decided by the input
    # or the platform's configuration (no Stripe, no LiveKit trunk, no Google client here).
    ok_errors: frozenset[str] = frozenset()
    # What an allowed answer must contain: "target", a World attribute, or None.
    shows: str | None = "target"
    # The resolver needs a person (require_user): API keys get FORBIDDEN even with the role.
    user_only: bool = False
    other_ids: dict[str, OtherId] = field(default_factory=dict)
    # Undo an allowed call's platform-wide change (e.g. a platform tool's wording).
    undo: Callable[[World, str], Awaitable[None]] | None = None

    async def make_target(self, world: World) -> str:
        if isinstance(self.target, str):
            return getattr(world, self.target)
        return await self.target(world)


@dataclass(frozen=True)
class NodeCase:
    """`node(id)`: one target per Node type (see test_node.py)."""

    operation: str
    targets: dict[str, str]  # type name -> World attribute ("attribute.key" for a dict's entry)
    # Where each organization-owned type is read without `node`: `node` must ask for the
    # permission that field asks for, or it would be a side door. Types not listed here
    # (other than User) are platform-wide.
    readers: dict[str, str]
    # The argument naming the object(s): `node(id)`, `nodes(ids)`.
    id_argument: str = "id"

    def target(self, world: World, type_name: str) -> str:
        attribute, _, key = self.targets[type_name].partition(".")
        value = getattr(world, attribute)
        return value[key] if key else value


@dataclass(frozen=True)
class SubscriptionCase:
    operation: str
    variables: Callable[[World], dict[str, Any]]
    target_arg: str
    # Whether an allowed subscriber needs a new event to see a first payload (the
    # organization stream has no catch-up; a call's stream replays its record).
    needs_event: bool


def rows(model: Any, *fields: str, **filters: Any) -> Awaitable[list[dict[str, Any]]]:
    return model.filter(**filters).order_by("id").values(*fields)


def unique(prefix: str) -> str:
    """A value no earlier call wrote, so an allowed change always shows."""
    return f"{prefix} {next_number()}"


def _input(**values: Any) -> dict[str, Any]:
    return {"input": values}


def _organization_row(world: World, target: str) -> Awaitable[Any]:
    return rows(Organization, id=uuid_of(target))


async def _billing_state(world: World, target: str) -> Any:
    return (
        await rows(Organization, id=uuid_of(target)),
        await rows(Subscription, organization_id=uuid_of(target)),
    )


async def _restore_platform_tool(world: World, target: str) -> None:
    await PlatformTool.filter(id=uuid_of(target)).update(custom_description=None, is_active=True)


async def _connected_agent_tool(world: World) -> str:
    """An agent tool that looks connected, so a wrongful disconnect would show."""
    target = await fresh_agent_tool(world)
    await AgentTool.filter(id=uuid_of(target)).update(oauth_account="front-desk@example.com")
    return target


CASES: dict[str, Case] = {
    # --- queries ---------------------------------------------------------------------------
    "Query.organization": Case(
        "query Q($id: ID!) { organization(id: $id) { id name } }",
        lambda w, t: {"id": t},
        "id",
        "org_a",
    ),
    "Query.agent": Case(
        "query Q($id: ID!) { agent(id: $id) { id name } }",
        lambda w, t: {"id": t},
        "id",
        "agent",
    ),
    "Query.agents": Case(
        "query Q($organizationId: ID!) {"
        " agents(organizationId: $organizationId) { edges { node { id } } } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows="agent",
    ),
    "Query.phoneNumbers": Case(
        "query Q($organizationId: ID!) {"
        " phoneNumbers(organizationId: $organizationId) { edges { node { id } } } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows="phone_number",
    ),
    "Query.availablePhoneNumbers": Case(
        "query Q($organizationId: ID!) {"
        " availablePhoneNumbers(organizationId: $organizationId) { numbers { e164 }"
        " errors { code } } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows=None,
    ),
    "Query.apiKeys": Case(
        "query Q($organizationId: ID!) { apiKeys(organizationId: $organizationId) { id prefix } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows="api_key",
    ),
    "Query.customFunctions": Case(
        "query Q($organizationId: ID!) {"
        " customFunctions(organizationId: $organizationId) { id name } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows="custom_function",
    ),
    "Query.call": Case(
        "query Q($id: ID!) { call(id: $id) { id status timeline { seq type } } }",
        lambda w, t: {"id": t},
        "id",
        "call",
    ),
    "Query.calls": Case(
        "query Q($organizationId: ID!, $agentId: ID) {"
        " calls(organizationId: $organizationId, agentId: $agentId) { edges { node { id } } } }",
        lambda w, t: {"organizationId": t, "agentId": w.agent},
        "organizationId",
        "org_a",
        shows="call",
        other_ids={"agentId": OtherId("tenant", lambda w: w.b_agent)},
    ),
    "Query.activeCalls": Case(
        "query Q($organizationId: ID!) { activeCalls(organizationId: $organizationId) { id } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows="call",
    ),
    "Query.webhookEndpoint": Case(
        "query Q($id: ID!) { webhookEndpoint(id: $id) { id url } }",
        lambda w, t: {"id": t},
        "id",
        "webhook_endpoint",
    ),
    "Query.billingSummary": Case(
        "query Q($organizationId: ID!) { billingSummary(organizationId: $organizationId) {"
        " creditBalance ledger { edges { node { id } } } } }",
        lambda w, t: {"organizationId": t},
        "organizationId",
        "org_a",
        shows="ledger_entry",
    ),
    # --- organizations and members ---------------------------------------------------------
    "Mutation.organizationUpdate": Case(
        "mutation M($input: OrganizationUpdateInput!) {"
        " organizationUpdate(input: $input) { organization { id } errors { code } } }",
        lambda w, t: _input(id=t, description=unique("Changed by")),
        "input.id",
        "org_a",
        watch=_organization_row,
    ),
    "Mutation.memberInvite": Case(
        "mutation M($input: MemberInviteInput!) {"
        " memberInvite(input: $input) { invitation { id email } errors { code } } }",
        lambda w, t: _input(organizationId=t, email=unique_email("iso-probe"), role="member"),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: rows(Invitation, "id", organization_id=uuid_of(t)),
        shows=None,
    ),
    "Mutation.invitationRevoke": Case(
        "mutation M($input: InvitationRevokeInput!) {"
        " invitationRevoke(input: $input) { invitation { id revokedAt } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_invitation,
        watch=lambda w, t: rows(Invitation, id=uuid_of(t)),
    ),
    "Mutation.memberUpdateRole": Case(
        "mutation M($input: MemberUpdateRoleInput!) {"
        " memberUpdateRole(input: $input) { membership { id role { key } } errors { code } } }",
        lambda w, t: _input(membershipId=t, role="billing"),
        "input.membershipId",
        fresh_membership,
        watch=lambda w, t: rows(Membership, id=uuid_of(t)),
    ),
    "Mutation.memberRemove": Case(
        "mutation M($input: MemberRemoveInput!) {"
        " memberRemove(input: $input) { membership { id } errors { code } } }",
        lambda w, t: _input(membershipId=t),
        "input.membershipId",
        fresh_membership,
        watch=lambda w, t: rows(Membership, id=uuid_of(t)),
    ),
    # --- roles (platform-wide) -------------------------------------------------------------
    "Mutation.roleUpdate": Case(
        "mutation M($input: RoleUpdateInput!) {"
        " roleUpdate(input: $input) { role { id name } errors { code } } }",
        lambda w, t: _input(id=t, name=unique("Renamed"), permissions=["org:read", "org:manage"]),
        "input.id",
        fresh_role,
        watch=lambda w, t: _role_rows(t),
    ),
    "Mutation.roleDelete": Case(
        "mutation M($input: RoleDeleteInput!) {"
        " roleDelete(input: $input) { role { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_role,
        watch=lambda w, t: _role_rows(t),
    ),
    # --- agents ----------------------------------------------------------------------------
    "Mutation.agentCreate": Case(
        "mutation M($input: AgentCreateInput!) {"
        " agentCreate(input: $input) { agent { id } errors { code } } }",
        lambda w, t: _input(
            organizationId=t,
            name=unique("Probe"),
            systemPrompt="Hello.",
            phoneNumberId=w.spare_phone_number,
        ),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: rows(VoiceAgent, "id", organization_id=uuid_of(t)),
        # The spare number goes to the first allowed caller's agent.
        ok_errors=frozenset({"PHONE_NUMBER_IN_USE"}),
        shows=None,
        other_ids={"input.phoneNumberId": OtherId("tenant", lambda w: w.b_phone_number)},
    ),
    "Mutation.agentUpdate": Case(
        "mutation M($input: AgentUpdateInput!) {"
        " agentUpdate(input: $input) { agent { id name } errors { code } } }",
        lambda w, t: _input(id=t, name=unique("Renamed"), phoneNumberId=w.phone_number),
        "input.id",
        "agent",
        watch=lambda w, t: rows(VoiceAgent, id=uuid_of(t)),
        other_ids={"input.phoneNumberId": OtherId("tenant", lambda w: w.b_phone_number)},
    ),
    "Mutation.agentDelete": Case(
        "mutation M($input: AgentDeleteInput!) {"
        " agentDelete(input: $input) { agent { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_agent,
        watch=lambda w, t: rows(VoiceAgent, id=uuid_of(t)),
    ),
    # --- phone numbers ---------------------------------------------------------------------
    "Mutation.phoneNumberBuy": Case(
        "mutation M($input: PhoneNumberBuyInput!) {"
        " phoneNumberBuy(input: $input) { phoneNumber { id } errors { code } } }",
        lambda w, t: _input(organizationId=t, phoneNumber=unique_phone_number()),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: rows(PhoneNumber, "id", organization_id=uuid_of(t)),
        # Nothing is for sale at the fake Twilio here.
        ok_errors=frozenset({"NUMBER_NOT_AVAILABLE"}),
        shows=None,
    ),
    "Mutation.phoneNumberImport": Case(
        "mutation M($input: PhoneNumberImportInput!) {"
        " phoneNumberImport(input: $input) { phoneNumber { id } errors { code } } }",
        lambda w, t: _input(organizationId=t, phoneNumber=unique_phone_number()),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: rows(PhoneNumber, "id", organization_id=uuid_of(t)),
        # The number is in no Twilio account.
        ok_errors=frozenset({"NUMBER_NOT_AVAILABLE"}),
        shows=None,
    ),
    "Mutation.phoneNumberRelease": Case(
        "mutation M($input: PhoneNumberReleaseInput!) {"
        " phoneNumberRelease(input: $input) { phoneNumber { id status } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_phone_number,
        watch=lambda w, t: rows(PhoneNumber, id=uuid_of(t)),
    ),
    # --- API keys --------------------------------------------------------------------------
    "Mutation.apiKeyCreate": Case(
        "mutation M($input: ApiKeyCreateInput!) {"
        " apiKeyCreate(input: $input) { apiKey { id } key errors { code } } }",
        lambda w, t: _input(organizationId=t, name="Probe key", role="member"),
        "input.organizationId",
        "org_a",
        # Ids only: the calling key's own lastUsedAt may move.
        watch=lambda w, t: rows(ApiKey, "id", organization_id=uuid_of(t)),
        shows=None,
    ),
    "Mutation.apiKeyRevoke": Case(
        "mutation M($input: ApiKeyRevokeInput!) {"
        " apiKeyRevoke(input: $input) { apiKey { id revokedAt } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_api_key,
        watch=lambda w, t: rows(ApiKey, id=uuid_of(t)),
    ),
    # --- tools -----------------------------------------------------------------------------
    "Mutation.platformToolUpdate": Case(
        "mutation M($input: PlatformToolUpdateInput!) {"
        " platformToolUpdate(input: $input) { platformTool { id description } errors { code } } }",
        lambda w, t: _input(id=t, description=unique("Reworded by")),
        "input.id",
        "platform_tool",
        watch=lambda w, t: rows(PlatformTool, id=uuid_of(t)),
        undo=_restore_platform_tool,
    ),
    "Mutation.agentToolConfigure": Case(
        "mutation M($input: AgentToolConfigureInput!) {"
        " agentToolConfigure(input: $input) { agentTool { id } errors { code } } }",
        lambda w, t: _input(agentId=t, toolId=w.platform_tool, config=CALENDAR_CONFIG),
        "input.agentId",
        fresh_agent,
        watch=lambda w, t: rows(AgentTool, agent_id=uuid_of(t)),
        shows=None,
        other_ids={"input.toolId": OtherId("global")},
    ),
    "Mutation.agentToolUpdate": Case(
        "mutation M($input: AgentToolUpdateInput!) {"
        " agentToolUpdate(input: $input) { agentTool { id isEnabled } errors { code } } }",
        lambda w, t: _input(id=t, enabled=False),
        "input.id",
        fresh_agent_tool,
        watch=lambda w, t: rows(AgentTool, id=uuid_of(t)),
    ),
    "Mutation.agentToolRemove": Case(
        "mutation M($input: AgentToolRemoveInput!) {"
        " agentToolRemove(input: $input) { agentTool { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_agent_tool,
        watch=lambda w, t: rows(AgentTool, id=uuid_of(t)),
    ),
    "Mutation.agentToolOAuthStart": Case(
        "mutation M($input: AgentToolOAuthStartInput!) {"
        " agentToolOAuthStart(input: $input) { authorizationUrl errors { code } } }",
        lambda w, t: _input(agentToolId=t),
        "input.agentToolId",
        "agent_tool",
        watch=lambda w, t: rows(OAuthState, agent_tool_id=uuid_of(t)),
        ok_errors=frozenset({"OAUTH_NOT_CONFIGURED"}),
        shows=None,
        user_only=True,
    ),
    "Mutation.agentToolDisconnect": Case(
        "mutation M($input: AgentToolDisconnectInput!) {"
        " agentToolDisconnect(input: $input) { agentTool { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        _connected_agent_tool,
        watch=lambda w, t: rows(AgentTool, id=uuid_of(t)),
    ),
    "Mutation.customFunctionCreate": Case(
        "mutation M($input: CustomFunctionCreateInput!) {"
        " customFunctionCreate(input: $input) { customFunction { id } errors { code } } }",
        lambda w, t: _input(
            organizationId=t,
            name=unique_name("probe"),
            description="Look up an order.",
            parameters=ORDER_PARAMETERS,
            method="GET",
            urlTemplate="https://api.example.com/orders/{order_id}",
        ),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: rows(CustomFunction, organization_id=uuid_of(t)),
        shows=None,
    ),
    "Mutation.customFunctionUpdate": Case(
        "mutation M($input: CustomFunctionUpdateInput!) {"
        " customFunctionUpdate(input: $input) { customFunction { id } errors { code } } }",
        lambda w, t: _input(id=t, description=unique("Reworded by")),
        "input.id",
        "custom_function",
        watch=lambda w, t: rows(CustomFunction, id=uuid_of(t)),
    ),
    "Mutation.customFunctionDelete": Case(
        "mutation M($input: CustomFunctionDeleteInput!) {"
        " customFunctionDelete(input: $input) { customFunction { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_custom_function,
        watch=lambda w, t: rows(CustomFunction, id=uuid_of(t)),
    ),
    "Mutation.agentCustomFunctionsSet": Case(
        "mutation M($input: AgentCustomFunctionsSetInput!) {"
        " agentCustomFunctionsSet(input: $input) { agent { id } errors { code } } }",
        lambda w, t: _input(agentId=t, functionIds=[w.custom_function]),
        "input.agentId",
        fresh_agent,
        watch=lambda w, t: rows(AgentCustomFunction, agent_id=uuid_of(t)),
        other_ids={
            "input.functionIds": OtherId("tenant", lambda w: [w.b_custom_function]),
        },
    ),
    # --- calls -----------------------------------------------------------------------------
    "Mutation.callCreate": Case(
        "mutation M($input: CallCreateInput!) {"
        " callCreate(input: $input) { call { id } errors { code } } }",
        lambda w, t: _input(agentId=t, toNumber="+14155550123"),
        "input.agentId",
        "agent",
        watch=lambda w, t: rows(Call, agent_id=uuid_of(t)),
        # The test settings configure no outbound SIP trunk: the call stops there.
        ok_errors=frozenset({"OUTBOUND_NOT_CONFIGURED"}),
        shows=None,
    ),
    # --- partner webhooks ------------------------------------------------------------------
    "Mutation.webhookEndpointCreate": Case(
        "mutation M($input: WebhookEndpointCreateInput!) {"
        " webhookEndpointCreate(input: $input) { webhookEndpoint { id } errors { code } } }",
        lambda w, t: _input(
            organizationId=t, url="https://hooks.example.com/probe", eventTypes=["ENDED"]
        ),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: rows(WebhookEndpoint, "id", organization_id=uuid_of(t)),
        shows=None,
    ),
    "Mutation.webhookEndpointUpdate": Case(
        "mutation M($input: WebhookEndpointUpdateInput!) {"
        " webhookEndpointUpdate(input: $input) { webhookEndpoint { id } errors { code } } }",
        lambda w, t: _input(id=t, description=unique("Described by")),
        "input.id",
        "webhook_endpoint",
        watch=lambda w, t: rows(WebhookEndpoint, id=uuid_of(t)),
    ),
    "Mutation.webhookEndpointDelete": Case(
        "mutation M($input: WebhookEndpointDeleteInput!) {"
        " webhookEndpointDelete(input: $input) { webhookEndpoint { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        fresh_webhook_endpoint,
        watch=lambda w, t: rows(WebhookEndpoint, id=uuid_of(t)),
    ),
    "Mutation.webhookEndpointRotateSecret": Case(
        "mutation M($input: WebhookEndpointRotateSecretInput!) {"
        " webhookEndpointRotateSecret(input: $input) { webhookEndpoint { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        "webhook_endpoint",
        watch=lambda w, t: rows(WebhookEndpoint, id=uuid_of(t)),
    ),
    "Mutation.webhookEndpointTest": Case(
        "mutation M($input: WebhookEndpointTestInput!) {"
        " webhookEndpointTest(input: $input) {"
        " webhookDelivery { id endpoint { id } } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        "webhook_endpoint",
        watch=lambda w, t: rows(WebhookDelivery, "id", endpoint_id=uuid_of(t)),
    ),
    "Mutation.webhookDeliveryRetry": Case(
        "mutation M($input: WebhookDeliveryRetryInput!) {"
        " webhookDeliveryRetry(input: $input) { webhookDelivery { id } errors { code } } }",
        lambda w, t: _input(id=t),
        "input.id",
        "webhook_delivery",
        watch=lambda w, t: rows(WebhookDelivery, id=uuid_of(t)),
    ),
    # --- billing ---------------------------------------------------------------------------
    "Mutation.checkoutSessionCreate": Case(
        "mutation M($input: CheckoutSessionCreateInput!) {"
        " checkoutSessionCreate(input: $input) { url errors { code } } }",
        lambda w, t: _input(organizationId=t, planId=w.plan),
        "input.organizationId",
        "org_a",
        watch=_billing_state,
        # No Stripe here: the default plans have no price, and no key is set.
        ok_errors=frozenset({"PLAN_NOT_PURCHASABLE", "BILLING_UNAVAILABLE"}),
        shows=None,
        other_ids={"input.planId": OtherId("global")},
    ),
    "Mutation.creditsPurchase": Case(
        "mutation M($input: CreditsPurchaseInput!) {"
        " creditsPurchase(input: $input) { url errors { code } } }",
        lambda w, t: _input(organizationId=t, credits=1000),
        "input.organizationId",
        "org_a",
        watch=_billing_state,
        ok_errors=frozenset({"BILLING_UNAVAILABLE"}),
        shows=None,
    ),
    "Mutation.billingPortalSessionCreate": Case(
        "mutation M($input: BillingPortalSessionCreateInput!) {"
        " billingPortalSessionCreate(input: $input) { url errors { code } } }",
        lambda w, t: _input(organizationId=t),
        "input.organizationId",
        "org_a",
        watch=_billing_state,
        ok_errors=frozenset({"NO_CUSTOMER", "BILLING_UNAVAILABLE"}),
        shows=None,
    ),
    "Mutation.creditAdjust": Case(
        "mutation M($input: CreditAdjustInput!) {"
        " creditAdjust(input: $input) { entry { id } creditBalance errors { code } } }",
        lambda w, t: _input(organizationId=t, amount=7, reason="isolation probe"),
        "input.organizationId",
        "org_a",
        watch=lambda w, t: _ledger_and_balance(t),
        shows=None,
    ),
}


async def _role_rows(role_id: str) -> Any:
    return (
        await rows(Role, id=uuid_of(role_id)),
        await rows(RolePermission, "permission", role_id=uuid_of(role_id)),
    )


async def _ledger_and_balance(organization_id: str) -> Any:
    return (
        await rows(Organization, "credit_balance", id=uuid_of(organization_id)),
        await rows(CreditLedgerEntry, "id", organization_id=uuid_of(organization_id)),
    )


CALL_EVENT_TYPE_NAMES = sorted(t.__name__ for t in CALL_EVENT_OBJECT_TYPES.values())

NODE = NodeCase(
    "query Q($id: ID!) { node(id: $id) { __typename id } }",
    {
        "Organization": "org_a",
        "Agent": "agent",
        "AgentTool": "agent_tool",
        "CustomFunction": "custom_function",
        "Call": "call",
        **{name: f"call_events.{name}" for name in CALL_EVENT_TYPE_NAMES},
        "Invitation": "invitation",
        "Membership": "membership",
        "ApiKey": "api_key",
        "PhoneNumber": "phone_number",
        "CreditLedgerEntry": "ledger_entry",
        "WebhookEndpoint": "webhook_endpoint",
        "WebhookDelivery": "webhook_delivery",
        "User": "outsider_user",
        # Platform-wide: any signed-in caller may read them.
        "Role": "role",
        "PlatformTool": "platform_tool",
        "Plan": "plan",
    },
    readers={
        "Organization": "Query.organization",
        "Agent": "Query.agent",
        "Call": "Query.call",
        # A call's events are read with the call (its timeline) or streamed.
        **{name: "Subscription.callEvents" for name in CALL_EVENT_TYPE_NAMES},
        "ApiKey": "Query.apiKeys",
        "PhoneNumber": "Query.phoneNumbers",
        "CustomFunction": "Query.customFunctions",
        "CreditLedgerEntry": "Query.billingSummary",
        "AgentTool": "Agent.tools",
        "Membership": "Organization.members",
        "Invitation": "Organization.invitations",
        "WebhookEndpoint": "Query.webhookEndpoint",
        "WebhookDelivery": "WebhookEndpoint.deliveries",
    },
)

SUBSCRIPTIONS: dict[str, SubscriptionCase] = {
    "Subscription.callEvents": SubscriptionCase(
        "subscription S($callId: ID!) { callEvents(callId: $callId) { id seq type call { id } } }",
        lambda w: {"callId": w.call},
        "callId",
        needs_event=False,
    ),
    "Subscription.organizationCallUpdates": SubscriptionCase(
        "subscription S($organizationId: ID!) {"
        " organizationCallUpdates(organizationId: $organizationId) {"
        " id seq type call { id } } }",
        lambda w: {"organizationId": w.org_a},
        "organizationId",
        needs_event=True,
    ),
}

# `nodes(ids)` answers each id exactly as `node(id)` does (test_node.py).
NODES = NodeCase(
    "query Q($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
    NODE.targets,
    NODE.readers,
    id_argument="ids",
)

REGISTRY: dict[str, Case | NodeCase | SubscriptionCase] = {
    **CASES,
    "Query.node": NODE,
    "Query.nodes": NODES,
    **SUBSCRIPTIONS,
}
