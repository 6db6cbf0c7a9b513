"""A subscriber that joins late gets the record after its `afterSeq` and then the live events,
in order, ending with `complete` after `CallEnded`: the same frames as when its selection is
executed for it alone, whether it asks exactly what an earlier subscriber asked or not."""

from __future__ import annotations

import json

from core.events import call_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import transcript
from tests.fanout.conftest import Replicas
from tests.fanout.helpers import Audience, Watch
from tests.support.waiting import subscribed
from tests.support.websocket import GraphQLSocket, open_socket


async def test_catch_up_then_live_in_order_as_alone(make, replicas: Replicas):
    # given: a call's timeline watched from the start on both replicas
    tenant = await make.tenant()
    call = await make.call(tenant)
    writer = replicas.buses.writer
    audience = Audience()
    opened: list[GraphQLSocket] = []

    async def watching(url: str, watches: dict[str, Watch]) -> GraphQLSocket:
        socket = await open_socket(url, tenant.token)
        opened.append(socket)
        await audience.subscribe(socket, watches)
        return socket

    try:
        early = {"timeline": Watch.timeline(call.id)}
        live_shared = await watching(replicas.shared.ws_url, early)
        live_alone = await watching(replicas.solo.ws_url, early)
        await subscribed(replicas.buses.server, call_channel(call.id), 2)
        await audience.after(
            calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
            ),
            call,
        )
        await audience.after(transcript(call, "first", writer), call)

        # when: others join with the same document and variables, and from seq 1
        late = {"same": Watch.timeline(call.id), "from-1": Watch.timeline(call.id, after_seq=1)}
        late_shared = await watching(replicas.shared.ws_url, late)
        late_alone = await watching(replicas.solo.ws_url, late)
        for socket in (late_shared, late_alone):
            for operation_id, watch in late.items():
                recorded = await calls.events_after(call_id=call.id, after_seq=watch.after_seq)
                audience.owed[socket][operation_id] += len(recorded)
        await audience.delivered()
        await subscribed(replicas.buses.server, call_channel(call.id), 6)
        await audience.after(transcript(call, "second", writer), call)
        await audience.after(
            calls.apply_status(
                call_id=call.id, status=CallStatus.COMPLETED, source="twilio", bus=writer
            ),
            call,
        )
    finally:
        for socket in opened:
            await socket.close()

    # then: the same bytes shared or alone, every seq once and in order, then `complete`
    audience.exactly_delivered()
    assert live_shared.frames["timeline"] == live_alone.frames["timeline"]
    for operation_id in late:
        assert late_shared.frames[operation_id] == late_alone.frames[operation_id]
    last = (await calls.events_after(call_id=call.id, after_seq=0))[-1].seq
    for socket, operation_id, first in (
        (live_shared, "timeline", 1),
        (late_shared, "same", 1),
        (late_shared, "from-1", 2),
    ):
        messages = [json.loads(frame) for frame in socket.frames[operation_id]]
        assert messages[-1] == {"id": operation_id, "type": "complete"}
        seqs = [message["payload"]["data"]["callEvents"]["seq"] for message in messages[:-1]]
        assert seqs == list(range(first, last + 1))
