from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from core.rbac import Permission
from core.services import calls
from graphql_api import ids
from graphql_api.calls.types import CallConnection, CallStatus, CallType
from graphql_api.context import Info
from graphql_api.pagination import paginate
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires


@strawberry.type
class CallQueries:
    @strawberry.field(
        description="One call with its record.",
        extensions=requires(Permission.CALL_READ, ObjectArgument("id", "Call", "call")),
    )
    async def call(self, info: Info, id: strawberry.ID) -> CallType:
        return CallType.from_model(info.context.checked_for(info).target)

    @strawberry.field(
        description="The organization's calls, newest first.",
        extensions=requires(Permission.CALL_READ, OrganizationArgument()),
    )
    async def calls(
        self,
        info: Info,
        organization_id: strawberry.ID,
        agent_id: strawberry.ID | None = None,
        status: list[CallStatus] | None = None,  # type: ignore[valid-type]
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> CallConnection:
        query = calls.get_all(
            organization_id=info.context.checked_for(info).access.organization_id,
            agent_id=ids.decode(agent_id, "Agent") if agent_id else None,
            statuses=[s.value for s in status] if status else None,
            since=from_,
            until=to,
        )
        return await paginate(  # type: ignore[return-value]
            query,
            first=first,
            after=after,
            to_node=CallType.from_model,
            connection=CallConnection,
        )

    @strawberry.field(
        description="Calls ringing or in progress now.",
        extensions=requires(Permission.CALL_READ, OrganizationArgument()),
    )
    async def active_calls(self, info: Info, organization_id: strawberry.ID) -> list[CallType]:
        rows = await calls.get_active(
            organization_id=info.context.checked_for(info).access.organization_id
        )
        return [CallType.from_model(row) for row in rows]
