"""Phone numbers, always stored in E.164."""

from __future__ import annotations

import phonenumbers


def to_e164(raw: str, *, default_region: str) -> str | None:
    """The E.164 form of a valid number, or None when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(raw.strip(), default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
