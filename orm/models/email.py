"""Mail owed to people, written in the transaction of the change that causes it."""

from tortoise import fields

from orm.models.base import TimestampedModel


class EmailOutbox(TimestampedModel):
    to_address = fields.CharField(max_length=320)
    template = fields.CharField(max_length=64)
    subject = fields.CharField(max_length=300)
    text_body = fields.TextField()
    html_body = fields.TextField()
    # pending -> sent | logged (no provider configured) | failed (gave up after retries)
    status = fields.CharField(max_length=16, default="pending", db_default="pending", db_index=True)
    attempts = fields.IntField(default=0, db_default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.TextField(null=True)
    provider_message_id = fields.CharField(max_length=100, null=True)
    sent_at = fields.DatetimeField(null=True)
    # Whoever is currently sending it; a crashed sender's claim expires.
    claimed_until = fields.DatetimeField(null=True)

    class Meta:
        table = "email_outbox"
