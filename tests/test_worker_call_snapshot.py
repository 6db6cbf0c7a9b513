"""The call snapshot: what a call runs with, its defaults defined once (core/call_snapshot.py)."""

from __future__ import annotations

from core.call_snapshot import DEFAULT_MAX_CALL_DURATION_SECONDS, CallSnapshot
from core.services import custom_functions
from core.services.agents import DEFAULT_LANGUAGE, DEFAULT_VOICE
from core.services.calls import GRACE_SECONDS, CallStatus, fail_abandoned
from core.settings import Settings
from orm.models import Call, CreditLedgerEntry
from tests.support.scripted_llm import ScriptedLLM
from tests.support.worker_job import worker_deps
from worker.session import prepare_call

CALENDAR_FUNCTIONS_LEFT_ON = (
    "calendar_check_availability",
    "calendar_create_event",
    "calendar_list_my_appointments",
    "calendar_reschedule_event",
)


async def test_a_snapshot_taken_from_an_agent_is_stored_and_read_back_unchanged(make):
    # given: an agent with every field set, a tool with one function off, a custom function
    tenant = await make.tenant("Snapshot Dental")
    agent = await make.agent(
        tenant,
        name="Ada",
        system_prompt="You book dental appointments.",
        greeting="Hello, Snapshot Dental.",
        voice="Kore",
        language="de-DE",
        transfer_to="+14155550199",
        max_call_duration_seconds=900,
    )
    await make.agent_tool(agent, "google_calendar", disabled_functions=["calendar_cancel_event"])
    lookup = await make.custom_function(tenant, name="lookup_order")
    await custom_functions.set_for_agent(agent=agent, function_ids=[lookup.id])

    # when
    snapshot = await CallSnapshot.of_agent(agent)
    call = await make.call(tenant, agent, snapshot=snapshot.as_stored())
    stored = (await Call.get(id=call.id)).snapshot

    # then: the agent as it is, and the stored JSON reads back as the same snapshot
    assert snapshot == CallSnapshot(
        agent_name="Ada",
        system_prompt="You book dental appointments.",
        greeting="Hello, Snapshot Dental.",
        voice="Kore",
        language="de-DE",
        max_call_duration_seconds=900,
        transfer_to="+14155550199",
        tools={"google_calendar": CALENDAR_FUNCTIONS_LEFT_ON},
        custom_functions=("lookup_order",),
    )
    assert CallSnapshot.from_stored(stored) == snapshot
    assert snapshot.tool_functions() == {"google_calendar": set(CALENDAR_FUNCTIONS_LEFT_ON)}


def test_an_old_or_damaged_stored_snapshot_reads_back_with_the_defaults():
    # given: rows written before fields existed, with nulls, and with values of the wrong kind
    empty, missing, nulls, damaged = (
        {},
        {"system_prompt": "You answer the phone.", "voice": "Kore"},
        {"voice": None, "language": None, "greeting": None, "max_call_duration_seconds": None},
        {
            "voice": "",
            "max_call_duration_seconds": "900",
            "tools": ["google_calendar"],
            "custom_functions": "lookup_order",
            "transfer_to": 42,
        },
    )

    # when
    read = [CallSnapshot.from_stored(stored) for stored in (None, empty, missing, nulls, damaged)]

    # then: every missing or unusable value takes the one default
    defaults = CallSnapshot()
    assert (defaults.voice, defaults.language) == (DEFAULT_VOICE, DEFAULT_LANGUAGE)
    assert defaults.max_call_duration_seconds == DEFAULT_MAX_CALL_DURATION_SECONDS
    assert read[0] == read[1] == read[3] == read[4] == defaults
    assert read[2] == CallSnapshot(system_prompt="You answer the phone.", voice="Kore")


async def test_the_worker_metering_and_janitor_apply_the_same_limit_to_an_old_call(server, make):
    # given: in-progress calls whose stored snapshot predates the time limit (an empty one)
    tenant = await make.tenant("Old Rows Ltd", balance=100_000)
    # (the agent's own values differ: a call never reads the live agent)
    agent = await make.agent(tenant, max_call_duration_seconds=60, voice="Kore", language="de-DE")
    limit = DEFAULT_MAX_CALL_DURATION_SECONDS
    talking = await make.call(tenant, agent, answered_seconds_ago=limit - 60, snapshot={})
    lost = await make.call(
        tenant, agent, answered_seconds_ago=limit + GRACE_SECONDS + 60, snapshot={}
    )
    models_for: list[CallSnapshot] = []

    def model_factory(snapshot: CallSnapshot, settings: Settings) -> ScriptedLLM:
        models_for.append(snapshot)
        return ScriptedLLM([])

    # when: the worker prepares the call still talking, and the janitor runs
    async with worker_deps(server.settings, model_factory) as deps:
        prepared = await prepare_call(call_id=talking.id, deps=deps, hang_up=_no_hang_up)
        assert prepared is not None
        await prepared.session.aclose()
    failed = await fail_abandoned(bus=None)

    # then: the worker runs it with the default limit, voice and language (not the agent's now)
    assert prepared.snapshot.max_call_duration_seconds == limit
    assert [(model.voice, model.language) for model in models_for] == [
        (DEFAULT_VOICE, DEFAULT_LANGUAGE)
    ]
    # the janitor fails only the call past that limit and its grace
    assert failed == 1
    assert (await Call.get(id=talking.id)).status == CallStatus.IN_PROGRESS.value
    assert (await Call.get(id=lost.id)).status == CallStatus.FAILED.value
    # and metering bills it for that limit, not for the time it ran on without a worker
    [charge] = await CreditLedgerEntry.filter(reference=f"call:{lost.id}")
    assert charge.data["seconds"] == limit


async def _no_hang_up(room: str | None) -> None:
    raise AssertionError("the call was not meant to end")
