"""The permission catalogue and the built-in roles.

Roles rank platform_admin > org_admin > member; `billing` is a side role for
people who pay but do not build. A platform admin holds every permission in
every organization. Custom roles (created by a platform admin) may hold any
organization permission, never a platform one.
`docs/permissions.md` is generated from this module (`voiceagents permissions-doc`)
and a test fails when it is stale.
"""

from __future__ import annotations

import enum


class Permission(enum.StrEnum):
    ORG_READ = "org:read"
    ORG_MANAGE = "org:manage"
    MEMBER_READ = "member:read"
    MEMBER_MANAGE = "member:manage"
    API_KEY_MANAGE = "api_key:manage"
    AGENT_READ = "agent:read"
    AGENT_CREATE = "agent:create"
    AGENT_UPDATE = "agent:update"
    AGENT_DELETE = "agent:delete"
    TOOL_READ = "tool:read"
    TOOL_CONFIGURE = "tool:configure"
    CALL_READ = "call:read"
    CALL_CREATE = "call:create"
    PHONE_NUMBER_MANAGE = "phone_number:manage"
    WEBHOOK_MANAGE = "webhook:manage"
    BILLING_READ = "billing:read"
    BILLING_MANAGE = "billing:manage"
    # Platform-wide: never granted inside an organization.
    PLATFORM_MANAGE = "platform:manage"


PERMISSION_DESCRIPTIONS: dict[Permission, str] = {
    Permission.ORG_READ: "See the organization and its settings",
    Permission.ORG_MANAGE: "Change the organization's name, slug and details",
    Permission.MEMBER_READ: "See members and pending invitations",
    Permission.MEMBER_MANAGE: "Invite, remove and change the role of members",
    Permission.API_KEY_MANAGE: "Create, list and revoke API keys",
    Permission.AGENT_READ: "See voice agents",
    Permission.AGENT_CREATE: "Create voice agents",
    Permission.AGENT_UPDATE: "Change voice agents",
    Permission.AGENT_DELETE: "Delete voice agents",
    Permission.TOOL_READ: "See the tools configured on agents",
    Permission.TOOL_CONFIGURE: "Configure, connect and remove agent tools",
    Permission.CALL_READ: "See calls, their records and live streams",
    Permission.CALL_CREATE: "Place outgoing calls",
    Permission.PHONE_NUMBER_MANAGE: "Search for, buy, import and release phone numbers",
    Permission.WEBHOOK_MANAGE: "See, register, test and delete webhook endpoints; retry deliveries",
    Permission.BILLING_READ: "See the plan, balance and credit ledger",
    Permission.BILLING_MANAGE: "Change the plan, buy credits, open the billing portal",
    Permission.PLATFORM_MANAGE: "Platform administration: roles, tools, credit adjustments",
}

PLATFORM_PERMISSIONS = frozenset({Permission.PLATFORM_MANAGE})
ORGANIZATION_PERMISSIONS = frozenset(Permission) - PLATFORM_PERMISSIONS


class BuiltinRole(enum.StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    ORG_ADMIN = "org_admin"
    MEMBER = "member"
    BILLING = "billing"


BUILTIN_ROLE_NAMES: dict[BuiltinRole, str] = {
    BuiltinRole.PLATFORM_ADMIN: "Platform admin",
    BuiltinRole.ORG_ADMIN: "Organization admin",
    BuiltinRole.MEMBER: "Member",
    BuiltinRole.BILLING: "Billing",
}

BUILTIN_ROLE_PERMISSIONS: dict[BuiltinRole, frozenset[Permission]] = {
    BuiltinRole.PLATFORM_ADMIN: frozenset(Permission),
    BuiltinRole.ORG_ADMIN: ORGANIZATION_PERMISSIONS,
    BuiltinRole.MEMBER: frozenset(
        {
            Permission.ORG_READ,
            Permission.MEMBER_READ,
            Permission.AGENT_READ,
            Permission.AGENT_CREATE,
            Permission.AGENT_UPDATE,
            Permission.TOOL_READ,
            Permission.TOOL_CONFIGURE,
            Permission.CALL_READ,
            Permission.CALL_CREATE,
        }
    ),
    BuiltinRole.BILLING: frozenset(
        {
            Permission.ORG_READ,
            Permission.MEMBER_READ,
            Permission.CALL_READ,
            Permission.BILLING_READ,
            Permission.BILLING_MANAGE,
        }
    ),
}

# Roles that can be held inside an organization (membership, invitation, API key).
# platform_admin is a property of a user, granted only by `voiceagents create-admin`.
ASSIGNABLE_BUILTIN_ROLES = (BuiltinRole.ORG_ADMIN, BuiltinRole.MEMBER, BuiltinRole.BILLING)
