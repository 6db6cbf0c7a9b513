"""Phone numbers an organization holds at the carrier (Twilio), each routing to one agent."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel

if TYPE_CHECKING:
    from orm.models.agents import VoiceAgent
    from orm.models.organizations import Organization


class PhoneNumber(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="phone_numbers", on_delete=fields.CASCADE
    )
    organization_id: UUID
    # E.164, unique across the platform: a number has one holder, and calls to it reach one
    # agent. A released number's row stays (the record) until someone holds the number again.
    e164 = fields.CharField(max_length=20, unique=True)
    provider = fields.CharField(max_length=16, default="twilio", db_default="twilio")
    # The carrier's id of the number (Twilio: the IncomingPhoneNumber SID, PN...). Null for a
    # number moved over from an agent before numbers were owned, until it is imported.
    provider_sid = fields.CharField(max_length=64, unique=True, null=True)
    voice_capable = fields.BooleanField(default=True, db_default=True)
    sms_capable = fields.BooleanField(default=False, db_default=False)
    # `active` while the organization holds it, `released` once given back to the carrier.
    status = fields.CharField(max_length=16, default="active", db_default="active")
    friendly_name = fields.CharField(max_length=64, default="", db_default="")
    released_at = fields.DatetimeField(null=True)

    agent: fields.BackwardOneToOneRelation[VoiceAgent]

    class Meta:
        table = "phone_numbers"
