"""Tools: what the platform offers, how each agent uses it, and custom HTTP functions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel, nullable_text_field

if TYPE_CHECKING:
    from orm.models.accounts import User
    from orm.models.agents import VoiceAgent
    from orm.models.organizations import Organization


class PlatformTool(TimestampedModel):
    """A tool class in core/tools/implementations, as last synced (`voiceagents tools sync`)."""

    name = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=100)
    description = fields.TextField()
    # A platform admin's wording, shown instead of the code's description.
    custom_description = nullable_text_field()
    auth_type = fields.CharField(max_length=16)
    auth_config: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    config_schema: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    secret_config_schema: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    # [{"name", "description", "parameters"}] extracted from the @function_tool methods.
    tool_functions_schema: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    # False when the code no longer has the tool, or a platform admin switched it off.
    is_active = fields.BooleanField(default=True, db_default=True)
    # Whether the code still has it (sync sets this; an admin cannot bring back a removed tool).
    is_available = fields.BooleanField(default=True, db_default=True)
    synced_at = fields.DatetimeField(null=True)

    class Meta:
        table = "platform_tools"


class AgentTool(TimestampedModel):
    """A tool enabled on an agent, with its configuration and sealed secrets."""

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="agent_tools", on_delete=fields.CASCADE
    )
    organization_id: UUID
    agent: fields.ForeignKeyRelation[VoiceAgent] = fields.ForeignKeyField(
        "models.VoiceAgent", related_name="tools", on_delete=fields.CASCADE
    )
    agent_id: UUID
    tool: fields.ForeignKeyRelation[PlatformTool] = fields.ForeignKeyField(
        "models.PlatformTool", related_name="agent_tools", on_delete=fields.CASCADE
    )
    tool_id: UUID
    config: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    # Sealed JSON object (core/security/sealing.py); never returned by the API.
    sensitive_config = nullable_text_field()
    # Which secret fields are set, so the API can say so without unsealing anything.
    secret_fields_set: fields.JSONField[list[str]] = fields.JSONField(default=list)
    unselected_functions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_enabled = fields.BooleanField(default=True, db_default=True)
    # OAuth connection status, kept in the clear for the dashboard.
    oauth_account = fields.CharField(max_length=320, null=True)
    oauth_connected_at = fields.DatetimeField(null=True)
    oauth_expires_at = fields.DatetimeField(null=True)
    needs_reconnect = fields.BooleanField(default=False, db_default=False)
    reconnect_reason = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "agent_tools"
        unique_together = (("agent", "tool"),)


class OAuthState(TimestampedModel):
    """A started OAuth flow: the single-use nonce inside the signed `state`."""

    nonce_hash = fields.CharField(max_length=64, unique=True)
    agent_tool: fields.ForeignKeyRelation[AgentTool] = fields.ForeignKeyField(
        "models.AgentTool", related_name="oauth_states", on_delete=fields.CASCADE
    )
    agent_tool_id: UUID
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="oauth_states", on_delete=fields.CASCADE
    )
    user_id: UUID
    # PKCE verifier: useless without the authorization code Google sends only to our callback.
    code_verifier = fields.CharField(max_length=128)
    # Digest of the cookie set on the browser that started the flow; the callback needs it.
    browser_binding_hash = fields.CharField(max_length=64, null=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "oauth_states"


class TokenRevocation(TimestampedModel):
    """An OAuth grant to revoke at its provider; sent by the worker side, which can unseal."""

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="token_revocations", on_delete=fields.CASCADE
    )
    organization_id: UUID
    provider = fields.CharField(max_length=32)
    # The sealed tokens, moved here with the identity they were sealed under.
    sealed_tokens = fields.TextField()
    sealed_table = fields.CharField(max_length=64)
    sealed_row_id = fields.UUIDField()
    status = fields.CharField(max_length=16, default="pending", db_default="pending", db_index=True)
    attempts = fields.IntField(default=0, db_default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = nullable_text_field()

    class Meta:
        table = "token_revocations"


class CustomFunction(TimestampedModel):
    """An organization's own HTTP function (what other platforms call custom functions)."""

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="custom_functions", on_delete=fields.CASCADE
    )
    organization_id: UUID
    name = fields.CharField(max_length=64)
    description = fields.TextField()
    parameters: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    method = fields.CharField(max_length=8)
    url_template = fields.CharField(max_length=2000)
    headers: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    sealed_secret_headers = nullable_text_field()
    secret_header_names: fields.JSONField[list[str]] = fields.JSONField(default=list)
    timeout_seconds = fields.FloatField(default=10.0, db_default=10.0)
    is_active = fields.BooleanField(default=True, db_default=True)

    class Meta:
        table = "custom_functions"
        unique_together = (("organization", "name"),)


class AgentCustomFunction(TimestampedModel):
    """A custom function enabled on an agent."""

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="agent_custom_functions", on_delete=fields.CASCADE
    )
    organization_id: UUID
    agent: fields.ForeignKeyRelation[VoiceAgent] = fields.ForeignKeyField(
        "models.VoiceAgent", related_name="custom_functions", on_delete=fields.CASCADE
    )
    agent_id: UUID
    function: fields.ForeignKeyRelation[CustomFunction] = fields.ForeignKeyField(
        "models.CustomFunction", related_name="agents", on_delete=fields.CASCADE
    )
    function_id: UUID

    class Meta:
        table = "agent_custom_functions"
        unique_together = (("agent", "function"),)
