"""Sealing secrets at rest: AES-256-GCM, the row's identity as associated data.

A sealed value is `v1.<key id>.<base64url(nonce || ciphertext+tag)>`. The
associated data names the row the value belongs to (table, row id,
organization, column), so a ciphertext copied to another row or another
organization does not decrypt. The first key of ENCRYPTION_KEYS seals; every
listed key can unseal (core/security/unsealing.py), which is how keys rotate.

This module only seals. Unsealing lives apart so that the API process, which
stores secrets but never reads them back, does not import it.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class SealContext:
    """Where a sealed value lives; it is bound into the ciphertext."""

    table: str
    row_id: uuid.UUID
    organization_id: uuid.UUID
    column: str

    def associated_data(self) -> bytes:
        return f"{self.table}|{self.row_id}|{self.organization_id}|{self.column}".encode()


def seal(value: dict[str, Any], *, context: SealContext, keys: dict[str, bytes]) -> str:
    """Encrypt a JSON object with the active (first) key."""
    key_id, key = next(iter(keys.items()))
    nonce = os.urandom(_NONCE_BYTES)
    plaintext = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, context.associated_data())
    body = base64.urlsafe_b64encode(nonce + ciphertext).decode().rstrip("=")
    return f"{VERSION}.{key_id}.{body}"


def key_id_of(sealed: str) -> str | None:
    parts = sealed.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else None
