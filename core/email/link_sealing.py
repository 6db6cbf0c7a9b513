"""Sealing a mail's secret values (its single-use links) to its outbox row, and opening them.

The API process seals them when it queues the mail and opens them when it sends it (the sender
runs in every API replica), with the mail-link tier's keys (core/security/derived_sealing.py),
never ENCRYPTION_KEYS themselves. So the tiers hold (docs/tools.md): this module cannot open a
tool secret, nothing else can open a mail link, and the API process still never imports
core/security/unsealing.py.

A sealed value is `v1.<key id>.<base64url(nonce || ciphertext+tag)>`, like every sealed value,
bound to the row as associated data ("email_outbox|<row id>|<nil>|sealed_values").
"""

from __future__ import annotations

import uuid

from core.security.derived_sealing import DerivedSealError, derived_keys, open_derived
from core.security.sealing import SealContext, seal
from core.settings import Settings, parse_encryption_keys

_INFO = b"voiceagents mail links"
# Mail belongs to no organization.
_NO_ORGANIZATION = uuid.UUID(int=0)


class LinkSealError(Exception):
    """The sealed links do not open here (another row, a retired key, tampered)."""


def mail_link_keys(keys: dict[str, bytes]) -> dict[str, bytes]:
    """The mail-link key of each ENCRYPTION_KEYS key, under the same key ids, in order."""
    return derived_keys(keys, tier=_INFO)


def mail_link_keys_of(settings: Settings) -> dict[str, bytes]:
    return mail_link_keys(parse_encryption_keys(settings.encryption_keys.get_secret_value()))


def seal_links(values: dict[str, str], *, mail_id: uuid.UUID, keys: dict[str, bytes]) -> str:
    """Seal a mail's secret values with the active (first) mail-link key."""
    return seal(values, context=_context(mail_id), keys=keys)


def open_links(sealed: str, *, mail_id: uuid.UUID, keys: dict[str, bytes]) -> dict[str, str]:
    """The secret values sealed to this mail."""
    try:
        values = open_derived(sealed, context=_context(mail_id), keys=keys)
    except DerivedSealError as error:
        raise LinkSealError(str(error)) from error
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise LinkSealError("the sealed links are not text values")
    return values


def _context(mail_id: uuid.UUID) -> SealContext:
    return SealContext(
        table="email_outbox",
        row_id=mail_id,
        organization_id=_NO_ORGANIZATION,
        column="sealed_values",
    )
