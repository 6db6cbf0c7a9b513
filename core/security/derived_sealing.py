"""Sealing tiers the API process may open itself: keys derived from ENCRYPTION_KEYS.

Tool secrets are opened only by the worker (core/security/unsealing.py). Some secrets the
API process must open to do its own work: a mail's single-use links (its mail sender) and a
partner endpoint's signing secret (its webhook dispatcher). Each of these gets keys of its
own, derived from every ENCRYPTION_KEYS key with HKDF under the tier's name (the same key
ids, so they rotate with ENCRYPTION_KEYS). A tier's keys open nothing of another tier and no
tool secret, and the API process still never imports the tool-secret unsealing path.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.security.sealing import _NONCE_BYTES, VERSION, SealContext


class DerivedSealError(Exception):
    """The sealed value does not open here (another row, a retired key, tampered)."""


def derived_keys(keys: dict[str, bytes], *, tier: bytes) -> dict[str, bytes]:
    """The tier's key for each ENCRYPTION_KEYS key, under the same key ids, in order."""
    return {
        key_id: HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=tier).derive(key)
        for key_id, key in keys.items()
    }


def open_derived(sealed: str, *, context: SealContext, keys: dict[str, bytes]) -> Any:
    """The JSON value sealed with one of the tier's `keys` to `context`."""
    parts = sealed.split(".")
    if len(parts) != 3 or parts[0] != VERSION or parts[1] not in keys:
        raise DerivedSealError("not a value sealed with a key listed here")
    try:
        raw = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
        plaintext = AESGCM(keys[parts[1]]).decrypt(
            raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.associated_data()
        )
        return json.loads(plaintext)
    except (InvalidTag, ValueError, binascii.Error) as error:
        raise DerivedSealError("the sealed value does not open for this row") from error
