"""What the refresh grace window keeps: a refresh token's successor pair, sealed under a key
derived from that (old) token.

Only a digest of the old token is stored, so the sealed pair opens only for whoever presents
the old token again, which is exactly who the window serves (a second tab, a retry). A dump of
the database holds nothing that opens it, and no server key is involved.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"voiceagents refresh successor"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class Successor:
    refresh_token: str
    refresh_token_expires_at: datetime
    access_token: str
    access_token_expires_at: datetime


def seal_successor(successor: Successor, *, old_token: str, row_id: uuid.UUID) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    plaintext = json.dumps(
        {
            "refresh_token": successor.refresh_token,
            "refresh_token_expires_at": successor.refresh_token_expires_at.isoformat(),
            "access_token": successor.access_token,
            "access_token_expires_at": successor.access_token_expires_at.isoformat(),
        }
    ).encode()
    sealed = AESGCM(_key(old_token)).encrypt(nonce, plaintext, str(row_id).encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def open_successor(sealed: str, *, old_token: str, row_id: uuid.UUID) -> Successor | None:
    """The successor pair, or None when it does not open with this token for this row."""
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        plaintext = AESGCM(_key(old_token)).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], str(row_id).encode()
        )
        value = json.loads(plaintext)
        return Successor(
            refresh_token=value["refresh_token"],
            refresh_token_expires_at=datetime.fromisoformat(value["refresh_token_expires_at"]),
            access_token=value["access_token"],
            access_token_expires_at=datetime.fromisoformat(value["access_token_expires_at"]),
        )
    except (InvalidTag, ValueError, KeyError, TypeError, binascii.Error):
        return None


def _key(old_token: str) -> bytes:
    # The token carries 256 random bits: HKDF without a salt is enough to make it a key.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        old_token.encode()
    )
