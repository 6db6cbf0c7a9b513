"""What a call runs with: the agent as it was when the call started.

A call reads its agent only through this snapshot, taken once when the call is
created and stored as JSON on the call (`calls.snapshot`): editing the agent
changes the next call, never one under way. Every default lives here, once, so
the worker, metering and the janitor agree on them; rows written before a field
existed read back with that field's default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from core.analysis.plan import AnalysisPlan
from core.call_events import TransferMode
from core.services.agents import DEFAULT_LANGUAGE, DEFAULT_VOICE, VoicemailAction
from orm.models import AgentCustomFunction, AgentTool, VoiceAgent

# The time limit of a call whose snapshot names none (the agents' column default too).
DEFAULT_MAX_CALL_DURATION_SECONDS = 1800


@dataclass(frozen=True)
class AgentTools:
    """What of an agent's tools and custom functions a call may use (read from their rows)."""

    # Platform tool name -> the names of its functions enabled, sorted.
    tools: Mapping[str, tuple[str, ...]]
    # Names of the organization's custom HTTP functions enabled, sorted.
    custom_functions: tuple[str, ...]

    @classmethod
    async def read(cls, agent_id: UUID) -> AgentTools:
        tools: dict[str, tuple[str, ...]] = {}
        rows = await AgentTool.filter(
            agent_id=agent_id, is_enabled=True, tool__is_active=True, tool__is_available=True
        ).select_related("tool")
        for row in rows:
            disabled = set(row.unselected_functions or [])
            tools[row.tool.name] = tuple(
                sorted(
                    function["name"]
                    for function in row.tool.tool_functions_schema or []
                    if function["name"] not in disabled
                )
            )
        custom = await AgentCustomFunction.filter(
            agent_id=agent_id, function__is_active=True
        ).values_list("function__name", flat=True)
        return cls(tools=tools, custom_functions=tuple(sorted(str(name) for name in custom)))


@dataclass(frozen=True, kw_only=True)
class CallSnapshot:
    agent_name: str = ""
    system_prompt: str = ""
    greeting: str = ""
    voice: str = DEFAULT_VOICE
    language: str = DEFAULT_LANGUAGE
    max_call_duration_seconds: int = DEFAULT_MAX_CALL_DURATION_SECONDS
    # Where "transfer to a human" goes (E.164 or sip:); None: the agent cannot transfer.
    transfer_to: str | None = None
    transfer_mode: TransferMode = TransferMode.COLD
    # What the agent does when an outgoing call reaches an answering machine, and the
    # message it leaves ("": one the model composes).
    voicemail_action: VoicemailAction = VoicemailAction.HANG_UP
    voicemail_message: str = ""
    # Platform tool name -> the names of its functions enabled on this call, sorted.
    tools: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Names of the organization's custom HTTP functions enabled on this call, sorted.
    custom_functions: tuple[str, ...] = ()
    # What is asked about the call once it ends (core/analysis).
    analysis_plan: AnalysisPlan = field(default_factory=AnalysisPlan)

    @classmethod
    async def of_agent(cls, agent: VoiceAgent) -> CallSnapshot:
        """The agent now, with its enabled tools and functions."""
        return cls.of(agent, await AgentTools.read(agent.id))

    @classmethod
    def of(cls, agent: VoiceAgent, tools: AgentTools) -> CallSnapshot:
        """The agent's row and its enabled tools and functions, as read."""
        return cls(
            agent_name=agent.name,
            system_prompt=agent.system_prompt,
            greeting=agent.greeting,
            voice=agent.voice,
            language=agent.language,
            max_call_duration_seconds=agent.max_call_duration_seconds,
            transfer_to=agent.transfer_to,
            transfer_mode=_member(TransferMode, agent.transfer_mode, TransferMode.COLD),
            voicemail_action=_member(
                VoicemailAction, agent.voicemail_action, VoicemailAction.HANG_UP
            ),
            voicemail_message=agent.voicemail_message,
            tools=tools.tools,
            custom_functions=tools.custom_functions,
            analysis_plan=AnalysisPlan.from_stored(agent.analysis_plan),
        )

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> CallSnapshot:
        """Read `calls.snapshot` back: a missing, null or malformed value takes the default."""
        stored = stored if isinstance(stored, Mapping) else {}
        defaults = cls()
        transfer_to = stored.get("transfer_to")
        return cls(
            agent_name=_text(stored.get("agent_name"), defaults.agent_name),
            system_prompt=_text(stored.get("system_prompt"), defaults.system_prompt),
            greeting=_text(stored.get("greeting"), defaults.greeting),
            # An empty voice or language is no choice at all: the default speaks instead.
            voice=_text(stored.get("voice"), defaults.voice) or defaults.voice,
            language=_text(stored.get("language"), defaults.language) or defaults.language,
            max_call_duration_seconds=_seconds(
                stored.get("max_call_duration_seconds"), defaults.max_call_duration_seconds
            ),
            transfer_to=transfer_to if isinstance(transfer_to, str) and transfer_to else None,
            transfer_mode=_member(
                TransferMode, stored.get("transfer_mode"), defaults.transfer_mode
            ),
            voicemail_action=_member(
                VoicemailAction, stored.get("voicemail_action"), defaults.voicemail_action
            ),
            voicemail_message=_text(stored.get("voicemail_message"), defaults.voicemail_message),
            tools=_tools(stored.get("tools")),
            custom_functions=_names(stored.get("custom_functions")),
            analysis_plan=AnalysisPlan.from_stored(stored.get("analysis_plan")),
        )

    def as_stored(self) -> dict[str, Any]:
        """The JSON kept on the call (what `from_stored` reads back)."""
        return {
            "agent_name": self.agent_name,
            "system_prompt": self.system_prompt,
            "greeting": self.greeting,
            "voice": self.voice,
            "language": self.language,
            "max_call_duration_seconds": self.max_call_duration_seconds,
            "transfer_to": self.transfer_to,
            "transfer_mode": self.transfer_mode.value,
            "voicemail_action": self.voicemail_action.value,
            "voicemail_message": self.voicemail_message,
            "tools": {name: list(functions) for name, functions in self.tools.items()},
            "custom_functions": list(self.custom_functions),
            "analysis_plan": self.analysis_plan.as_stored(),
        }

    def tool_functions(self) -> dict[str, set[str]]:
        """Platform tool name -> its enabled function names (what the worker may load)."""
        return {name: set(functions) for name, functions in self.tools.items()}


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


E = TypeVar("E", bound=StrEnum)


def _member(enum: type[E], value: Any, default: E) -> E:
    try:
        return enum(value)
    except (ValueError, TypeError):  # a value no member has (None, a removed choice, junk)
        return default


def _seconds(value: Any, default: int) -> int:
    # bool is an int to Python, never a duration to us.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return default
    return value


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(sorted(name for name in value if isinstance(name, str)))


def _tools(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        return {}
    return {name: _names(functions) for name, functions in value.items() if isinstance(name, str)}
