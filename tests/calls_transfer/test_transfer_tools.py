"""Which transfer the model is offered: none without a transfer target; otherwise exactly one,
as the agent chose (`transferMode`). Warm only where it can work (the platform's
WARM_TRANSFER_ENABLED, an outbound trunk to call the person, a room, a phone-number target);
an agent that chose warm where it cannot transfers cold, and the worker says so once."""

from __future__ import annotations

import pytest

from core.call_events import TransferMode
from core.services.calls import room_name
from tests.calls_transfer.helpers import GREETING, HUMAN, worker_on
from tests.support.logs import capture_logs
from tests.support.scripted_llm import ScriptedLLM

COLD, WARM = TransferMode.COLD, TransferMode.WARM
FALLBACK = "the agent transfers warm, which is not possible on this call; it transfers cold"


@pytest.mark.parametrize(
    ("transfer_to", "mode", "overrides", "offered", "fell_back"),
    [
        (None, WARM, {}, ["end_call"], False),
        (HUMAN, COLD, {}, ["end_call", "transfer_call"], False),
        (HUMAN, WARM, {}, ["end_call", "warm_transfer_call"], False),
        (HUMAN, WARM, {"warm_transfer_enabled": False}, ["end_call", "transfer_call"], True),
        (
            HUMAN,
            WARM,
            {"livekit_sip_outbound_trunk_id": None},
            ["end_call", "transfer_call"],
            True,
        ),
        ("sip:desk@pbx.example.com", WARM, {}, ["end_call", "transfer_call"], True),
    ],
    ids=[
        "no-target",
        "cold",
        "warm",
        "warm-switched-off",
        "warm-without-outbound-trunk",
        "warm-to-a-sip-uri",
    ],
)
async def test_the_model_is_offered_the_transfer_its_agent_chose_where_it_can_work(
    make, server, telephony, transfer_to, mode, overrides, offered, fell_back
):
    # given an agent with its transfer mode, on a call with a room
    tenant = await make.tenant()
    agent = await make.agent(tenant, transfer_to=transfer_to, transfer_mode=mode)
    call = await make.call(tenant, agent)
    call.livekit_room = room_name(call.id)
    await call.save(update_fields=["livekit_room"])
    model = ScriptedLLM([GREETING])

    # when the call starts (the greeting is the model's first request)
    settings = telephony.settings.model_copy(update=overrides)
    with capture_logs("worker") as logs:
        async with worker_on(call.id, settings, model, bus=server.bus):
            pass

    # then exactly the transfer that can work is offered, and a fallback is logged once
    assert model.tools_seen[0] == offered
    fallbacks = [record for record in logs.records if record.getMessage() == FALLBACK]
    assert len(fallbacks) == (1 if fell_back else 0)
    if fell_back:
        assert fallbacks[0].call_id == str(call.id)


async def test_a_warm_agent_on_a_call_without_a_room_transfers_cold(make, server, telephony):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, transfer_to=HUMAN, transfer_mode=WARM)
    call = await make.call(tenant, agent)
    model = ScriptedLLM([GREETING])

    # when
    async with worker_on(call.id, telephony.settings, model, bus=server.bus):
        pass

    # then
    assert model.tools_seen[0] == ["end_call", "transfer_call"]
