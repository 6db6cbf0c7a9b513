"""Global ids in the schema: reading them from arguments (a malformed or foreign id is
"not found"), and writing them for `Node.id` (core/global_ids.py holds the format)."""

from __future__ import annotations

import uuid

from core.global_ids import encode, split
from graphql_api.errors import NotFoundError

__all__ = ["decode", "decode_any", "encode", "split"]


def decode(global_id: str, expected_type: str) -> uuid.UUID:
    """The uuid inside a global id of the expected type; anything else is 'not found'."""
    try:
        type_name, raw = split(global_id)
        if type_name != expected_type:
            raise ValueError(type_name)
        return uuid.UUID(raw)
    except (ValueError, TypeError, AttributeError) as error:
        raise NotFoundError(expected_type) from error


def decode_any(global_id: str) -> tuple[str, uuid.UUID] | None:
    try:
        type_name, raw = split(global_id)
        return type_name, uuid.UUID(raw)
    except (ValueError, TypeError, AttributeError):
        return None
