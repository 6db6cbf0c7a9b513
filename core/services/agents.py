"""Voice agents of an organization."""

from __future__ import annotations

import enum
import re
import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.analysis.plan import AnalysisPlan, PlanPart, PlanProblem, checked
from core.call_events import TransferMode
from core.errors import DescribedEnum, NotFound, ServiceError
from core.inputs import UNSET, Changes, Invalid, Maybe, Rule, clean, columns, given
from core.phone_numbers import to_e164
from core.services import agent_tools, phone_numbers
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
MIN_CALL_DURATION_SECONDS = 30
MAX_CALL_DURATION_SECONDS = 4 * 3600
MAX_VOICEMAIL_MESSAGE_LENGTH = 1_000


class VoicemailAction(enum.StrEnum):
    """What the agent does when an outgoing call reaches an answering machine."""

    HANG_UP = "hang_up"
    LEAVE_MESSAGE = "leave_message"


class AgentErrorCode(DescribedEnum):
    INVALID_NAME = "invalid_name", "`name` is empty or longer than 100 characters."
    INVALID_SYSTEM_PROMPT = (
        "invalid_system_prompt",
        f"`systemPrompt` is empty or longer than {MAX_PROMPT_LENGTH:,} characters.",
    )
    INVALID_GREETING = (
        "invalid_greeting",
        f"`greeting` is longer than {MAX_GREETING_LENGTH:,} characters.",
    )
    PHONE_NUMBER_NOT_FOUND = (
        "phone_number_not_found",
        "`phoneNumberId` names no number the agent's organization holds (`phoneNumbers`).",
    )
    PHONE_NUMBER_IN_USE = (
        "phone_number_in_use",
        "Another agent of the organization answers this number; a number routes to one agent. "
        "Give that agent another number or none first.",
    )
    INVALID_VOICE = "invalid_voice", "`voice` is not one of `agentVoices`."
    INVALID_LANGUAGE = (
        "invalid_language",
        "`language` is not a language tag such as `en-US` or `de-DE`.",
    )
    INVALID_MAX_CALL_DURATION = (
        "invalid_max_call_duration",
        f"`maxCallDurationSeconds` is not between {MIN_CALL_DURATION_SECONDS} and "
        f"{MAX_CALL_DURATION_SECONDS:,} (30 seconds to 4 hours).",
    )
    INVALID_TRANSFER_TO = (
        "invalid_transfer_to",
        "`transferTo` is neither a valid phone number nor a `sip:` URI.",
    )
    INVALID_VOICEMAIL_MESSAGE = (
        "invalid_voicemail_message",
        f"`voicemailMessage` is longer than {MAX_VOICEMAIL_MESSAGE_LENGTH:,} characters.",
    )
    INVALID_SUMMARY_PROMPT = (
        "invalid_summary_prompt",
        "`analysisPlan.summaryPrompt` is empty or longer than 4,000 characters.",
    )
    INVALID_SUCCESS_RUBRIC = (
        "invalid_success_rubric",
        "`analysisPlan.successRubric` is inconsistent: criteria are missing for `CRITERIA` "
        "(1 to 20, each 1 to 300 characters, all different) or given for another kind, or "
        "its prompt is longer than 4,000 characters.",
    )
    INVALID_STRUCTURED_DATA_SCHEMA = (
        "invalid_structured_data_schema",
        '`analysisPlan.structuredDataSchema` is not a valid JSON schema of an object (`{"type": '
        '"object", ...}`, checked like custom-function parameters) or is over 20,000 '
        "characters.",
    )


@dataclass(frozen=True, kw_only=True)
class AgentCreate:
    """A new agent. `create` writes every field onto the row; UNSET keeps the column's default."""

    name: str
    system_prompt: str
    greeting: Maybe[str] = UNSET
    # One of the organization's held numbers (core/services/phone_numbers.py); None: none.
    phone_number_id: uuid.UUID | None = None
    voice: str = DEFAULT_VOICE
    language: str = DEFAULT_LANGUAGE
    is_active: Maybe[bool] = UNSET
    max_call_duration_seconds: Maybe[int] = UNSET
    transfer_to: str | None = None
    transfer_mode: Maybe[TransferMode] = UNSET
    voicemail_action: Maybe[VoicemailAction] = UNSET
    voicemail_message: Maybe[str] = UNSET
    analysis_plan: AnalysisPlan | None = None  # None: the defaults (core/analysis/plan.py)


@dataclass(frozen=True, kw_only=True)
class AgentChanges(Changes):
    """Changes to an agent: the fields given change, the UNSET ones stay."""

    name: Maybe[str] = UNSET
    system_prompt: Maybe[str] = UNSET
    greeting: Maybe[str | None] = UNSET  # None: no greeting
    phone_number_id: Maybe[uuid.UUID | None] = UNSET  # None: the agent gives its number up
    voice: Maybe[str] = UNSET
    language: Maybe[str] = UNSET
    is_active: Maybe[bool] = UNSET
    max_call_duration_seconds: Maybe[int] = UNSET
    transfer_to: Maybe[str | None] = UNSET  # None: no transfers
    transfer_mode: Maybe[TransferMode] = UNSET
    voicemail_action: Maybe[VoicemailAction] = UNSET
    voicemail_message: Maybe[str | None] = UNSET  # None: none (the model composes one)
    analysis_plan: Maybe[AnalysisPlan | None] = UNSET  # replaces the plan; None: the defaults


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
    *, organization: Organization, fields: AgentCreate, settings: Settings
) -> VoiceAgent:
    """Create an agent from its fields, each checked by its rule."""
    cleaned = await clean(given(fields), _rules(settings))
    async with in_transaction():
        await _ensure_number_assignable(
            cleaned.get("phone_number_id"), organization_id=organization.id, agent_id=None
        )
        try:
            return await VoiceAgent.create(
                organization=organization, **columns(VoiceAgent, cleaned)
            )
        except IntegrityError as error:
            raise _number_in_use() from error


async def update(*, agent: VoiceAgent, changes: AgentChanges, settings: Settings) -> VoiceAgent:
    """Change the agent's fields that are given; the others stay as they are."""
    cleaned = await clean(changes.changes(), _rules(settings))
    if not cleaned:
        return agent
    async with in_transaction():
        if "phone_number_id" in cleaned:
            await _ensure_number_assignable(
                cleaned["phone_number_id"],
                organization_id=agent.organization_id,
                agent_id=agent.id,
            )
        agent.update_from_dict(columns(VoiceAgent, cleaned))
        try:
            await agent.save(update_fields=[*cleaned, "updated_at"])
        except IntegrityError as error:
            raise _number_in_use() from error
    return agent


async def delete(*, agent: VoiceAgent) -> None:
    """Delete an agent; its number stays with the organization, unassigned; its tools' OAuth
    grants are revoked."""
    async with in_transaction():
        # Its tools go with it (cascade): their grants must not outlive them at the provider.
        await agent_tools.queue_revocations(agent=agent)
        await agent.delete()


def _rules(settings: Settings) -> dict[str, Rule]:
    """Each agent field's rule; a field without one is stored as given."""
    region = settings.default_phone_region
    return {
        "name": _name,
        "system_prompt": _system_prompt,
        "greeting": _greeting,
        "voice": _voice,
        "language": _language,
        "is_active": bool,
        "max_call_duration_seconds": _max_call_duration,
        "transfer_to": lambda value: _transfer_to(value, region),
        # Stored as the enums' values (core.call_snapshot reads them back).
        "transfer_mode": lambda value: TransferMode(value).value,
        "voicemail_action": lambda value: VoicemailAction(value).value,
        "voicemail_message": _voicemail_message,
        "analysis_plan": _analysis_plan,
    }


def _name(value: str | None) -> str:
    name = (value or "").strip()
    if not 1 <= len(name) <= 100:
        raise Invalid("Enter a name of up to 100 characters.", AgentErrorCode.INVALID_NAME)
    return name


def _system_prompt(value: str | None) -> str:
    prompt = (value or "").strip()
    if not 1 <= len(prompt) <= MAX_PROMPT_LENGTH:
        raise Invalid(
            f"Enter a system prompt of up to {MAX_PROMPT_LENGTH} characters.",
            AgentErrorCode.INVALID_SYSTEM_PROMPT,
        )
    return prompt


def _greeting(value: str | None) -> str:
    greeting = (value or "").strip()
    if len(greeting) > MAX_GREETING_LENGTH:
        raise Invalid(
            f"Use at most {MAX_GREETING_LENGTH} characters.", AgentErrorCode.INVALID_GREETING
        )
    return greeting


def _voice(value: str) -> str:
    if value not in VOICES:
        raise Invalid(f"Choose one of: {', '.join(VOICES)}.", AgentErrorCode.INVALID_VOICE)
    return value


def _language(value: str | None) -> str:
    language = (value or "").strip()
    if not _LANGUAGE_RE.match(language):
        raise Invalid("Use a language tag such as en-US or de-DE.", AgentErrorCode.INVALID_LANGUAGE)
    return language


def _max_call_duration(value: int) -> int:
    # bool is an int to Python, never a duration to us.
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_CALL_DURATION_SECONDS <= value <= MAX_CALL_DURATION_SECONDS
    ):
        raise Invalid(
            "Use between 30 seconds and 4 hours.", AgentErrorCode.INVALID_MAX_CALL_DURATION
        )
    return value


def _transfer_to(value: str | None, region: str) -> str | None:
    target = (value or "").strip()
    if not target:
        return None
    if target.startswith("sip:"):
        if not _SIP_URI_RE.match(target):
            raise Invalid(
                "Use a sip: URI such as sip:desk@pbx.example.com.",
                AgentErrorCode.INVALID_TRANSFER_TO,
            )
        return target
    e164 = to_e164(target, default_region=region)
    if e164 is None:
        raise Invalid("Use a phone number or a sip: URI.", AgentErrorCode.INVALID_TRANSFER_TO)
    return e164


_PLAN_CODES = {
    PlanPart.SUMMARY_PROMPT: AgentErrorCode.INVALID_SUMMARY_PROMPT,
    PlanPart.SUCCESS_RUBRIC: AgentErrorCode.INVALID_SUCCESS_RUBRIC,
    PlanPart.STRUCTURED_DATA_SCHEMA: AgentErrorCode.INVALID_STRUCTURED_DATA_SCHEMA,
}


def _analysis_plan(value: AnalysisPlan | None) -> dict[str, Any] | None:
    """Stored as JSON; null keeps the defaults, so they follow the platform's."""
    if value is None:
        return None
    try:
        return checked(value).as_stored()
    except PlanProblem as problem:
        raise Invalid(problem.message, _PLAN_CODES[problem.part], at=problem.field) from None


def _voicemail_message(value: str | None) -> str:
    message = (value or "").strip()
    if len(message) > MAX_VOICEMAIL_MESSAGE_LENGTH:
        raise Invalid(
            f"Use at most {MAX_VOICEMAIL_MESSAGE_LENGTH} characters.",
            AgentErrorCode.INVALID_VOICEMAIL_MESSAGE,
        )
    return message


async def _ensure_number_assignable(
    phone_number_id: uuid.UUID | None, *, organization_id: uuid.UUID, agent_id: uuid.UUID | None
) -> None:
    """The number is one the organization holds and no other agent answers (locked until the
    caller's transaction ends, so it is not released meanwhile)."""
    if phone_number_id is None:
        return
    number = await phone_numbers.assignable(
        organization_id=organization_id, phone_number_id=phone_number_id
    )
    if number is None:
        raise phone_number_not_found()
    others = VoiceAgent.filter(phone_number_id=number.id)
    if agent_id is not None:
        others = others.exclude(id=agent_id)
    if await others.exists():
        raise _number_in_use()


def phone_number_not_found() -> ServiceError:
    return ServiceError.single(
        AgentErrorCode.PHONE_NUMBER_NOT_FOUND,
        "Choose one of your organization's phone numbers.",
        "phone_number_id",
    )


def _number_in_use() -> ServiceError:
    return ServiceError.single(
        AgentErrorCode.PHONE_NUMBER_IN_USE,
        "Another of your agents answers this number.",
        "phone_number_id",
    )
