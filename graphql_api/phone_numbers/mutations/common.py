from __future__ import annotations

import strawberry

from core.services.phone_numbers import PhoneNumberErrorCode
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError
from graphql_api.phone_numbers.types import PhoneNumberType

error_code_enum(
    PhoneNumberErrorCode,
    name="PhoneNumberErrorCode",
    description="Why `availablePhoneNumbers`, `phoneNumberBuy`, `phoneNumberImport` or "
    "`phoneNumberRelease` refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class PhoneNumberError(PayloadError):
    code: PhoneNumberErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The number bought, imported or released.")
class PhoneNumberPayload(Payload[PhoneNumberError]):
    phone_number: PhoneNumberType | None = strawberry.field(
        default=None, description="The number as saved."
    )
