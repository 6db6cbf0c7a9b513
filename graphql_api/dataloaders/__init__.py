"""Per-request DataLoaders: one small loader per file, results in key order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from core.access import OrgAccess, Principal
from graphql_api.dataloaders.access import make_access_loader
from graphql_api.dataloaders.by_id import make_by_id_loader
from graphql_api.dataloaders.call_analyses import make_analysis_by_call_loader
from graphql_api.dataloaders.google_identities import make_google_identities_by_user_loader
from graphql_api.dataloaders.memberships import (
    make_memberships_by_organization_loader,
    make_memberships_by_user_loader,
)
from graphql_api.dataloaders.permissions import make_role_permissions_loader
from graphql_api.dataloaders.phone_numbers import make_agent_by_phone_number_loader
from graphql_api.dataloaders.tools import (
    make_agent_tools_by_agent_loader,
    make_custom_functions_by_agent_loader,
)
from orm.models import (
    AgentTool,
    ApiKey,
    Call,
    CallAnalysis,
    CallEvent,
    CreditLedgerEntry,
    CustomFunction,
    GoogleIdentity,
    Invitation,
    Membership,
    Organization,
    PhoneNumber,
    Plan,
    PlatformTool,
    Role,
    User,
    VoiceAgent,
    WebhookDelivery,
    WebhookEndpoint,
)


@dataclass
class DataLoaders:
    principal: Principal
    access: DataLoader[uuid.UUID, OrgAccess | None] = field(init=False)
    organization: DataLoader[uuid.UUID, Organization | None] = field(init=False)
    user: DataLoader[uuid.UUID, User | None] = field(init=False)
    role: DataLoader[uuid.UUID, Role | None] = field(init=False)
    agent: DataLoader[uuid.UUID, VoiceAgent | None] = field(init=False)
    phone_number: DataLoader[uuid.UUID, PhoneNumber | None] = field(init=False)
    agent_by_phone_number: DataLoader[uuid.UUID, VoiceAgent | None] = field(init=False)
    membership: DataLoader[uuid.UUID, Membership | None] = field(init=False)
    invitation: DataLoader[uuid.UUID, Invitation | None] = field(init=False)
    api_key: DataLoader[uuid.UUID, ApiKey | None] = field(init=False)
    platform_tool: DataLoader[uuid.UUID, PlatformTool | None] = field(init=False)
    agent_tool: DataLoader[uuid.UUID, AgentTool | None] = field(init=False)
    custom_function: DataLoader[uuid.UUID, CustomFunction | None] = field(init=False)
    call: DataLoader[uuid.UUID, Call | None] = field(init=False)
    call_event: DataLoader[uuid.UUID, CallEvent | None] = field(init=False)
    analysis_by_call: DataLoader[uuid.UUID, CallAnalysis | None] = field(init=False)
    plan: DataLoader[uuid.UUID, Plan | None] = field(init=False)
    ledger_entry: DataLoader[uuid.UUID, CreditLedgerEntry | None] = field(init=False)
    webhook_endpoint: DataLoader[uuid.UUID, WebhookEndpoint | None] = field(init=False)
    webhook_delivery: DataLoader[uuid.UUID, WebhookDelivery | None] = field(init=False)
    agent_tools_by_agent: DataLoader[uuid.UUID, list[AgentTool]] = field(init=False)
    custom_functions_by_agent: DataLoader[uuid.UUID, list[CustomFunction]] = field(init=False)
    role_permissions: DataLoader[uuid.UUID, list[str]] = field(init=False)
    memberships_by_user: DataLoader[uuid.UUID, list[Membership]] = field(init=False)
    memberships_by_organization: DataLoader[uuid.UUID, list[Membership]] = field(init=False)
    google_identities_by_user: DataLoader[uuid.UUID, list[GoogleIdentity]] = field(init=False)

    def __post_init__(self) -> None:
        self.access = make_access_loader(self.principal)
        self.organization = make_by_id_loader(Organization)
        self.user = make_by_id_loader(User)
        self.role = make_by_id_loader(Role)
        self.agent = make_by_id_loader(VoiceAgent)
        self.phone_number = make_by_id_loader(PhoneNumber)
        self.agent_by_phone_number = make_agent_by_phone_number_loader()
        self.membership = make_by_id_loader(Membership)
        self.invitation = make_by_id_loader(Invitation)
        self.api_key = make_by_id_loader(ApiKey)
        self.platform_tool = make_by_id_loader(PlatformTool)
        self.agent_tool = make_by_id_loader(AgentTool, related=("tool",))
        self.custom_function = make_by_id_loader(CustomFunction)
        self.call = make_by_id_loader(Call)
        self.call_event = make_by_id_loader(CallEvent, related=("call",))
        self.analysis_by_call = make_analysis_by_call_loader()
        self.plan = make_by_id_loader(Plan)
        self.ledger_entry = make_by_id_loader(CreditLedgerEntry)
        self.webhook_endpoint = make_by_id_loader(WebhookEndpoint)
        self.webhook_delivery = make_by_id_loader(WebhookDelivery)
        self.agent_tools_by_agent = make_agent_tools_by_agent_loader()
        self.custom_functions_by_agent = make_custom_functions_by_agent_loader()
        self.role_permissions = make_role_permissions_loader()
        self.memberships_by_user = make_memberships_by_user_loader()
        self.memberships_by_organization = make_memberships_by_organization_loader()
        self.google_identities_by_user = make_google_identities_by_user_loader()
