"""Columns every table shares, and the field helpers the models use."""

from typing import Any, cast

from tortoise import fields
from tortoise.models import Model


def nullable_text_field(**kwargs: Any) -> fields.Field[str | None]:
    """A TEXT column that may be null (Tortoise annotates every TextField as never null)."""
    return cast("fields.Field[str | None]", fields.TextField(null=True, **kwargs))


class TimestampedModel(Model):
    id = fields.UUIDField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True
