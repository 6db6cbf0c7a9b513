"""The platform's Twilio numbers: search what is for sale, buy, find, configure, release.

Each function is one documented REST call
(https://www.twilio.com/docs/phone-numbers/api/availablephonenumberlocal-resource,
https://www.twilio.com/docs/phone-numbers/api/incomingphonenumber-resource), made with the
official SDK on the platform's account (core/integrations/twilio_rest.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from core.integrations.twilio_rest import (
    TwilioRefused,
    TwilioUnavailable,
    call_twilio,
    twilio_client,
)
from core.settings import Settings

__all__ = [
    "AvailableNumber",
    "NumberKind",
    "ProviderNumber",
    "TwilioNumbers",
    "TwilioRefused",
    "TwilioUnavailable",
]

# Twilio's error codes these calls expect (https://www.twilio.com/docs/api/errors/<code>).
NOT_FOUND = 20404
NUMBER_NOT_AVAILABLE = 21422
NUMBER_INVALID = 21421


class NumberKind(enum.StrEnum):
    LOCAL = "local"
    TOLL_FREE = "toll_free"


@dataclass(frozen=True)
class AvailableNumber:
    """A number for sale."""

    e164: str
    friendly_name: str
    locality: str | None
    region: str | None
    iso_country: str
    voice: bool
    sms: bool


@dataclass(frozen=True)
class ProviderNumber:
    """A number in the platform's account (an IncomingPhoneNumber)."""

    sid: str
    e164: str
    friendly_name: str
    voice: bool
    sms: bool
    voice_url: str
    status_callback: str


class TwilioNumbers:
    def __init__(self, settings: Settings) -> None:
        self._client = twilio_client(settings)
        self._account = self._client.api.v2010.accounts(settings.twilio_account_sid)

    async def search(
        self,
        *,
        country: str,
        kind: NumberKind,
        area_code: str | None,
        contains: str | None,
        limit: int,
    ) -> list[AvailableNumber]:
        """Numbers for sale that can take calls; none found is an empty list."""
        country_numbers = self._account.available_phone_numbers(country)
        resource = country_numbers.local if kind is NumberKind.LOCAL else country_numbers.toll_free
        filters: dict[str, Any] = {"voice_enabled": True, "limit": limit, "page_size": limit}
        if area_code:
            filters["area_code"] = int(area_code)
        if contains:
            filters["contains"] = contains
        found = await call_twilio(resource.list_async(**filters))
        return [
            AvailableNumber(
                e164=str(offer.phone_number),
                friendly_name=str(offer.friendly_name or offer.phone_number),
                locality=offer.locality or None,
                region=offer.region or None,
                iso_country=str(offer.iso_country or country),
                voice=bool(_capabilities(offer).get("voice")),
                sms=bool(_capabilities(offer).get("SMS") or _capabilities(offer).get("sms")),
            )
            for offer in found
        ]

    async def buy(self, *, e164: str, voice_url: str, status_callback: str) -> ProviderNumber:
        """Buy a number for sale, its calls and their statuses sent to our webhooks."""
        bought = await call_twilio(
            self._account.incoming_phone_numbers.create_async(
                phone_number=e164,
                voice_url=voice_url,
                voice_method="POST",
                status_callback=status_callback,
                status_callback_method="POST",
            )
        )
        return _provider_number(bought)

    async def find(self, *, e164: str) -> ProviderNumber | None:
        """The account's number with exactly this E.164, if it has it."""
        # The filter matches partial numbers too; only the exact one counts.
        found = await call_twilio(
            self._account.incoming_phone_numbers.list_async(phone_number=e164, limit=20)
        )
        return next(
            (_provider_number(n) for n in found if n.phone_number == e164),
            None,
        )

    async def configure(self, *, sid: str, voice_url: str, status_callback: str) -> ProviderNumber:
        """Send the number's calls and their statuses to our webhooks."""
        updated = await call_twilio(
            self._account.incoming_phone_numbers(sid).update_async(
                voice_url=voice_url,
                voice_method="POST",
                status_callback=status_callback,
                status_callback_method="POST",
            )
        )
        return _provider_number(updated)

    async def release(self, *, sid: str) -> None:
        """Give the number back to Twilio; one already gone counts as released."""
        try:
            await call_twilio(self._account.incoming_phone_numbers(sid).delete_async())
        except TwilioRefused as refused:
            if refused.code != NOT_FOUND:
                raise


def _capabilities(resource: Any) -> dict[str, Any]:
    capabilities = resource.capabilities
    return capabilities if isinstance(capabilities, dict) else {}


def _provider_number(resource: Any) -> ProviderNumber:
    capabilities = _capabilities(resource)
    return ProviderNumber(
        sid=str(resource.sid),
        e164=str(resource.phone_number),
        friendly_name=str(resource.friendly_name or resource.phone_number),
        voice=bool(capabilities.get("voice")),
        sms=bool(capabilities.get("sms")),
        voice_url=str(resource.voice_url or ""),
        status_callback=str(resource.status_callback or ""),
    )
