"""A call runs with its agent's transfer mode and voicemail choice as they were when it began
(core/call_snapshot.py): stored on the call and read back the same; a call stored before the
choices existed reads cold and hanging up; a value no choice has reads as the default."""

from __future__ import annotations

import pytest

from core.call_events import TransferMode
from core.call_snapshot import CallSnapshot
from core.services import agents
from core.services.agents import AgentChanges, VoicemailAction
from orm.models import Call

MESSAGE = "Hi, this is Ada from Bright Smile Dental. Please call us back."


async def test_the_choices_are_copied_onto_the_call_and_read_back(make):
    # given an agent that transfers warm and leaves a message
    tenant = await make.tenant()
    agent = await make.agent(
        tenant,
        transfer_to="+14155550199",
        transfer_mode=TransferMode.WARM,
        voicemail_action=VoicemailAction.LEAVE_MESSAGE,
        voicemail_message=MESSAGE,
    )

    # when a call starts, and the agent changes afterwards
    call = await make.call(tenant, agent)
    await agents.update(
        agent=agent,
        changes=AgentChanges(
            transfer_mode=TransferMode.COLD, voicemail_action=VoicemailAction.HANG_UP
        ),
        settings=make.settings,
    )

    # then the call keeps what the agent was when it began
    stored = (await Call.get(id=call.id)).snapshot
    assert (
        stored["transfer_mode"],
        stored["voicemail_action"],
        stored["voicemail_message"],
    ) == ("warm", "leave_message", MESSAGE)
    snapshot = CallSnapshot.from_stored(stored)
    assert (snapshot.transfer_mode, snapshot.voicemail_action, snapshot.voicemail_message) == (
        TransferMode.WARM,
        VoicemailAction.LEAVE_MESSAGE,
        MESSAGE,
    )
    assert CallSnapshot.from_stored(snapshot.as_stored()) == snapshot
    # and the next call takes the agent as it is now
    now = await CallSnapshot.of_agent(agent)
    assert (now.transfer_mode, now.voicemail_action) == (
        TransferMode.COLD,
        VoicemailAction.HANG_UP,
    )


@pytest.mark.parametrize(
    "stored",
    [
        {"system_prompt": "You answer the phone."},
        {"transfer_mode": None, "voicemail_action": None, "voicemail_message": None},
        {"transfer_mode": "lukewarm", "voicemail_action": ["hang_up"], "voicemail_message": 7},
    ],
    ids=["before-the-choices", "nulls", "damaged"],
)
def test_a_call_stored_without_the_choices_transfers_cold_and_hangs_up(stored):
    # when
    snapshot = CallSnapshot.from_stored(stored)

    # then
    assert (snapshot.transfer_mode, snapshot.voicemail_action, snapshot.voicemail_message) == (
        TransferMode.COLD,
        VoicemailAction.HANG_UP,
        "",
    )
