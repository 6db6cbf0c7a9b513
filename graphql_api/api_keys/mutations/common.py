from __future__ import annotations

import strawberry

from core.services.api_keys import ApiKeyErrorCode
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError

error_code_enum(
    ApiKeyErrorCode,
    name="ApiKeyErrorCode",
    description="Why `apiKeyCreate` or `apiKeyRevoke` refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class ApiKeyError(PayloadError):
    code: ApiKeyErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The API key changed.")
class ApiKeyPayload(Payload[ApiKeyError]):
    api_key: ApiKeyType | None = strawberry.field(default=None, description="The key as saved.")
