"""Voice agents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel

if TYPE_CHECKING:
    from orm.models.organizations import Organization
    from orm.models.phone_numbers import PhoneNumber


class VoiceAgent(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="agents", on_delete=fields.CASCADE
    )
    organization_id: UUID
    name = fields.CharField(max_length=100)
    system_prompt = fields.TextField()
    greeting = fields.TextField(default="", db_default="")
    # The organization's number that routes calls to this agent and that it calls from; one
    # number, one agent. Null: it takes no calls and places none.
    phone_number: fields.OneToOneNullableRelation[PhoneNumber] = fields.OneToOneField(
        "models.PhoneNumber", related_name="agent", null=True, on_delete=fields.SET_NULL
    )
    phone_number_id: UUID | None
    voice = fields.CharField(max_length=40)
    language = fields.CharField(max_length=16)
    is_active = fields.BooleanField(default=True, db_default=True)
    max_call_duration_seconds = fields.IntField(default=1800, db_default=1800)
    # Where "transfer to a human" goes: an E.164 number or a sip: URI; null disables it.
    transfer_to = fields.CharField(max_length=300, null=True)
    # How the agent hands a caller over: "cold" (SIP REFER at once) or "warm" (the agent
    # briefs the person first); core.call_events.TransferMode.
    transfer_mode = fields.CharField(max_length=8, default="cold", db_default="cold")
    # What the agent does when an outgoing call reaches an answering machine: "hang_up" or
    # "leave_message" (the message below, or a short one the model composes when empty).
    voicemail_action = fields.CharField(max_length=16, default="hang_up", db_default="hang_up")
    voicemail_message = fields.TextField(default="", db_default="")
    # What is asked of the model after each call (core/analysis): summary prompt, success
    # rubric, structured-data JSON Schema. Null: the defaults (a short summary only).
    analysis_plan: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)

    class Meta:
        table = "voice_agents"
