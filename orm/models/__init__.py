"""Every Tortoise model, importable as `orm.models`."""

from orm.models.accounts import (
    AuthSession,
    GoogleIdentity,
    GoogleSignInState,
    OneTimeToken,
    RefreshToken,
    SignInAttempt,
    User,
)
from orm.models.agents import VoiceAgent
from orm.models.billing import CreditLedgerEntry, Plan, StripeEvent, Subscription
from orm.models.calls import Call, CallAnalysis, CallEvent
from orm.models.email import EmailOutbox
from orm.models.organizations import (
    ApiKey,
    Invitation,
    Membership,
    Organization,
    Role,
    RolePermission,
)
from orm.models.partner_webhooks import WebhookDelivery, WebhookEndpoint
from orm.models.phone_numbers import PhoneNumber
from orm.models.tools import (
    AgentCustomFunction,
    AgentTool,
    CustomFunction,
    OAuthState,
    PlatformTool,
    TokenRevocation,
)

__all__ = [
    "AgentCustomFunction",
    "AgentTool",
    "ApiKey",
    "AuthSession",
    "Call",
    "CallAnalysis",
    "CallEvent",
    "CreditLedgerEntry",
    "CustomFunction",
    "EmailOutbox",
    "GoogleIdentity",
    "GoogleSignInState",
    "Invitation",
    "Membership",
    "OAuthState",
    "OneTimeToken",
    "Organization",
    "PhoneNumber",
    "Plan",
    "PlatformTool",
    "RefreshToken",
    "Role",
    "RolePermission",
    "SignInAttempt",
    "StripeEvent",
    "Subscription",
    "TokenRevocation",
    "User",
    "VoiceAgent",
    "WebhookDelivery",
    "WebhookEndpoint",
]
