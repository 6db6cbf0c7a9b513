from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import calls
from core.services.calls import CallErrorCode
from graphql_api.calls.types import CallType
from graphql_api.context import Info
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import (
    CODE_DESCRIPTION,
    PAYLOAD_ERROR_DESCRIPTION,
    Payload,
    PayloadError,
    mutation,
)
from graphql_api.permissions import ObjectArgument, requires

error_code_enum(CallErrorCode, name="CallErrorCode", description="Why `callCreate` placed no call.")


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class CallError(PayloadError):
    code: CallErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.input(description="Which agent calls, and whom.")
class CallCreateInput:
    agent_id: strawberry.ID = strawberry.field(
        description="The global id of the agent that calls, from its own number."
    )
    to_number: str = strawberry.field(description="Any common format; dialled as E.164.")


@strawberry.type(description="The outgoing call placed.")
class CallCreatePayload(Payload[CallError]):
    call: CallType | None = strawberry.field(
        default=None, description="The call, ringing; follow it with `callEvents`."
    )


async def call_create(info: Info, input: CallCreateInput) -> CallCreatePayload:
    """Have the agent call a number, from the agent's own number."""
    agent = info.context.checked_for(info).target
    call = await calls.start_outbound(
        agent=agent,
        to_number=input.to_number,
        rooms=info.context.rooms,
        settings=info.context.settings,
        bus=info.context.bus,
    )
    return CallCreatePayload(call=CallType.from_model(call))


field = mutation(
    call_create,
    permission=requires(Permission.CALL_CREATE, ObjectArgument("input.agent_id", "Agent", "agent")),
)
