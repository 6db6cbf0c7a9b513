"""Unsealing secrets: only the worker-side tool loader and key rotation import this.

`tests/test_secret_boundaries.py` fails if the API server's modules import it.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.security.sealing import _NONCE_BYTES, VERSION, SealContext


class UnsealError(Exception):
    """The value cannot be decrypted here (wrong row, unknown key, tampered). Never holds it."""


def unseal(sealed: str, *, context: SealContext, keys: dict[str, bytes]) -> dict[str, Any]:
    parts = sealed.split(".")
    if len(parts) != 3 or parts[0] != VERSION:
        raise UnsealError("not a sealed value")
    _, key_id, body = parts
    key = keys.get(key_id)
    if key is None:
        raise UnsealError(f"key {key_id!r} is not in ENCRYPTION_KEYS")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plaintext = AESGCM(key).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.associated_data()
        )
        value = json.loads(plaintext)
    except (InvalidTag, ValueError, binascii.Error) as error:
        raise UnsealError("the sealed value does not decrypt for this row") from error
    if not isinstance(value, dict):
        raise UnsealError("the sealed value is not an object")
    return value
