"""Every Tortoise model, importable as `orm.models`."""

from orm.models.accounts import AuthSession, OneTimeToken, RefreshToken, SignInFailure, User
from orm.models.agents import VoiceAgent
from orm.models.billing import CreditLedgerEntry, Plan, StripeEvent, Subscription
from orm.models.calls import Call, CallEvent
from orm.models.email import EmailOutbox
from orm.models.organizations import (
    ApiKey,
    Invitation,
    Membership,
    Organization,
    Role,
    RolePermission,
)
from orm.models.tools import (
    AgentCustomFunction,
    AgentTool,
    CustomFunction,
    OAuthState,
    PlatformTool,
    TokenRevocation,
)

__all__ = [
    "CreditLedgerEntry",
    "Plan",
    "StripeEvent",
    "Subscription",
    "AgentCustomFunction",
    "AgentTool",
    "ApiKey",
    "AuthSession",
    "Call",
    "CallEvent",
    "CustomFunction",
    "EmailOutbox",
    "Invitation",
    "Membership",
    "OAuthState",
    "OneTimeToken",
    "Organization",
    "PlatformTool",
    "RefreshToken",
    "Role",
    "RolePermission",
    "SignInFailure",
    "TokenRevocation",
    "User",
    "VoiceAgent",
]
