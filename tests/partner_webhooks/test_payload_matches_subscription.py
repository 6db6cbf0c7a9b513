"""A call event's webhook `data` is exactly what a subscription selecting every field of the
event's object type delivers: one event, the same JSON in the record, the stream and the
webhook. The selection is generated from the published schema, so a field added to an event
type (or a new type) is compared too."""

from __future__ import annotations

import json
from functools import cache

from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)

from core.call_events import CallEventType
from core.events import call_channel
from core.partner_webhooks.payloads import typename
from core.services import calls
from graphql_api.schema import schema_sdl
from orm.models import WebhookDelivery
from tests.calls_live.test_event_types import SAMPLES
from tests.support.ids import global_id
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket


@cache
def _schema() -> GraphQLSchema:
    return build_schema(schema_sdl())


def _every_field(object_type: GraphQLObjectType | GraphQLInterfaceType, depth: int = 0) -> str:
    """Every field without arguments; an object's own fields in turn (depth-limited), and of
    the call only its id: the webhook names the call, the API tells how it is now."""
    selected = []
    for name, field in object_type.fields.items():
        if any(is_required_argument(arg) for arg in field.args.values()):
            continue
        named = get_named_type(field.type)
        if is_leaf_type(named):
            selected.append(name)
        elif name == "call":
            selected.append("call { id }")
        elif isinstance(named, GraphQLObjectType | GraphQLInterfaceType) and depth < 3:
            selected.append(f"{name} {{ {_every_field(named, depth + 1)} }}")
    return " ".join(selected)


def _subscription() -> str:
    fragments = " ".join(
        f"... on {typename(event_type)} {{ {_every_field(_object_type(event_type))} }}"
        for event_type in CallEventType
    )
    return (
        "subscription Every($callId: ID!) { callEvents(callId: $callId) { "
        f"__typename {fragments} }} }}"
    )


def _object_type(event_type: CallEventType) -> GraphQLObjectType:
    found = _schema().type_map[typename(event_type)]
    assert isinstance(found, GraphQLObjectType), typename(event_type)
    return found


async def test_webhook_data_equals_the_subscription_json_for_every_event_type(server, make):
    # given: a call, an endpoint receiving every type, and a subscription selecting all
    tenant = await make.tenant()
    call = await make.call(tenant)
    await make.webhook_endpoint(tenant, url="https://crm.example.com/hooks")
    # the stream completes after `CallEnded`: it goes last
    order = sorted(SAMPLES, key=lambda event_type: event_type is CallEventType.ENDED)

    async with graphql_socket(server.ws_url, tenant.token) as socket:
        await socket.subscribe("1", _subscription(), {"callId": global_id("Call", call.id)})
        await subscribed(server.bus, call_channel(call.id))

        for event_type in order:
            # when: one event of the type is recorded
            event = await calls.record_event(
                call_id=call.id, payload=SAMPLES[event_type], bus=server.bus
            )
            assert event is not None
            streamed = await socket.data("1", "callEvents")

            # then: what the webhook carries is what the stream delivered
            (delivery,) = await WebhookDelivery.filter(message_id=str(event.id))
            data = json.loads(delivery.body)["data"]
            data.pop("report", None)  # call.ended's addition, not a field of CallEnded
            assert data == streamed, event_type


def test_the_generated_selection_covers_every_field_of_every_event_type():
    # then: each type is selected with every field (none of them takes a required argument)
    query = _subscription()
    for event_type in CallEventType:
        object_type = _object_type(event_type)
        assert f"... on {object_type.name} " in query
        for name in object_type.fields:
            assert name in query, (object_type.name, name)
