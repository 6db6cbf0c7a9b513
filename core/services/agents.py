"""Voice agents of an organization."""

from __future__ import annotations

import enum
import re
import uuid
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.errors import FieldError, NotFound, ServiceError
from core.phone_numbers import to_e164
from core.services import agent_tools
from core.settings import Settings
from orm.models import Organization, VoiceAgent

# The prebuilt voices of Gemini's native-audio realtime models.
VOICES = (
    "Puck",
    "Charon",
    "Kore",
    "Fenrir",
    "Aoede",
    "Leda",
    "Orus",
    "Zephyr",
    "Achernar",
    "Achird",
    "Algenib",
    "Algieba",
    "Alnilam",
    "Autonoe",
    "Callirrhoe",
    "Despina",
    "Enceladus",
    "Erinome",
    "Gacrux",
    "Iapetus",
    "Laomedeia",
    "Pulcherrima",
    "Rasalgethi",
    "Sadachbia",
    "Sadaltager",
    "Schedar",
    "Sulafat",
    "Umbriel",
    "Vindemiatrix",
    "Zubenelgenubi",
)
DEFAULT_VOICE = "Puck"
DEFAULT_LANGUAGE = "en-US"
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[0-9]{3})?$")
_SIP_URI_RE = re.compile(r"^sip:[^@\s]+@[A-Za-z0-9.-]+(:\d+)?(;[^\s]*)?$")
MAX_PROMPT_LENGTH = 20_000
MAX_GREETING_LENGTH = 1_000


class AgentErrorCode(enum.Enum):
    INVALID_NAME = "invalid_name"
    INVALID_SYSTEM_PROMPT = "invalid_system_prompt"
    INVALID_GREETING = "invalid_greeting"
    INVALID_PHONE_NUMBER = "invalid_phone_number"
    PHONE_NUMBER_TAKEN = "phone_number_taken"
    INVALID_VOICE = "invalid_voice"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_MAX_CALL_DURATION = "invalid_max_call_duration"
    INVALID_TRANSFER_TO = "invalid_transfer_to"


def get_all(*, organization_id: uuid.UUID) -> QuerySet[VoiceAgent]:
    """The organization's agents, newest first (a queryset, for pagination)."""
    return VoiceAgent.filter(organization_id=organization_id)


async def get(*, organization_id: uuid.UUID, agent_id: uuid.UUID) -> VoiceAgent:
    """One agent of this organization."""
    agent = await VoiceAgent.get_or_none(id=agent_id, organization_id=organization_id)
    if agent is None:
        raise NotFound("Agent")
    return agent


async def create(
    *, organization: Organization, values: dict[str, Any], settings: Settings
) -> VoiceAgent:
    """Create an agent from validated values."""
    values = {"voice": DEFAULT_VOICE, "language": DEFAULT_LANGUAGE, "greeting": "", **values}
    cleaned = _clean(values, settings=settings, creating=True)
    await _ensure_number_free(cleaned.get("phone_number"), agent_id=None)
    try:
        return await VoiceAgent.create(organization=organization, **cleaned)
    except IntegrityError as error:
        raise _number_taken() from error


async def update(*, agent: VoiceAgent, changes: dict[str, Any], settings: Settings) -> VoiceAgent:
    """Change some of an agent's fields; omitted fields stay as they are."""
    cleaned = _clean(changes, settings=settings, creating=False)
    if not cleaned:
        return agent
    if "phone_number" in cleaned:
        await _ensure_number_free(cleaned["phone_number"], agent_id=agent.id)
    agent.update_from_dict(cleaned)
    try:
        await agent.save(update_fields=[*cleaned.keys(), "updated_at"])
    except IntegrityError as error:
        raise _number_taken() from error
    return agent


async def delete(*, agent: VoiceAgent) -> None:
    """Delete an agent; its phone number is free again, its tools' OAuth grants are revoked."""
    async with in_transaction():
        # Its tools go with it (cascade): their grants must not outlive them at the provider.
        await agent_tools.queue_revocations(agent=agent)
        await agent.delete()


def _clean(values: dict[str, Any], *, settings: Settings, creating: bool) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    problems: list[FieldError] = []

    def check(field: str, graphql_name: str, ok: bool, message: str, code: AgentErrorCode) -> None:
        if not ok:
            problems.append(FieldError(graphql_name, message, code))

    if "name" in values or creating:
        name = (values.get("name") or "").strip()
        check(
            "name",
            "name",
            1 <= len(name) <= 100,
            "Enter a name of up to 100 characters.",
            AgentErrorCode.INVALID_NAME,
        )
        cleaned["name"] = name
    if "system_prompt" in values or creating:
        prompt = (values.get("system_prompt") or "").strip()
        check(
            "system_prompt",
            "systemPrompt",
            1 <= len(prompt) <= MAX_PROMPT_LENGTH,
            f"Enter a system prompt of up to {MAX_PROMPT_LENGTH} characters.",
            AgentErrorCode.INVALID_SYSTEM_PROMPT,
        )
        cleaned["system_prompt"] = prompt
    if "greeting" in values:
        greeting = (values["greeting"] or "").strip()
        check(
            "greeting",
            "greeting",
            len(greeting) <= MAX_GREETING_LENGTH,
            f"Use at most {MAX_GREETING_LENGTH} characters.",
            AgentErrorCode.INVALID_GREETING,
        )
        cleaned["greeting"] = greeting
    if "phone_number" in values:
        raw = values["phone_number"]
        if raw is None or not raw.strip():
            cleaned["phone_number"] = None
        else:
            e164 = to_e164(raw, default_region=settings.default_phone_region)
            check(
                "phone_number",
                "phoneNumber",
                e164 is not None,
                "Enter a valid phone number, such as +14155550123.",
                AgentErrorCode.INVALID_PHONE_NUMBER,
            )
            cleaned["phone_number"] = e164
    if "voice" in values:
        voice = values["voice"]
        check(
            "voice",
            "voice",
            voice in VOICES,
            f"Choose one of: {', '.join(VOICES)}.",
            AgentErrorCode.INVALID_VOICE,
        )
        cleaned["voice"] = voice
    if "language" in values:
        language = (values["language"] or "").strip()
        check(
            "language",
            "language",
            bool(_LANGUAGE_RE.match(language)),
            "Use a language tag such as en-US or de-DE.",
            AgentErrorCode.INVALID_LANGUAGE,
        )
        cleaned["language"] = language
    if "transfer_to" in values:
        target = (values["transfer_to"] or "").strip()
        if not target:
            cleaned["transfer_to"] = None
        elif target.startswith("sip:"):
            check(
                "transfer_to",
                "transferTo",
                bool(_SIP_URI_RE.match(target)),
                "Use a sip: URI such as sip:desk@pbx.example.com.",
                AgentErrorCode.INVALID_TRANSFER_TO,
            )
            cleaned["transfer_to"] = target
        else:
            e164 = to_e164(target, default_region=settings.default_phone_region)
            check(
                "transfer_to",
                "transferTo",
                e164 is not None,
                "Use a phone number or a sip: URI.",
                AgentErrorCode.INVALID_TRANSFER_TO,
            )
            cleaned["transfer_to"] = e164
    if "is_active" in values:
        cleaned["is_active"] = bool(values["is_active"])
    if "max_call_duration_seconds" in values:
        seconds = values["max_call_duration_seconds"]
        check(
            "max_call_duration_seconds",
            "maxCallDurationSeconds",
            isinstance(seconds, int) and 30 <= seconds <= 4 * 3600,
            "Use between 30 seconds and 4 hours.",
            AgentErrorCode.INVALID_MAX_CALL_DURATION,
        )
        cleaned["max_call_duration_seconds"] = seconds
    if problems:
        raise ServiceError(*problems)
    return cleaned


async def _ensure_number_free(phone_number: str | None, *, agent_id: uuid.UUID | None) -> None:
    if phone_number is None:
        return
    query = VoiceAgent.filter(phone_number=phone_number)
    if agent_id is not None:
        query = query.exclude(id=agent_id)
    if await query.exists():
        raise _number_taken()


def _number_taken() -> ServiceError:
    return ServiceError.single(
        AgentErrorCode.PHONE_NUMBER_TAKEN,
        "This phone number already belongs to an agent.",
        "phoneNumber",
    )
