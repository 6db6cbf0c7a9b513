from __future__ import annotations

import strawberry

from core.services.api_keys import ApiKeyErrorCode
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.errors import error_type

ApiKeyError = error_type("ApiKeyError", ApiKeyErrorCode)


@strawberry.type
class ApiKeyPayload:
    api_key: ApiKeyType | None = None
    errors: list[ApiKeyError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
