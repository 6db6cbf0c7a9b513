"""Which transfers the model is offered: none without a transfer target; cold always with
one; warm only where it can work (an outbound trunk to call the person, and the platform's
WARM_TRANSFER_ENABLED)."""

from __future__ import annotations

import pytest

from tests.calls_transfer.helpers import GREETING, HUMAN, worker_on
from tests.support.scripted_llm import ScriptedLLM


@pytest.mark.parametrize(
    ("transfer_to", "overrides", "offered"),
    [
        (None, {}, ["end_call"]),
        (HUMAN, {}, ["end_call", "transfer_call", "warm_transfer_call"]),
        (HUMAN, {"warm_transfer_enabled": False}, ["end_call", "transfer_call"]),
        (HUMAN, {"livekit_sip_outbound_trunk_id": None}, ["end_call", "transfer_call"]),
    ],
    ids=["no-target", "both", "warm-switched-off", "no-outbound-trunk"],
)
async def test_the_model_is_offered_the_transfers_that_can_work(
    make, server, telephony, transfer_to, overrides, offered
):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, transfer_to=transfer_to)
    call = await make.call(tenant, agent)
    model = ScriptedLLM([GREETING])

    # when the call starts (the greeting is the model's first request)
    settings = telephony.settings.model_copy(update=overrides)
    async with worker_on(call.id, settings, model, bus=server.bus):
        pass

    # then
    assert model.tools_seen[0] == offered
