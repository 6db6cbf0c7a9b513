"""Mail owed to people, written in the transaction of the change that causes it."""

from tortoise import fields

from orm.models.base import TimestampedModel, nullable_text_field


class EmailOutbox(TimestampedModel):
    to_address = fields.CharField(max_length=320, db_index=True)
    template = fields.CharField(max_length=64)
    # Rendered with a placeholder where a secret value (a single-use link) goes; empty while
    # the mail is still to be composed.
    subject = fields.CharField(max_length=300)
    text_body = fields.TextField()
    html_body = fields.TextField()
    # Written by a request that must not reveal what it finds (a password reset, a sign-up):
    # the sender composes the mail, or drops it, when it sends (core/email/composition.py).
    to_compose = fields.BooleanField(default=False, db_default=False)
    # The secret values (links), sealed to this row (core/email/link_sealing.py); blanked once
    # the mail is sent or given up on, or its token is used, replaced or expired.
    sealed_values = nullable_text_field()
    # What the secret belongs to (e.g. "invitation:<id>"): forgetting it blanks the link.
    secret_ref = fields.CharField(max_length=80, null=True, db_index=True)
    secret_expires_at = fields.DatetimeField(null=True)
    # pending -> sent | logged (no provider configured) | failed (gave up after retries)
    #         | discarded (nothing to send: no such account, or the link died first)
    status = fields.CharField(max_length=16, default="pending", db_default="pending", db_index=True)
    attempts = fields.IntField(default=0, db_default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = nullable_text_field()
    provider_message_id = fields.CharField(max_length=100, null=True)
    sent_at = fields.DatetimeField(null=True)
    # Whoever is currently sending it; a crashed sender's claim expires.
    claimed_until = fields.DatetimeField(null=True)

    class Meta:
        table = "email_outbox"
