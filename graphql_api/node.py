"""`node(id)`: any object by global id, answered only where the caller may read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry import relay

from core.rbac import Permission
from graphql_api import ids
from graphql_api.accounts.types import UserType
from graphql_api.agents.types import AgentType
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.billing.types import CreditLedgerEntryType, PlanType
from graphql_api.calls.types import CallType
from graphql_api.context import Info
from graphql_api.errors import Unauthenticated
from graphql_api.organizations.types import InvitationType, MembershipType, OrganizationType
from graphql_api.permissions import authenticated
from graphql_api.roles.types import RoleType
from graphql_api.tools.types import AgentToolType, CustomFunctionType, PlatformToolType


@dataclass(frozen=True)
class NodeKind:
    loader: str
    to_type: Callable[[Any], relay.Node]
    # The permission needed in the object's organization; None: any signed-in caller.
    permission: Permission | None
    organization_of: Callable[[Any], Any] = lambda row: row.organization_id


NODE_KINDS: dict[str, NodeKind] = {
    "Organization": NodeKind(
        "organization", OrganizationType.from_model, Permission.ORG_READ, lambda row: row.id
    ),
    "Agent": NodeKind("agent", AgentType.from_model, Permission.AGENT_READ),
    "Membership": NodeKind("membership", MembershipType.from_model, Permission.MEMBER_READ),
    "Invitation": NodeKind("invitation", InvitationType.from_model, Permission.MEMBER_READ),
    "ApiKey": NodeKind("api_key", ApiKeyType.from_model, Permission.API_KEY_MANAGE),
    "Role": NodeKind("role", RoleType.from_model, None),
    "PlatformTool": NodeKind("platform_tool", PlatformToolType.from_model, None),
    "AgentTool": NodeKind("agent_tool", AgentToolType.from_model, Permission.TOOL_READ),
    "Call": NodeKind("call", CallType.from_model, Permission.CALL_READ),
    "Plan": NodeKind("plan", PlanType.from_model, None),
    "CreditLedgerEntry": NodeKind(
        "ledger_entry", CreditLedgerEntryType.from_model, Permission.BILLING_READ
    ),
    "CustomFunction": NodeKind(
        "custom_function", CustomFunctionType.from_model, Permission.TOOL_READ
    ),
}


async def resolve_node(info: Info, global_id: str) -> relay.Node | None:
    context = info.context
    if not context.principal.is_authenticated:
        raise Unauthenticated()
    decoded = ids.decode_any(global_id)
    if decoded is None:
        return None
    type_name, object_id = decoded
    if type_name == "User":
        user = context.principal.user
        if user is not None and (user.id == object_id or user.is_platform_admin):
            found = await context.loaders.user.load(object_id)
            return UserType.from_model(found) if found else None
        return None
    kind = NODE_KINDS.get(type_name)
    if kind is None:
        return None
    row = await getattr(context.loaders, kind.loader).load(object_id)
    if row is None:
        return None
    if kind.permission is not None:
        access = await context.loaders.access.load(kind.organization_of(row))
        if access is None or not access.allows(kind.permission):
            return None
    return kind.to_type(row)


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Any object by its global id; null if missing or not yours.",
        extensions=authenticated(),
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        return await resolve_node(info, id)
