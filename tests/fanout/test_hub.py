"""The hub's key: one execution per event for one selection and scope, whoever asks and
however many at once; a scope differing in anything (organization, role, permissions,
platform admin) gets its own execution, never another's result."""

from __future__ import annotations

import asyncio
import json
import uuid

from graphql import parse

from core import tenancy
from core.call_events import CallStatus, StatusChanged, StatusSource
from core.events import Event, InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.security.tokens import AccessTokenCodec
from graphql_api.calls.events import from_event
from graphql_api.fanout.hub import FanoutHub, Selection, SharedReads
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


def _answered(organization: uuid.UUID, *, seq: int) -> Event:
    return Event(
        organization_id=organization,
        call_id=uuid.uuid4(),
        seq=seq,
        payload=StatusChanged(
            status=CallStatus.IN_PROGRESS,
            previous_status=CallStatus.RINGING,
            source=StatusSource.LIVEKIT,
        ),
    )


def _selection(hub: FanoutHub) -> Selection:
    return hub.selection(
        query=QUERY, operation_name=None, variables={"org": "any"}, document=parse(QUERY)
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
    event = _answered(organization, seq=7)
    selection = _selection(hub)

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


async def test_a_shared_execution_reaches_the_event_s_organization_only(
    server: RunningServer, monkeypatch
):
    # given: the first subscriber to ask reaches two organizations in the database
    hub = _hub(server)
    organization, their_other = uuid.uuid4(), uuid.uuid4()
    event = _answered(organization, seq=1)
    selection = _selection(hub)
    reached: list[tenancy.Scope] = []
    execute = hub._execute

    async def watched(*args: object) -> str | None:
        reached.append(tenancy.current())
        return await execute(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(hub, "_execute", watched)

    # when it asks for the event's result, which every subscriber of the scope then shares
    with tenancy.scoped(tenancy.Scope(frozenset({organization, their_other}))):
        await hub.payload(selection, _scope(organization), event.id, lambda r: from_event(event))

    # then the execution's reads reached the event's organization, nothing of theirs besides
    assert reached == [tenancy.Scope(frozenset({organization}))]
