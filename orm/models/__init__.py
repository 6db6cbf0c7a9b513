"""Every Tortoise model, importable as `orm.models`."""

from orm.models.accounts import AuthSession, OneTimeToken, RefreshToken, SignInFailure, User
from orm.models.agents import VoiceAgent
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
    "Call",
    "CallEvent",
    "AgentCustomFunction",
    "AgentTool",
    "CustomFunction",
    "OAuthState",
    "PlatformTool",
    "TokenRevocation",
    "ApiKey",
    "AuthSession",
    "EmailOutbox",
    "Invitation",
    "Membership",
    "OneTimeToken",
    "Organization",
    "RefreshToken",
    "Role",
    "RolePermission",
    "SignInFailure",
    "User",
    "VoiceAgent",
]
