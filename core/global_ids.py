"""The public id of a row, the same in every transport: URL-safe base64, without padding, of
"<TypeName>:<uuid>" (Relay's global ids).

The GraphQL API (graphql_api/ids.py) issues and reads them; the OAuth callback names the
agent tool it connected by the same id in its redirect to the dashboard. Ids issued before
schema v1 were standard base64 with padding; both forms are read.
"""

from __future__ import annotations

import base64
import binascii
import uuid

# Longer than any id we issue ("CreditLedgerEntry:<uuid>" is 72 characters encoded).
MAX_ID_LENGTH = 200


def encode(type_name: str, value: uuid.UUID | str) -> str:
    raw = f"{type_name}:{value}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def split(global_id: str) -> tuple[str, str]:
    """The type name and the raw id inside a global id, in either form; ValueError if it is
    not one."""
    if not isinstance(global_id, str) or len(global_id) > MAX_ID_LENGTH:
        raise ValueError("not a global id")
    # One alphabet for both forms: the URL-safe letters become the standard ones.
    body = global_id.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        text = base64.b64decode(body + "=" * (-len(body) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as error:
        raise ValueError("not a global id") from error
    type_name, separator, raw = text.partition(":")
    if not separator or not type_name:
        raise ValueError("not a global id")
    return type_name, raw
