"""The built-in roles as a GraphQL enum (custom roles have keys of their own)."""

from __future__ import annotations

import enum

import strawberry

from core.rbac import BuiltinRole as CoreBuiltinRole


@strawberry.enum(
    name="BuiltinRole",
    description="A role the platform defines; `permissions.md` lists what each may do.",
)
class BuiltinRole(enum.Enum):
    PLATFORM_ADMIN = strawberry.enum_value(
        CoreBuiltinRole.PLATFORM_ADMIN.value,
        description="Runs the platform: every permission, in every organization.",
    )
    ORG_ADMIN = strawberry.enum_value(
        CoreBuiltinRole.ORG_ADMIN.value,
        description="Every permission inside the organization.",
    )
    MEMBER = strawberry.enum_value(
        CoreBuiltinRole.MEMBER.value,
        description="Builds agents and tools and places calls; no billing, API keys or member "
        "changes.",
    )
    BILLING = strawberry.enum_value(
        CoreBuiltinRole.BILLING.value,
        description="Reads calls and members; manages billing.",
    )
