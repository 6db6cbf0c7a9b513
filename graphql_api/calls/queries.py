from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from core.rbac import Permission
from core.services import calls
from graphql_api import ids
from graphql_api.calls.types import (
    CallConnection,
    CallStatus,
    CallType,
    preload_call_fields,
)
from graphql_api.context import Info
from graphql_api.descriptions import OrganizationId
from graphql_api.pagination import after_argument, first_argument, paginate
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires


@strawberry.type
class CallQueries:
    @strawberry.field(
        description="One call with its record; null, with NOT_FOUND, when it is missing or not "
        "yours.",
        extensions=requires(Permission.CALL_READ, ObjectArgument("id", "Call", "call")),
    )
    async def call(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The call's global id.")],
    ) -> CallType | None:
        return CallType.from_model(info.context.checked_for(info).target)

    @strawberry.field(
        description="The organization's calls, newest first.",
        extensions=requires(Permission.CALL_READ, OrganizationArgument()),
    )
    async def calls(
        self,
        info: Info,
        organization_id: OrganizationId,
        agent_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only this agent's calls (its global id)."),
        ] = None,
        status: Annotated[
            list[CallStatus] | None,
            strawberry.argument(description="Only calls in one of these statuses."),
        ] = None,
        from_: Annotated[
            datetime | None,
            strawberry.argument(
                name="from", description="Only calls that reached the platform at or after this."
            ),
        ] = None,
        to: Annotated[
            datetime | None,
            strawberry.argument(description="Only calls that reached the platform before this."),
        ] = None,
        first: Annotated[int | None, first_argument(CallConnection.page_size)] = (
            CallConnection.page_size.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> CallConnection | None:
        organization_uuid = info.context.checked_for(info).access.organization_id
        query = calls.get_all(
            organization_id=organization_uuid,
            agent_id=ids.decode(agent_id, "Agent") if agent_id else None,
            statuses=[s.value for s in status] if status else None,
            since=from_,
            until=to,
        )
        page = await paginate(
            query,
            first=first,
            after=after,
            to_node=CallType.from_model,
            connection=CallConnection,
        )
        await preload_call_fields(
            info, organization_uuid, [edge.node.model for edge in page.edges], "edges", "node"
        )
        return page

    @strawberry.field(
        description="Calls ringing or in progress now.",
        extensions=requires(Permission.CALL_READ, OrganizationArgument()),
    )
    async def active_calls(
        self, info: Info, organization_id: OrganizationId
    ) -> list[CallType] | None:
        organization_uuid = info.context.checked_for(info).access.organization_id
        rows = await calls.get_active(organization_id=organization_uuid)
        await preload_call_fields(info, organization_uuid, rows)
        return [CallType.from_model(row) for row in rows]
