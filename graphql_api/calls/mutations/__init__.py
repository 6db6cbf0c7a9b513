import strawberry

from core.rbac import Permission
from graphql_api.calls.mutations.call_create import call_create
from graphql_api.permissions import ObjectArgument, requires


@strawberry.type
class CallMutations:
    call_create = strawberry.mutation(
        resolver=call_create,
        extensions=requires(
            Permission.CALL_CREATE, ObjectArgument("input.agent_id", "Agent", "agent")
        ),
    )
