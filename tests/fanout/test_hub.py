"""The hub's key: one execution per event for one selection and scope, whoever asks and
however many at once; a scope differing in anything (organization, role, permissions,
platform admin) gets its own execution, never another's result."""

from __future__ import annotations

import asyncio
import json
import uuid

from graphql import parse

from core.call_events import CallStatus, StatusChanged, StatusSource
from core.events import Event, InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.security.tokens import AccessTokenCodec
from graphql_api.calls.events import from_event
from graphql_api.fanout.hub import FanoutHub, SharedReads
from graphql_api.fanout.scope import SelectionScope
from graphql_api.schema import build_schema
from tests.support.servers import RunningServer

QUERY = """
subscription Seen($org: ID!) {
  organizationCallUpdates(organizationId: $org) { seq type occurredAt }
}
"""


def _hub(server: RunningServer) -> FanoutHub:
    settings = server.settings
    return FanoutHub(
        schema=build_schema(settings),
        encode_json=lambda data: json.dumps(data, separators=(",", ":")),
        settings=settings,
        codec=AccessTokenCodec(settings),
        bus=InProcessBus(),
        rooms=LiveKitRooms(settings),
    )


def _scope(
    organization: uuid.UUID,
    role: str = "member",
    *,
    permissions: frozenset[str] = frozenset({"call:read", "agent:read"}),
    role_id: uuid.UUID | None = None,
    admin: bool = False,
) -> SelectionScope:
    return SelectionScope(organization, role_id, role, permissions, admin)


async def test_one_execution_per_selection_scope_and_event(server: RunningServer):
    # given
    hub = _hub(server)
    organization, other = uuid.uuid4(), uuid.uuid4()
    event = Event(
        organization_id=organization,
        call_id=uuid.uuid4(),
        seq=7,
        payload=StatusChanged(
            status=CallStatus.IN_PROGRESS,
            previous_status=CallStatus.RINGING,
            source=StatusSource.LIVEKIT,
        ),
    )
    selection = hub.selection(
        query=QUERY,
        operation_name=None,
        variables={"org": "any"},
        document=parse(QUERY),
    )

    def root(reads: SharedReads) -> object:
        return from_event(event)

    scopes = [
        _scope(organization),
        _scope(other),  # another organization, same permissions
        _scope(organization, permissions=frozenset({"call:read"})),  # narrower
        _scope(organization, "billing"),  # another role, same permissions
        _scope(organization, role_id=uuid.uuid4()),  # another role version
        _scope(organization, admin=True),
    ]

    # when: ten subscribers of each scope ask at once, and one more of the first later
    payloads = await asyncio.gather(
        *(hub.payload(selection, scope, event.id, root) for scope in scopes for _ in range(10))
    )
    again = await hub.payload(selection, scopes[0], event.id, root)

    # then: one execution per scope; every subscriber of a scope got the same text
    assert hub.executions == len(scopes)
    assert again is payloads[0]
    for index in range(len(scopes)):
        group = payloads[index * 10 : (index + 1) * 10]
        assert all(payload is group[0] for payload in group)
    assert json.loads(payloads[0]) == {
        "data": {
            "organizationCallUpdates": {
                "seq": 7,
                "type": "STATUS_CHANGED",
                "occurredAt": event.occurred_at.isoformat(),
            }
        }
    }
    # and another event of the same selection and scope is executed again
    later = Event(organization_id=organization, call_id=event.call_id, seq=8, payload=event.payload)
    await hub.payload(selection, scopes[0], later.id, lambda reads: from_event(later))
    assert hub.executions == len(scopes) + 1
