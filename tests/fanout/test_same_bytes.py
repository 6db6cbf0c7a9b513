"""Every subscriber receives, byte for byte, what it receives when its selection is
executed for it alone: many subscribers of the same document, of other documents, variables
and aliases, in two organizations, under three roles, and a document whose answer depends on
who is asking."""

from __future__ import annotations

import json

from core.events import call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import transcript
from tests.fanout.conftest import Replicas
from tests.fanout.helpers import PERSONAL, WALL, Audience, Watch
from tests.support.ids import global_id
from tests.support.waiting import subscribed
from tests.support.websocket import GraphQLSocket, open_socket


async def test_each_subscriber_gets_what_it_would_get_alone(make, replicas: Replicas):
    # given: two organizations, an owner, two members and a billing person
    acme, other = await make.tenant(), await make.tenant("Other Co")
    first_member, second_member = await make.member(acme), await make.member(acme)
    billing = await make.member(acme, "billing")
    a1, a2, b1 = await make.call(acme), await make.call(acme), await make.call(other)
    a, b = acme.organization_uuid, other.organization_uuid
    people: dict[str, tuple[str, dict[str, Watch]]] = {
        "owner": (
            acme.token,
            {
                "dash": Watch.dashboard(a),
                "wall": Watch.dashboard(a, WALL),
                "timeline": Watch.timeline(a1.id),
                "timeline-1": Watch.timeline(a1.id, after_seq=1),
            },
        ),
        "first member": (
            first_member.token,
            {
                "dash": Watch.dashboard(a),
                "wall": Watch.dashboard(a, WALL),
                "personal": Watch.dashboard(a, PERSONAL),
            },
        ),
        "second member": (
            second_member.token,
            {"wall": Watch.dashboard(a, WALL), "personal": Watch.dashboard(a, PERSONAL)},
        ),
        "billing": (
            billing.token,
            {
                "dash": Watch.dashboard(a),
                "wall": Watch.dashboard(a, WALL),
                "timeline": Watch.timeline(a1.id),
            },
        ),
        "other owner": (
            other.token,
            {"dash": Watch.dashboard(b), "wall": Watch.dashboard(b, WALL)},
        ),
    }
    audience = Audience()
    # Each person watches from two sockets on the sharing replica and one on the other.
    sockets: dict[str, tuple[GraphQLSocket, ...]] = {}
    try:
        for person, (token, watches) in people.items():
            sockets[person] = tuple(
                [
                    await open_socket(url, token)
                    for url in (
                        replicas.shared.ws_url,
                        replicas.shared.ws_url,
                        replicas.solo.ws_url,
                    )
                ]
            )
            for socket in sockets[person]:
                await audience.subscribe(socket, watches)
        bus = replicas.buses.server
        await subscribed(bus, organization_channel(a), 3 * 9)
        await subscribed(bus, organization_channel(b), 3 * 2)
        await subscribed(bus, call_channel(a1.id), 3 * 3)
        writer = replicas.buses.writer

        # when: one write at a time, each delivered before the next
        await audience.after(
            calls.apply_status(
                call_id=a1.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
            ),
            a1,
        )
        await audience.after(transcript(a1, "hello, café ☕", writer), a1)
        await audience.after(
            calls.apply_status(
                call_id=b1.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
            ),
            b1,
        )
        await audience.after(
            calls.apply_status(
                call_id=a2.id, status=CallStatus.NO_ANSWER, source="twilio", bus=writer
            ),
            a2,
        )
        await audience.after(
            calls.apply_status(
                call_id=a1.id, status=CallStatus.COMPLETED, source="twilio", bus=writer
            ),
            a1,
        )

        # then: no more than owed, and every operation of every person got the same bytes
        # on each of their sockets, shared or not
        audience.exactly_delivered()
        for person, (shared, also_shared, alone) in sockets.items():
            for operation_id in people[person][1]:
                assert shared.frames[operation_id] == alone.frames[operation_id], (
                    person,
                    operation_id,
                )
                assert also_shared.frames[operation_id] == alone.frames[operation_id], (
                    person,
                    operation_id,
                )
    finally:
        for person_sockets in sockets.values():
            for socket in person_sockets:
                await socket.close()

    # and the frames are those of before: compact JSON, ASCII, field errors in the payload,
    # and a document that depends on the person answered for each person
    a1_id = global_id("Call", a1.id)
    assert sockets["owner"][0].frames["wall"][0] == (
        '{"id":"wall","type":"next","payload":{"data":{"updates":{"kind":"STATUS_CHANGED",'
        '"seq":1,"now":"IN_PROGRESS","was":"RINGING","call":{"id":"' + a1_id + '",'
        '"state":"IN_PROGRESS","agent":{"name":"Front desk"}}}}}}'
    )
    billing_wall = json.loads(sockets["billing"][0].frames["wall"][0])
    assert billing_wall["payload"]["data"]["updates"]["call"]["agent"] is None
    lines = WALL.split("\n")
    agent_line = next(number for number, line in enumerate(lines, 1) if "agent {" in line)
    assert billing_wall["payload"]["errors"] == [
        {
            "message": "You do not have permission to do this.",
            "locations": [{"line": agent_line, "column": lines[agent_line - 1].index("agent") + 1}],
            "path": ["updates", "call", "agent"],
            "extensions": {"code": "FORBIDDEN"},
        }
    ]
    said = [frame for frame in sockets["owner"][0].frames["timeline"] if "Transcript" in frame]
    assert len(said) == 1 and "caf\\u00e9 \\u2615" in said[0]
    first_personal = json.loads(sockets["first member"][0].frames["personal"][0])
    second_personal = json.loads(sockets["second member"][0].frames["personal"][0])
    assert first_personal != second_personal  # each reads only their own memberships
    readable = [
        member["user"]["email"]
        for member in first_personal["payload"]["data"]["organizationCallUpdates"]["call"]["agent"][
            "organization"
        ]["members"]
        if member["user"]["memberships"] is not None
    ]
    assert readable == [first_member.email]
