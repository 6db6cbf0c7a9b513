"""The call mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.calls.mutations import call_create


@strawberry.type
class CallMutations:
    call_create = call_create.field
