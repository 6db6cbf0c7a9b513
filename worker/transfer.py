"""Warm transfer, LiveKit's pattern (https://docs.livekit.io/sip/transfer-warm; livekit-agents'
beta `WarmTransferTask`): the caller holds while the agent calls the person into a
consultation room of their own, briefs them with a short summary, and on their word moves
them into the caller's room (MoveParticipant, LiveKit Cloud). Busy, no answer, "no", or a
person who hangs up or says nothing brings the caller back to the agent.

The consultation call rings as long as the person's phone does (up to
TRANSFER_RINGING_TIMEOUT_SECONDS), never under an API timeout. The briefing is a second
session of the call's own model, in the consultation room (text only when the worker runs
without rooms, as in tests, where `on_briefing` plays the person).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from livekit import rtc
from livekit.agents import Agent, AgentSession, function_tool, room_io

from core.call_events import TransferMode, TransferOutcome
from core.call_snapshot import CallSnapshot
from core.integrations.livekit_rooms import (
    DialOutFailed,
    RoomService,
    TransferResult,
    consultation_room,
    transfer_result,
)
from core.settings import Settings
from orm.models import Call

if TYPE_CHECKING:
    from worker.session import WorkerDeps

log = logging.getLogger(__name__)

# The person's SIP participant, in the consultation room and then in the caller's room.
PERSON_IDENTITY = "transfer-target"
BRIEFER_IDENTITY = "transfer-briefing"
BRIEFING_INSTRUCTIONS = (
    "You are {agent}, the voice assistant who answered a phone call. You have phoned a "
    "colleague to hand the caller over; the caller is on hold. Tell your colleague, in one "
    "or two short sentences, who is calling and why: {summary}\n"
    "Then ask whether they can take the call now. When they agree, call connect_to_caller. "
    "When they cannot or do not want to, call decline_transfer with their reason. Talk "
    "about nothing else."
)


class BriefingOutcome(enum.Enum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    HUNG_UP = "hung_up"
    TIMED_OUT = "timed_out"  # the person never said yes or no


@dataclass(frozen=True)
class Briefed:
    outcome: BriefingOutcome
    reason: str | None = None


class Briefing(Protocol):
    async def __call__(self, *, room: str, identity: str, summary: str) -> Briefed:
        """Brief the person `identity` in `room` and get their answer."""


def _settle(decided: asyncio.Future[Briefed], briefed: Briefed) -> None:
    if not decided.done():
        decided.set_result(briefed)


class BriefingAgent(Agent):
    def __init__(self, *, instructions: str, decided: asyncio.Future[Briefed]) -> None:
        super().__init__(instructions=instructions)
        self._decided = decided

    async def on_enter(self) -> None:
        # The person picked up a call from us: we speak first.
        self.session.generate_reply(instructions="Brief your colleague now.")

    @function_tool
    async def connect_to_caller(self) -> str:
        """Call this when your colleague agrees to take the call now."""
        _settle(self._decided, Briefed(BriefingOutcome.ACCEPTED))
        return "The caller is being connected. Tell your colleague so, in a few words."

    @function_tool
    async def decline_transfer(self, reason: str) -> str:
        """Call this when your colleague cannot or does not want to take the call.

        Args:
            reason: Their reason, in a few words, as the caller should hear it.
        """
        _settle(self._decided, Briefed(BriefingOutcome.DECLINED, reason.strip()[:200] or None))
        return "Thank your colleague briefly; the caller will be told."


class ModelBriefing:
    """The agent's model briefs the person, in the consultation room."""

    def __init__(
        self,
        *,
        settings: Settings,
        snapshot: CallSnapshot,
        model_factory: Callable[[CallSnapshot, Settings], Any],
        use_room: bool,
        on_session: Callable[[AgentSession[Any]], Awaitable[None] | None] | None = None,
    ) -> None:
        self.settings = settings
        self.snapshot = snapshot
        self.model_factory = model_factory
        self.use_room = use_room
        self.on_session = on_session

    async def __call__(self, *, room: str, identity: str, summary: str) -> Briefed:
        decided: asyncio.Future[Briefed] = asyncio.get_running_loop().create_future()
        agent = BriefingAgent(
            instructions=BRIEFING_INSTRUCTIONS.format(
                agent=self.snapshot.agent_name or "the assistant", summary=summary
            ),
            decided=decided,
        )
        session: AgentSession[Any] = AgentSession(
            llm=self.model_factory(self.snapshot, self.settings)
        )
        connection: rtc.Room | None = None
        person: asyncio.Task[Any] | None = None
        try:
            if self.use_room:
                connection = await self._join(room)

                def on_left(participant: rtc.RemoteParticipant) -> None:
                    if participant.identity == identity:
                        _settle(decided, Briefed(BriefingOutcome.HUNG_UP))

                connection.on("participant_disconnected", on_left)
                await session.start(
                    agent,
                    room=connection,
                    room_options=room_io.RoomOptions(
                        participant_kinds=[rtc.ParticipantKind.PARTICIPANT_KIND_SIP],
                        participant_identity=identity,
                        close_on_disconnect=False,
                        delete_room_on_close=False,
                    ),
                )
            else:
                await session.start(agent)
                if self.on_session is not None:
                    person = asyncio.ensure_future(_maybe_await(self.on_session(session)))
            try:
                async with asyncio.timeout(self.settings.transfer_briefing_timeout_seconds):
                    return await asyncio.shield(decided)
            except TimeoutError:
                return Briefed(BriefingOutcome.TIMED_OUT)
        finally:
            if person is not None and not person.done():
                person.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await person
            await session.aclose()
            if connection is not None:
                await connection.disconnect()

    async def _join(self, room: str) -> rtc.Room:
        from livekit import api

        settings = self.settings
        if not (settings.livekit_url and settings.livekit_api_key and settings.livekit_api_secret):
            raise RuntimeError("LiveKit is not configured")
        token = (
            api.AccessToken(
                settings.livekit_api_key, settings.livekit_api_secret.get_secret_value()
            )
            .with_identity(BRIEFER_IDENTITY)
            .with_kind("agent")
            .with_grants(
                api.VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True)
            )
            .to_jwt()
        )
        connection = rtc.Room()
        await connection.connect(settings.livekit_url, token)
        return connection


async def _maybe_await(value: Awaitable[None] | None) -> None:
    if value is not None:
        await value


@dataclass
class WarmTransfer:
    """One call's warm transfers to its agent's person."""

    rooms: RoomService
    transfer_to: str
    caller_id: str  # the agent's number, which the person sees
    ringing_timeout: float
    briefing: Briefing

    async def run(
        self, *, room: str, summary: str, on_answered: Callable[[], Awaitable[None]]
    ) -> TransferResult:
        """Call, brief, connect. Raises TelephonyUnavailable when LiveKit could not be asked;
        the consultation room is gone afterwards, whatever happened."""
        consult = consultation_room(room)
        await self.rooms.create_consultation_room(name=consult)
        try:
            try:
                await self.rooms.dial_out(
                    room=consult,
                    to_number=self.transfer_to,
                    from_number=self.caller_id,
                    identity=PERSON_IDENTITY,
                    ringing_timeout=self.ringing_timeout,
                )
            except DialOutFailed as failure:
                return transfer_result(
                    failure.sip_status_code,
                    transfer_reason=(
                        "STR_RINGING_TIMEOUT" if failure.reason == "ringing_timeout" else None
                    ),
                )
            await on_answered()
            briefed = await self.briefing(room=consult, identity=PERSON_IDENTITY, summary=summary)
            if briefed.outcome is BriefingOutcome.DECLINED:
                return TransferResult(TransferOutcome.DECLINED, briefed.reason or "declined")
            if briefed.outcome is BriefingOutcome.HUNG_UP:
                return TransferResult(TransferOutcome.DECLINED, "hung_up")
            if briefed.outcome is BriefingOutcome.TIMED_OUT:
                return TransferResult(TransferOutcome.FAILED, "no_decision")
            await self.rooms.move_participant(
                room=consult, identity=PERSON_IDENTITY, destination=room
            )
            return TransferResult(TransferOutcome.TRANSFERRED)
        finally:
            # Hangs up the person if they are still there (declined, or the caller is back).
            with contextlib.suppress(Exception):
                await self.rooms.delete_room(name=consult)


def warm_transfer_for(
    *, call: Call, snapshot: CallSnapshot, deps: WorkerDeps
) -> WarmTransfer | None:
    """The call's warm transfer, when its agent chose warm transfers and one can work: the
    platform allows it, an outbound trunk can call the person, the call has a room, and the
    target is a phone number (LiveKit dials numbers, not SIP URIs, through a trunk).
    Otherwise None, and the agent transfers cold."""
    settings = deps.settings
    transfer_to = snapshot.transfer_to
    if not transfer_to or snapshot.transfer_mode is not TransferMode.WARM:
        return None
    caller_id = call.to_number if call.direction == "inbound" else call.from_number
    blocker = _warm_blocker(settings, call, transfer_to, caller_id)
    if blocker is not None:
        # Once per call, as it starts: the agent chose what this call cannot do.
        log.warning(
            "the agent transfers warm, which is not possible on this call; it transfers cold",
            extra={"call_id": str(call.id), "agent_id": str(call.agent_id), "reason": blocker},
        )
        return None
    return WarmTransfer(
        rooms=deps.rooms,
        transfer_to=transfer_to,
        caller_id=caller_id,
        ringing_timeout=settings.transfer_ringing_timeout_seconds,
        briefing=ModelBriefing(
            settings=settings,
            snapshot=snapshot,
            model_factory=deps.model_factory,
            use_room=deps.use_room,
            on_session=deps.on_briefing,
        ),
    )


def _warm_blocker(
    settings: Settings, call: Call, transfer_to: str, caller_id: str | None
) -> str | None:
    """Why a warm transfer cannot work on this call; None when it can."""
    if not settings.warm_transfer_enabled:
        return "WARM_TRANSFER_ENABLED is off"
    if not settings.livekit_sip_outbound_trunk_id:
        return "no outbound trunk (LIVEKIT_SIP_OUTBOUND_TRUNK_ID) to call the person"
    if not call.livekit_room:
        return "the call has no room"
    if transfer_to.startswith("sip:"):
        return "transferTo is a sip: URI (a trunk dials phone numbers)"
    if not caller_id:
        return "no number to call the person from"
    return None


class CallerHold:
    """The caller on hold: the agent neither hears nor speaks on the caller's line, and the
    caller hears hold music (when the session has a room)."""

    def __init__(self, session: AgentSession[Any]) -> None:
        self.session = session
        self._saved: dict[str, bool] = {}
        self._music: Any = None

    async def start(self) -> None:
        self._set_io(enabled=False)
        try:
            room = self.session.room_io.room
        except RuntimeError:
            return  # no room: nobody to play music to
        from livekit.agents import AudioConfig, BackgroundAudioPlayer, BuiltinAudioClip

        player = BackgroundAudioPlayer()
        try:
            await player.start(room=room)
            player.play(AudioConfig(BuiltinAudioClip.HOLD_MUSIC, volume=0.8), loop=True)
            self._music = player
        except Exception:  # no music is better than no transfer
            log.warning("could not play hold music", exc_info=True)

    async def stop_music(self) -> None:
        if self._music is not None:
            with contextlib.suppress(Exception):
                await self._music.aclose()
            self._music = None

    async def release(self) -> None:
        """The caller is back with the agent."""
        await self.stop_music()
        self._set_io(enabled=True)

    def _set_io(self, *, enabled: bool) -> None:
        # As livekit-agents' WarmTransferTask does: remember what was on, switch it off,
        # and switch back on only what was on.
        inputs, outputs = self.session.input, self.session.output
        if not self._saved:
            self._saved = {
                "audio_input": inputs.audio_enabled,
                "audio_output": outputs.audio_enabled,
                "transcription": outputs.transcription_enabled,
            }
        if inputs.audio:
            inputs.set_audio_enabled(enabled and self._saved["audio_input"])
        if outputs.audio:
            outputs.set_audio_enabled(enabled and self._saved["audio_output"])
        if outputs.transcription:
            outputs.set_transcription_enabled(enabled and self._saved["transcription"])


def watch_person_leaving(
    session: AgentSession[Any], hang_up: Callable[[], Awaitable[None]]
) -> None:
    """After a warm transfer the caller and the person talk in the caller's room; when the
    person hangs up, the call is over (the caller leaving closes the session already)."""
    try:
        room = session.room_io.room
    except RuntimeError:
        return  # no room (tests): nobody can leave

    def on_left(participant: rtc.RemoteParticipant) -> None:
        if participant.identity == PERSON_IDENTITY:
            room.off("participant_disconnected", on_left)
            task = asyncio.ensure_future(hang_up())
            _pending.add(task)
            task.add_done_callback(_pending.discard)

    room.on("participant_disconnected", on_left)


# Hang-ups started from LiveKit's synchronous callbacks; held so they are not collected.
_pending: set[asyncio.Future[None]] = set()
