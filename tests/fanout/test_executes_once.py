"""A selection executes once per event for all its subscribers of one scope, and the call an
event's payload shows is read once per event, whatever the number of subscribers."""

from __future__ import annotations

from typing import Any

import pytest

from core.events import organization_channel
from core.services import calls
from core.services.calls import CallStatus
from graphql_api.calls.types import CallType
from orm.models import Call
from tests.fanout.conftest import Replicas
from tests.fanout.helpers import Audience, Watch
from tests.support.waiting import subscribed
from tests.support.websocket import GraphQLSocket, open_socket


async def test_identical_subscribers_share_one_execution_and_one_read_per_event(
    make, replicas: Replicas, monkeypatch: pytest.MonkeyPatch
):
    # given: six subscribers of the dashboard in one organization and role (three sockets, two
    # operations each), and two more under another role
    tenant = await make.tenant()
    billing = await make.member(tenant, "billing")
    call = await make.call(tenant)
    dashboard = Watch.dashboard(tenant.organization_uuid)
    audience = Audience()
    sockets: list[GraphQLSocket] = []
    try:
        for token in (tenant.token, tenant.token, tenant.token, billing.token):
            socket = await open_socket(replicas.shared.ws_url, token)
            sockets.append(socket)
            await audience.subscribe(socket, {"one": dashboard, "two": dashboard})
        await subscribed(replicas.buses.server, organization_channel(tenant.organization_uuid), 8)
        executions, reads = _count_executions_and_reads(monkeypatch)

        # when: the call is answered
        await audience.after(
            calls.apply_status(
                call_id=call.id,
                status=CallStatus.IN_PROGRESS,
                source="livekit",
                bus=replicas.buses.writer,
            ),
            call,
        )
    finally:
        for socket in sockets:
            await socket.close()

    # then: each event the dashboards were sent was executed once per role, and the call read
    # once for all of them
    sent = len(sockets[0].frames["one"])
    assert sent >= 1
    assert all(len(socket.frames[op]) == sent for socket in sockets for op in ("one", "two"))
    assert len(executions) == 2 * sent
    assert reads == [call.id] * sent


def _count_executions_and_reads(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    """Each execution of a `call { ... }` selection builds one `Call` object; each read of the
    call for it goes through `Call.get`."""
    executions: list[Any] = []
    reads: list[Any] = []
    build = CallType.from_model.__func__  # type: ignore[attr-defined]
    get = Call.get.__func__  # type: ignore[attr-defined]

    def counted_build(cls: type[CallType], call: Call) -> CallType:
        executions.append(call.id)
        return build(cls, call)

    def counted_get(cls: type[Call], *args: Any, **kwargs: Any) -> Any:
        reads.append(kwargs.get("id"))
        return get(cls, *args, **kwargs)

    monkeypatch.setattr(CallType, "from_model", classmethod(counted_build))
    monkeypatch.setattr(Call, "get", classmethod(counted_get))
    return executions, reads
