"""Phone numbers an organization holds: search, buy, import, release, and which agent answers.

Numbers live in the platform's Twilio account (TWILIO_ACCOUNT_SID); the `phone_numbers` table
says which organization holds each. An organization gets a number by buying it (Twilio sells
it to the platform's account) or by importing one the account already has (bought in
Twilio's console, ported in): the account proves the platform holds the number, the table
gives it to one organization. Either way the number's voice URL and status callback are
pointed at our webhooks. A number some organization holds is answered exactly like one the
account does not have, so nobody learns which numbers others use.

An organization's number is claimed in the table before Twilio is asked (so two
organizations cannot both get it) and the claim is withdrawn when Twilio refuses. A number
whose row has no Twilio SID (moved over from an agent by the migration, or claimed by a
purchase whose answer was lost) is linked by importing it.
"""

from __future__ import annotations

import contextlib
import enum
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core import tenancy
from core.errors import DescribedEnum, NotFound, ServiceError
from core.inputs import Invalid, clean, given
from core.integrations.twilio_numbers import NUMBER_INVALID as TWILIO_NUMBER_INVALID
from core.integrations.twilio_numbers import (
    AvailableNumber,
    NumberKind,
    ProviderNumber,
    TwilioNumbers,
    TwilioRefused,
    TwilioUnavailable,
)
from core.phone_numbers import to_e164
from core.settings import Settings
from orm.models import Organization, PhoneNumber, VoiceAgent

__all__ = [
    "AvailableNumber",
    "NumberImport",
    "NumberKind",
    "NumberPurchase",
    "NumberSearch",
    "PhoneNumberErrorCode",
    "PhoneNumberStatus",
]

# Where Twilio sends a number's calls and their statuses (webhooks/twilio.py serves them).
VOICE_WEBHOOK_PATH = "/webhooks/twilio/voice"
STATUS_WEBHOOK_PATH = "/webhooks/twilio/status"
MAX_SEARCH_RESULTS = 50
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_AREA_CODE_RE = re.compile(r"^[2-9][0-9]{2}$")
# Twilio's `Contains`: 2 to 16 digits, letters (as on a keypad) or `*` (any one digit).
_CONTAINS_RE = re.compile(r"^[0-9A-Za-z*]{2,16}$")


class PhoneNumberStatus(enum.StrEnum):
    ACTIVE = "active"
    RELEASED = "released"


class PhoneNumberErrorCode(DescribedEnum):
    INVALID_COUNTRY = "invalid_country", "`country` is not a two-letter ISO country code."
    INVALID_AREA_CODE = "invalid_area_code", "`areaCode` is not a three-digit area code."
    INVALID_CONTAINS = (
        "invalid_contains",
        "`contains` is not 2 to 16 digits, letters or `*` (any one digit).",
    )
    INVALID_PHONE_NUMBER = "invalid_phone_number", "`phoneNumber` is not a valid phone number."
    INVALID_LIMIT = "invalid_limit", f"`limit` is not between 1 and {MAX_SEARCH_RESULTS}."
    NUMBER_NOT_AVAILABLE = (
        "number_not_available",
        "The number cannot be had: to buy, it is not for sale; to import, it is not in the "
        "platform's Twilio account for anyone to take. The answer never says which numbers "
        "other organizations hold.",
    )
    NUMBER_IN_USE = (
        "number_in_use",
        "An agent answers this number; unassign it first (`agentUpdate` with "
        "`phoneNumberId: null`).",
    )
    TELEPHONY_UNAVAILABLE = (
        "telephony_unavailable",
        "Twilio is not configured on this platform or did not answer; nothing changed. Try "
        "again shortly.",
    )


@dataclass(frozen=True, kw_only=True)
class NumberSearch:
    """What numbers for sale to look for."""

    country: str = "US"
    kind: NumberKind = NumberKind.LOCAL
    area_code: str | None = None
    contains: str | None = None
    limit: int = 20


@dataclass(frozen=True, kw_only=True)
class NumberPurchase:
    """A number for sale to buy (one `search` found)."""

    phone_number: str


@dataclass(frozen=True, kw_only=True)
class NumberImport:
    """A number of the platform's Twilio account to take."""

    phone_number: str


# --- reading ---------------------------------------------------------------------------------


def get_all(*, organization_id: uuid.UUID) -> QuerySet[PhoneNumber]:
    """The numbers the organization holds, newest first (a queryset, for pagination)."""
    return PhoneNumber.filter(
        organization_id=organization_id, status=PhoneNumberStatus.ACTIVE.value
    ).order_by("-created_at", "-id")


async def get(*, organization_id: uuid.UUID, phone_number_id: uuid.UUID) -> PhoneNumber:
    """One number of this organization (held or released)."""
    number = await PhoneNumber.get_or_none(id=phone_number_id, organization_id=organization_id)
    if number is None:
        raise NotFound("PhoneNumber")
    return number


async def e164_of(agent: VoiceAgent) -> str | None:
    """The agent's number in E.164, or None when it has none."""
    if agent.phone_number_id is None:
        return None
    number = await PhoneNumber.get_or_none(id=agent.phone_number_id)
    return number.e164 if number is not None else None


@dataclass(frozen=True)
class Route:
    """Where a call to one of our numbers goes."""

    # The organization holding the number; None: nobody on the platform holds it.
    organization_id: uuid.UUID | None
    # The agent answering it (its organization loaded); None: no agent is assigned.
    agent: VoiceAgent | None


async def route(e164: str) -> Route:
    """Who answers a call to this number: the agent its holder assigned to it."""
    number = await PhoneNumber.get_or_none(e164=e164, status=PhoneNumberStatus.ACTIVE.value)
    if number is None:
        return Route(None, None)
    agent = await VoiceAgent.get_or_none(phone_number_id=number.id).select_related("organization")
    return Route(number.organization_id, agent)


# --- searching and buying -------------------------------------------------------------------


async def search(*, query: NumberSearch, settings: Settings) -> list[AvailableNumber]:
    """Numbers for sale that can take calls (the platform's Twilio account would buy them)."""
    cleaned = await clean(
        given(query),
        {
            "country": _country,
            "area_code": _area_code,
            "contains": _contains,
            "limit": _limit,
        },
    )
    try:
        return await _twilio(settings).search(
            country=cleaned["country"],
            kind=query.kind,
            area_code=cleaned.get("area_code"),
            contains=cleaned.get("contains"),
            limit=cleaned["limit"],
        )
    except TwilioRefused as refused:
        # A country Twilio sells nothing in (20404) finds nothing; anything else is ours.
        if refused.code == 20404:
            return []
        raise _unavailable() from refused
    except TwilioUnavailable as failure:
        raise _unavailable() from failure


async def buy(
    *, organization: Organization, purchase: NumberPurchase, settings: Settings
) -> PhoneNumber:
    """Buy a number for sale for the organization; its calls come to our webhooks."""
    e164 = (await clean(given(purchase), {"phone_number": _number(settings)}))["phone_number"]
    twilio = _twilio(settings)
    claim = await _claim(organization, e164, twilio)
    try:
        bought = await twilio.buy(e164=e164, **_webhooks(settings))
    except TwilioRefused as refused:
        await claim.delete()
        if refused.code == TWILIO_NUMBER_INVALID:
            raise _invalid_number() from refused
        raise _not_available() from refused
    except TwilioUnavailable as failure:
        await claim.delete()
        raise _unavailable() from failure
    return await _link(claim, bought)


async def import_number(
    *, organization: Organization, request: NumberImport, settings: Settings
) -> PhoneNumber:
    """Take a number the platform's Twilio account has and no organization holds, and point
    its calls at our webhooks. Importing a number the organization already holds links it to
    Twilio again (and sets its webhooks): how numbers without a Twilio SID get one."""
    e164 = (await clean(given(request), {"phone_number": _number(settings)}))["phone_number"]
    twilio = _twilio(settings)
    held = await PhoneNumber.get_or_none(e164=e164, status=PhoneNumberStatus.ACTIVE.value)
    if held is not None and held.organization_id != organization.id:
        await _ask_twilio_anyway(twilio, e164)
        raise _not_available()
    claim = held or await _claim(organization, e164, twilio)
    try:
        found = await twilio.find(e164=e164)
        configured = (
            None if found is None else await twilio.configure(sid=found.sid, **_webhooks(settings))
        )
    except TwilioRefused as refused:
        await _withdraw(claim, held)
        raise _not_available() from refused
    except TwilioUnavailable as failure:
        await _withdraw(claim, held)
        raise _unavailable() from failure
    if configured is None:
        await _withdraw(claim, held)
        raise _not_available()
    return await _link(claim, configured)


async def release(*, number: PhoneNumber, settings: Settings) -> PhoneNumber:
    """Give the number back to Twilio; refused while an agent answers it. Its row stays, as
    released, until someone holds the number again."""
    if number.status == PhoneNumberStatus.RELEASED.value:
        return number
    twilio = _twilio(settings)
    released_at = datetime.now(UTC)
    # Marked released first, under the row's lock, so no agent is assigned meanwhile
    # (assignment takes the same lock and wants an active number).
    async with in_transaction():
        locked = await PhoneNumber.select_for_update().get(id=number.id)
        if await VoiceAgent.filter(phone_number_id=number.id).exists():
            raise ServiceError.single(
                PhoneNumberErrorCode.NUMBER_IN_USE,
                "An agent answers this number. Give the agent another number or none first.",
            )
        if locked.status == PhoneNumberStatus.RELEASED.value:
            return locked
        locked.status, locked.released_at = PhoneNumberStatus.RELEASED.value, released_at
        await locked.save(update_fields=["status", "released_at", "updated_at"])
    try:
        sid = number.provider_sid
        if sid is None:
            found = await twilio.find(e164=number.e164)
            sid = found.sid if found is not None else None
        if sid is not None:
            await twilio.release(sid=sid)
    except (TwilioRefused, TwilioUnavailable) as failure:
        # Twilio still has it: the organization still holds it.
        await PhoneNumber.filter(id=number.id, released_at=released_at).update(
            status=PhoneNumberStatus.ACTIVE.value, released_at=None
        )
        raise _unavailable() from failure
    return locked


# --- agents ----------------------------------------------------------------------------------


async def assignable(
    *, organization_id: uuid.UUID, phone_number_id: uuid.UUID
) -> PhoneNumber | None:
    """The organization's held number with this id, locked for the caller's transaction (the
    caller then assigns it); None when the organization holds no such number."""
    return (
        await PhoneNumber.select_for_update()
        .filter(
            id=phone_number_id,
            organization_id=organization_id,
            status=PhoneNumberStatus.ACTIVE.value,
        )
        .first()
    )


# --- helpers ---------------------------------------------------------------------------------


def _twilio(settings: Settings) -> TwilioNumbers:
    try:
        return TwilioNumbers(settings)
    except TwilioUnavailable as failure:
        raise _unavailable() from failure


def _webhooks(settings: Settings) -> dict[str, str]:
    base = settings.public_base_url.rstrip("/")
    return {
        "voice_url": base + VOICE_WEBHOOK_PATH,
        "status_callback": base + STATUS_WEBHOOK_PATH,
    }


async def _claim(organization: Organization, e164: str, twilio: TwilioNumbers) -> PhoneNumber:
    """A row holding the number for the organization, before Twilio is asked; a released
    row of the number makes way for it."""
    try:
        async with in_transaction():
            # Whichever organization released it (its row is out of this one's reach).
            await tenancy.clear_released_number(e164)
            return await PhoneNumber.create(
                organization=organization, e164=e164, friendly_name=e164
            )
    except IntegrityError as error:  # someone holds it, or claimed it a moment ago
        await _ask_twilio_anyway(twilio, e164)
        raise _not_available() from error


async def _ask_twilio_anyway(twilio: TwilioNumbers, e164: str) -> None:
    """One request to Twilio about a number some organization holds, whose answer is not
    used: a refusal then takes as long as for a number Twilio refuses, so timing does not
    tell which numbers others hold either."""
    with contextlib.suppress(TwilioRefused, TwilioUnavailable):
        await twilio.find(e164=e164)


async def _withdraw(claim: PhoneNumber, held: PhoneNumber | None) -> None:
    """Take back a claim made for this request (a number held before it stays held)."""
    if held is None:
        await claim.delete()


async def _link(claim: PhoneNumber, provider: ProviderNumber) -> PhoneNumber:
    claim.provider_sid = provider.sid
    claim.friendly_name = provider.friendly_name[:64]
    claim.voice_capable = provider.voice
    claim.sms_capable = provider.sms
    await claim.save(
        update_fields=[
            "provider_sid",
            "friendly_name",
            "voice_capable",
            "sms_capable",
            "updated_at",
        ]
    )
    return claim


def _number(settings: Settings) -> Callable[[str], str]:
    def rule(value: str) -> str:
        e164 = to_e164(value or "", default_region=settings.default_phone_region)
        if e164 is None:
            raise Invalid(
                "Enter a valid phone number, such as +14155550123.",
                PhoneNumberErrorCode.INVALID_PHONE_NUMBER,
            )
        return e164

    return rule


def _country(value: str) -> str:
    country = (value or "").strip().upper()
    if not _COUNTRY_RE.match(country):
        raise Invalid(
            "Use a two-letter country code such as US.", PhoneNumberErrorCode.INVALID_COUNTRY
        )
    return country


def _area_code(value: str | None) -> str | None:
    area_code = (value or "").strip()
    if not area_code:
        return None
    if not _AREA_CODE_RE.match(area_code):
        raise Invalid(
            "Use a three-digit area code such as 415.", PhoneNumberErrorCode.INVALID_AREA_CODE
        )
    return area_code


def _limit(value: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_SEARCH_RESULTS
    ):
        raise Invalid(
            f"Ask for 1 to {MAX_SEARCH_RESULTS} numbers.", PhoneNumberErrorCode.INVALID_LIMIT
        )
    return value


def _contains(value: str | None) -> str | None:
    contains = (value or "").strip()
    if not contains:
        return None
    if not _CONTAINS_RE.match(contains):
        raise Invalid(
            "Use 2 to 16 digits, letters or * (any one digit).",
            PhoneNumberErrorCode.INVALID_CONTAINS,
        )
    return contains


def _not_available() -> ServiceError:
    return ServiceError.single(
        PhoneNumberErrorCode.NUMBER_NOT_AVAILABLE,
        "This number is not available.",
        "phone_number",
    )


def _invalid_number() -> ServiceError:
    return ServiceError.single(
        PhoneNumberErrorCode.INVALID_PHONE_NUMBER,
        "Enter a valid phone number, such as +14155550123.",
        "phone_number",
    )


def _unavailable() -> ServiceError:
    return ServiceError.single(
        PhoneNumberErrorCode.TELEPHONY_UNAVAILABLE,
        "The phone company could not be reached. Try again shortly.",
    )
