from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import calls
from core.services.calls import CallErrorCode
from graphql_api.calls.types import CallType
from graphql_api.context import Info
from graphql_api.errors import error_type, payload_errors

CallError = error_type("CallError", CallErrorCode)


@strawberry.input
class CallCreateInput:
    agent_id: strawberry.ID
    to_number: str = strawberry.field(description="Any common format; dialled as E.164.")


@strawberry.type
class CallCreatePayload:
    call: CallType | None = None
    errors: list[CallError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def call_create(info: Info, input: CallCreateInput) -> CallCreatePayload:
    """Have the agent call a number, from the agent's own number."""
    agent = info.context.checked_for(info).target
    try:
        call = await calls.start_outbound(
            agent=agent,
            to_number=input.to_number,
            rooms=info.context.rooms,
            settings=info.context.settings,
            bus=info.context.bus,
        )
    except ServiceError as error:
        return CallCreatePayload(errors=payload_errors(CallError, error.errors))
    return CallCreatePayload(call=CallType.from_model(call))
