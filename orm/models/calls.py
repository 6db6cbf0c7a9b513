"""Calls and their append-only timelines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel, nullable_text_field

if TYPE_CHECKING:
    from orm.models.agents import VoiceAgent
    from orm.models.organizations import Organization


class Call(TimestampedModel):
    # Null only for a call to a number no agent has: refused, kept for platform admins.
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="calls", null=True, on_delete=fields.CASCADE
    )
    organization_id: UUID | None
    # Kept when the agent is deleted: the record outlives it.
    agent: fields.ForeignKeyNullableRelation[VoiceAgent] = fields.ForeignKeyField(
        "models.VoiceAgent", related_name="calls", null=True, on_delete=fields.SET_NULL
    )
    agent_id: UUID | None
    direction = fields.CharField(max_length=8)
    from_number = fields.CharField(max_length=32)
    to_number = fields.CharField(max_length=32)
    status = fields.CharField(max_length=16, db_index=True)
    ended_reason = fields.CharField(max_length=64, null=True)
    twilio_call_sid = fields.CharField(max_length=64, unique=True, null=True)
    livekit_room = fields.CharField(max_length=128, unique=True, null=True)
    # What the agent was when the call began: prompt, greeting, voice, enabled tools.
    snapshot: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    answered_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    duration_seconds = fields.IntField(null=True)
    # The last sequence number used in call_events (events are numbered per call).
    last_event_seq = fields.IntField(default=0, db_default=0)

    class Meta:
        table = "calls"


class CallEvent(TimestampedModel):
    call: fields.ForeignKeyRelation[Call] = fields.ForeignKeyField(
        "models.Call", related_name="events", on_delete=fields.CASCADE
    )
    call_id: UUID
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="call_events", null=True, on_delete=fields.CASCADE
    )
    organization_id: UUID | None
    seq = fields.IntField()
    type = fields.CharField(max_length=40)
    occurred_at = fields.DatetimeField()
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    class Meta:
        table = "call_events"
        unique_together = (("call", "seq"),)
        # A dashboard stream's read of the record: its organization's events since a moment
        # (core/services/call_streams.py), a range of this index, not a scan of the table.
        indexes = (("organization_id", "occurred_at"),)


class CallAnalysis(TimestampedModel):
    """The post-call analysis of one call: a durable job until it is done, then its result.

    Written in the transaction that ends the call; claimed by a worker process
    (core/jobs.py), which asks the model and stores the result here (core/analysis)."""

    call: fields.OneToOneRelation[Call] = fields.OneToOneField(
        "models.Call", related_name="analysis", on_delete=fields.CASCADE
    )
    call_id: UUID
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="call_analyses", on_delete=fields.CASCADE
    )
    organization_id: UUID
    # pending -> completed | failed (gave up after retries; `error` says why)
    status = fields.CharField(max_length=16, default="pending", db_default="pending", db_index=True)
    attempts = fields.IntField(default=0, db_default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    # Whoever is analysing it; a crashed worker's claim expires (SQLite; PostgreSQL also
    # locks the row with SKIP LOCKED while claiming).
    claimed_until = fields.DatetimeField(null=True)
    summary = nullable_text_field()
    # {"kind": "pass_fail"|"score"|"criteria", ...} as the plan's rubric asked.
    success_evaluation: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    structured_data: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    model = fields.CharField(max_length=64, default="", db_default="")
    latency_ms = fields.IntField(null=True)
    error = fields.CharField(max_length=300, null=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "call_analyses"
