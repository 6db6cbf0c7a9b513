"""Hostile traffic over WebSocket: oversized documents, legacy handshakes, the subscription cap.

Only graphql-transport-ws is spoken: a refused document is an `error` for that operation
(no SQL runs, the socket goes on); a broken handshake closes the socket with a 44xx code.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.events import InProcessBus
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import graphql_socket, new_call, new_tenant
from tests.conftest import create_organization, sign_up
from tests.security_hostile.helpers import (
    TRIVIAL,
    alias_flood,
    deep_query,
    directive_flood,
    field_flood,
    sql_statements,
    token_flood,
)
from tests.support.servers import running_app

ORGANIZATION_CALL_UPDATES = """
subscription Updates($organizationId: ID!) {
  organizationCallUpdates(organizationId: $organizationId) { type seq callId call { status } }
}
"""


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
    gql, server, caplog, document: str, message: str, closes: bool
):
    # given an acknowledged socket
    account = await sign_up(gql)
    organization_id = await create_organization(gql, account)
    async with graphql_socket(server.ws_url, account.token) as socket:
        # when
        with sql_statements() as during:
            await socket.subscribe("hostile", document, {"id": organization_id})
            if closes:
                with pytest.raises(ConnectionClosed) as closed:
                    await socket.next("hostile")
            else:
                refused = await socket.next("hostile")

        # then: refused before any resolver (not one SQL statement), with the limit named
        assert during == []
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        if closes:
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4400, message)
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


async def _close_code(url: str, subprotocols: list[str], messages: list[dict[str, Any]]):
    """Send `messages`; (the subprotocol chosen, what came back, the close code)."""
    received: list[Any] = []
    async with connect(url, subprotocols=subprotocols) as socket:
        chosen = socket.subprotocol
        try:
            for message in messages:
                await socket.send(json.dumps(message))
                await asyncio.sleep(0.05)
            while True:
                received.append(json.loads(await asyncio.wait_for(socket.recv(), 5)))
        except ConnectionClosed as closed:
            return chosen, received, closed.rcvd.code if closed.rcvd else None


HANDSHAKES = {
    # No connection_init in that protocol: nothing would authenticate it.
    "legacy graphql-ws subprotocol": (
        ["graphql-ws"],
        [
            {"type": "connection_init", "payload": {"authorization": "Bearer {token}"}},
            {"id": "1", "type": "start", "payload": {"query": TRIVIAL}},
        ],
        None,
        [],
        4406,
    ),
    "legacy `start` after connection_init": (
        ["graphql-transport-ws"],
        [
            {"type": "connection_init", "payload": {"authorization": "Bearer {token}"}},
            {"id": "1", "type": "start", "payload": {"query": TRIVIAL}},
        ],
        "graphql-transport-ws",
        [{"type": "connection_ack", "payload": None}],
        4400,
    ),
    "`subscribe` before connection_init": (
        ["graphql-transport-ws"],
        [{"id": "1", "type": "subscribe", "payload": {"query": TRIVIAL}}],
        "graphql-transport-ws",
        [],
        4401,
    ),
    "connection_init twice": (
        ["graphql-transport-ws"],
        [
            {"type": "connection_init", "payload": {"authorization": "Bearer {token}"}},
            {"type": "connection_init", "payload": {"authorization": "Bearer {token}"}},
        ],
        "graphql-transport-ws",
        [{"type": "connection_ack", "payload": None}],
        4429,
    ),
}


@pytest.mark.parametrize(
    ("subprotocols", "messages", "chosen", "replies", "code"),
    HANDSHAKES.values(),
    ids=list(HANDSHAKES),
)
async def test_a_broken_handshake_closes_the_socket_with_a_44xx_code(
    gql, server, subprotocols, messages, chosen, replies, code
):
    # given a valid credential, so only the protocol is at fault
    account = await sign_up(gql)
    messages = json.loads(json.dumps(messages).replace("{token}", account.token))

    # when
    selected, received, close_code = await _close_code(server.ws_url, subprotocols, messages)

    # then: no data ever, only the acknowledgement where the handshake was right so far
    assert selected == chosen
    assert received == replies
    assert close_code == code


async def test_subscriptions_over_the_cap_are_refused_and_the_others_keep_working(gql, server):
    # given: a server allowing two subscriptions per connection, and both places taken
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 2})
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    bus = InProcessBus()
    variables = {"organizationId": tenant.organization_id}
    async with (
        running_app(settings, bus=bus) as app,
        graphql_socket(app.ws_url, tenant.owner.token) as socket,
    ):
        await socket.subscribe("1", ORGANIZATION_CALL_UPDATES, variables)
        await socket.subscribe("2", ORGANIZATION_CALL_UPDATES, variables)
        await socket.nothing_for("1", 0.2)

        # when: three more are asked for
        refusals = []
        for operation_id in ("3", "4", "5"):
            await socket.subscribe(operation_id, ORGANIZATION_CALL_UPDATES, variables)
            refusals.append(await socket.next(operation_id))
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=bus
        )

        # then
        assert [(r["type"], r["payload"]) for r in refusals] == [
            ("error", [{"message": "Subscription limit reached"}])
        ] * 3
        for operation_id in ("1", "2"):
            update = await socket.data(operation_id, "organizationCallUpdates")
            assert (update["seq"], update["type"], update["call"]) == (
                1,
                "call.status_changed",
                {"status": "IN_PROGRESS"},
            )
        for operation_id in ("3", "4", "5"):
            await socket.nothing_for(operation_id, 0.1)
    await bus.close()


class _Exploding:
    def __iter__(self):
        raise RuntimeError("internal detail: db password is hunter2")


async def test_an_unexpected_error_over_websocket_is_masked_like_over_http(
    gql, server, monkeypatch
):
    # given: a resolver that fails unexpectedly (the server runs in this process)
    from core.services import agents

    account = await sign_up(gql)
    monkeypatch.setattr(agents, "VOICES", _Exploding())
    over_http = await gql.execute("query Voices { agentVoices }", token=account.token)

    # when
    async with graphql_socket(server.ws_url, account.token) as socket:
        await socket.subscribe("1", "query Voices { agentVoices }")
        over_ws = await socket.next("1")

    # then: both say "Unexpected error" with a reference, never the exception's text
    for errors in (over_http["errors"], over_ws["payload"]["errors"]):
        assert [error["extensions"]["code"] for error in errors] == ["INTERNAL_SERVER_ERROR"]
        assert errors[0]["message"].startswith("Unexpected error. Reference: ")
    assert over_ws["type"] == "next"
    assert "hunter2" not in json.dumps(over_ws)
