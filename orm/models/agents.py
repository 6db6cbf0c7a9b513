"""Voice agents."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel

if TYPE_CHECKING:
    from orm.models.organizations import Organization


class VoiceAgent(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="agents", on_delete=fields.CASCADE
    )
    organization_id: UUID
    name = fields.CharField(max_length=100)
    system_prompt = fields.TextField()
    greeting = fields.TextField(default="", db_default="")
    # E.164, unique across the platform: one number routes to exactly one agent.
    phone_number = fields.CharField(max_length=20, unique=True, null=True)
    voice = fields.CharField(max_length=40)
    language = fields.CharField(max_length=16)
    is_active = fields.BooleanField(default=True, db_default=True)
    max_call_duration_seconds = fields.IntField(default=1800, db_default=1800)
    # Where "transfer to a human" goes: an E.164 number or a sip: URI; null disables it.
    transfer_to = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "voice_agents"
