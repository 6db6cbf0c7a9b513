"""Hostile traffic over WebSocket: oversized documents, legacy handshakes, the subscription cap.

Only graphql-transport-ws is spoken: a refused document is an `error` for that operation
(no SQL runs, the socket goes on); a broken handshake closes the socket with a 44xx code.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.events import InProcessBus, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.support.hostile import (
    TRIVIAL,
    alias_flood,
    deep_query,
    directive_flood,
    field_flood,
    token_flood,
)
from tests.support.logs import sql_statements
from tests.support.operations import AGENT_VOICES, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.waiting import subscribed
from tests.support.websocket import (
    TRANSPORT_WS,
    GraphQLSocket,
    SocketClosed,
    graphql_socket,
    open_socket,
)


def _subscription_alias_flood(count: int) -> str:
    fields = " ".join(f"s{i}: seq" for i in range(count))
    selection = f"organizationCallUpdates(organizationId: $id) {{ {fields} }}"
    return f"subscription Flood($id: ID!) {{ {selection} }}"


# document, message, whether the protocol closes the socket (4400) rather than answering
# `error`: graphql-transport-ws treats a document that does not parse as a protocol error.
WS_CASES = {
    "deep nesting (50 levels)": (
        deep_query(50),
        "'Deep' exceeds maximum operation depth of 12",
        False,
    ),
    "alias flood (100 aliases)": (alias_flood(100), "100 aliases found. Allowed: 30", False),
    "subscription alias flood (100)": (
        _subscription_alias_flood(100),
        "100 aliases found. Allowed: 30",
        False,
    ),
    "field duplication (1,500 copies)": (
        field_flood(1500),
        "The document selects 1500 fields; the limit is 500.",
        False,
    ),
    "directive flood (40 directives)": (
        directive_flood(40),
        "The document uses 40 directives; the limit is 30.",
        False,
    ),
    # These two used to kill the operation's task: a bare `complete`, no reason, and a
    # logged traceback quoting the document (graphql_api.limits.SafeParserCache).
    "token flood (2,010 tokens)": (
        token_flood(2010),
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
        True,
    ),
    "unparsable document": ("{ me { id ", "Syntax Error: Expected Name, found <EOF>.", True),
}


@pytest.mark.parametrize(("document", "message", "closes"), WS_CASES.values(), ids=list(WS_CASES))
async def test_a_hostile_document_over_websocket_is_refused_before_any_resolver(
    server, make, caplog, document: str, message: str, closes: bool
):
    # given an acknowledged socket
    tenant = await make.tenant()
    async with graphql_socket(server.ws_url, tenant.token) as socket:
        # when
        with sql_statements() as during:
            await socket.subscribe("hostile", document, {"id": tenant.organization_id})
            if closes:
                with pytest.raises(SocketClosed) as closed:
                    await socket.next("hostile")
            else:
                refused = await socket.next("hostile")

        # then: refused before any resolver (not one SQL statement), with the limit named
        assert during == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        if closes:
            assert (closed.value.code, closed.value.reason) == (4400, message)
            return
        assert refused["type"] == "error", refused
        assert [error["message"] for error in refused["payload"]] == [message]
        # and the socket goes on
        await socket.subscribe("after", TRIVIAL)
        assert await socket.next("after") == {
            "id": "after",
            "type": "next",
            "payload": {"data": {"__typename": "Query"}},
        }
        assert (await socket.next("after"))["type"] == "complete"


def _init(token: str) -> dict[str, Any]:
    return {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}


LEGACY_START = {"id": "1", "type": "start", "payload": {"query": TRIVIAL}}

# subprotocols asked for, whether a correct connection_init is acknowledged first, what is
# sent then (`{token}`: a valid credential), the subprotocol chosen, the close code.
HANDSHAKES = {
    # No connection_init in that protocol: nothing would authenticate it.
    "legacy graphql-ws subprotocol": (
        ["graphql-ws"],
        False,
        [_init("{token}"), LEGACY_START],
        None,
        4406,
    ),
    "legacy `start` after connection_init": (
        [TRANSPORT_WS],
        True,
        [LEGACY_START],
        TRANSPORT_WS,
        4400,
    ),
    "`subscribe` before connection_init": (
        [TRANSPORT_WS],
        False,
        [{"id": "1", "type": "subscribe", "payload": {"query": TRIVIAL}}],
        TRANSPORT_WS,
        4401,
    ),
    "connection_init twice": ([TRANSPORT_WS], True, [_init("{token}")], TRANSPORT_WS, 4429),
}


async def _handshake(
    ws_url: str, subprotocols: list[str], acknowledged: bool, token: str
) -> GraphQLSocket:
    if acknowledged:  # open_socket checks that connection_ack is the answer to the init
        return await open_socket(ws_url, token)
    return GraphQLSocket(await connect(ws_url, subprotocols=subprotocols))


@pytest.mark.parametrize(
    ("subprotocols", "acknowledged", "messages", "chosen", "code"),
    HANDSHAKES.values(),
    ids=list(HANDSHAKES),
)
async def test_a_broken_handshake_closes_the_socket_with_a_44xx_code(
    server, make, subprotocols, acknowledged, messages, chosen, code
):
    # given a valid credential, so only the protocol is at fault
    account = await make.account()
    socket = await _handshake(server.ws_url, subprotocols, acknowledged, account.token)
    messages = json.loads(json.dumps(messages).replace("{token}", account.token))

    # when
    try:
        # The server may close before it has read them all (the legacy subprotocol at once).
        with contextlib.suppress(ConnectionClosed):
            for message in messages:
                await socket.send(message)
        close_code, _ = await socket.wait_closed()
    finally:
        await socket.close()

    # then: the socket is closed with the code, and no data ever came
    assert socket.connection.subprotocol == chosen
    assert close_code == code
    assert socket.pending("1") == []


async def test_subscriptions_over_the_cap_are_refused_and_the_others_keep_working(server, make):
    # given: a server allowing two subscriptions per connection, and both places taken
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 2})
    tenant = await make.tenant()
    call = await make.call(tenant)
    channel = organization_channel(tenant.organization_uuid)
    bus = InProcessBus()
    variables = {"organizationId": tenant.organization_id}
    async with (
        running_app(settings, bus=bus) as app,
        graphql_socket(app.ws_url, tenant.token) as socket,
    ):
        await socket.subscribe("1", ORGANIZATION_CALL_UPDATES, variables)
        await socket.subscribe("2", ORGANIZATION_CALL_UPDATES, variables)
        await subscribed(bus, channel, count=2)

        # when: three more are asked for, then a call of the organization changes status
        refusals = []
        for operation_id in ("3", "4", "5"):
            await socket.subscribe(operation_id, ORGANIZATION_CALL_UPDATES, variables)
            refusals.append(await socket.next(operation_id))
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=bus
        )

        # then: each of the three is refused, and the two keep working
        assert [(r["type"], r["payload"]) for r in refusals] == [
            ("error", [{"message": "Subscription limit reached"}])
        ] * 3
        for operation_id in ("1", "2"):
            update = await socket.data(operation_id, "organizationCallUpdates")
            assert (update["seq"], update["type"], update["call"]["status"]) == (
                1,
                "STATUS_CHANGED",
                "IN_PROGRESS",
            )
        # The refused ones never listened: the event that reached the two reached no other.
        assert bus.subscriber_count(channel) == 2
        for operation_id in ("1", "2", "3", "4", "5"):
            assert socket.pending(operation_id) == []
    await bus.close()


class _Exploding:
    def __iter__(self):
        raise RuntimeError("internal detail: db password is hunter2")


async def test_an_unexpected_error_over_websocket_is_masked_like_over_http(
    gql, server, make, monkeypatch
):
    # given: a resolver that fails unexpectedly (the server runs in this process)
    from core.services import agents

    account = await make.account()
    monkeypatch.setattr(agents, "VOICES", _Exploding())
    over_http = await gql.execute(AGENT_VOICES, token=account.token)

    # when
    async with graphql_socket(server.ws_url, account.token) as socket:
        await socket.subscribe("1", AGENT_VOICES)
        over_ws = await socket.next("1")

    # then: both say "Unexpected error" with a reference, never the exception's text
    for errors in (over_http["errors"], over_ws["payload"]["errors"]):
        assert [error["extensions"]["code"] for error in errors] == ["INTERNAL_SERVER_ERROR"]
        assert errors[0]["message"].startswith("Unexpected error. Reference: ")
    assert over_ws["type"] == "next"
    assert "hunter2" not in json.dumps(over_ws)
