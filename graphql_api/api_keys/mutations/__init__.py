"""The API key mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.api_keys.mutations import api_key_create, api_key_revoke


@strawberry.type
class ApiKeyMutations:
    api_key_create = api_key_create.field
    api_key_revoke = api_key_revoke.field
