"""Global ids (Relay) in and out of tests."""

from __future__ import annotations

import uuid

from graphql_api import ids


def uuid_of(global_id: str) -> uuid.UUID:
    """The database id inside a global id."""
    decoded = ids.decode_any(global_id)
    assert decoded is not None, global_id
    return decoded[1]


def type_of(global_id: str) -> str:
    decoded = ids.decode_any(global_id)
    assert decoded is not None, global_id
    return decoded[0]


def global_id(type_name: str, database_id: uuid.UUID) -> str:
    return ids.encode(type_name, database_id)


def fake_global_id(type_name: str) -> str:
    """A well-formed global id of an object that does not exist."""
    return ids.encode(type_name, uuid.uuid4())
