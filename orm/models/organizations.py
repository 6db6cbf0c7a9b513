"""Tenants, roles, memberships, invitations and API keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel

if TYPE_CHECKING:
    from orm.models.accounts import User


class Organization(TimestampedModel):
    name = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=64, unique=True)
    description = fields.TextField(default="", db_default="")
    website = fields.CharField(max_length=300, default="", db_default="")
    business_details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    is_active = fields.BooleanField(default=True, db_default=True)
    credit_balance = fields.BigIntField(default=0, db_default=0)
    stripe_customer_id = fields.CharField(max_length=100, unique=True, null=True)
    # ok | low | depleted: the last balance state mailed about, so each crossing mails once.
    balance_alert_state = fields.CharField(max_length=16, default="ok", db_default="ok")
    # Whoever created it: the welcome credits wait for this person's verified email, and an
    # unverified person may create only a few organizations.
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="created_organizations", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: UUID | None

    class Meta:
        table = "organizations"


class Role(TimestampedModel):
    key = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    description = fields.TextField(default="", db_default="")
    is_builtin = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "roles"


class RolePermission(TimestampedModel):
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="permissions", on_delete=fields.CASCADE
    )
    role_id: UUID
    permission = fields.CharField(max_length=64)

    class Meta:
        table = "role_permissions"
        unique_together = (("role", "permission"),)


class Membership(TimestampedModel):
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: UUID
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="memberships", on_delete=fields.CASCADE
    )
    organization_id: UUID
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="memberships", on_delete=fields.RESTRICT
    )
    role_id: UUID

    class Meta:
        table = "memberships"
        unique_together = (("user", "organization"),)


class Invitation(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="invitations", on_delete=fields.CASCADE
    )
    organization_id: UUID
    email = fields.CharField(max_length=320)
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="invitations", on_delete=fields.RESTRICT
    )
    role_id: UUID
    token_hash = fields.CharField(max_length=64, unique=True)
    invited_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sent_invitations", null=True, on_delete=fields.SET_NULL
    )
    invited_by_id: UUID | None
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "invitations"


class ApiKey(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="api_keys", on_delete=fields.CASCADE
    )
    organization_id: UUID
    name = fields.CharField(max_length=100)
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="api_keys", on_delete=fields.RESTRICT
    )
    role_id: UUID
    # The public part of the key, shown in lists so people can tell keys apart.
    prefix = fields.CharField(max_length=16, unique=True)
    key_hash = fields.CharField(max_length=64)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="api_keys", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: UUID | None
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_keys"
