"""Opaque global ids: base64 of "<TypeName>:<uuid>" (Relay)."""

from __future__ import annotations

import uuid

from strawberry.relay import from_base64, to_base64

from graphql_api.errors import NotFoundError


def encode(type_name: str, value: uuid.UUID | str) -> str:
    return to_base64(type_name, str(value))


def decode(global_id: str, expected_type: str) -> uuid.UUID:
    """The uuid inside a global id of the expected type; anything else is 'not found'."""
    try:
        type_name, raw = from_base64(global_id)
        if type_name != expected_type:
            raise ValueError(type_name)
        return uuid.UUID(raw)
    except (ValueError, TypeError, AttributeError) as error:
        raise NotFoundError(expected_type) from error


def decode_any(global_id: str) -> tuple[str, uuid.UUID] | None:
    try:
        type_name, raw = from_base64(global_id)
        return type_name, uuid.UUID(raw)
    except (ValueError, TypeError, AttributeError):
        return None
