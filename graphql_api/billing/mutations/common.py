from __future__ import annotations

import strawberry

from core.services.billing import BillingErrorCode
from core.services.credits import CreditErrorCode
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError

error_code_enum(
    BillingErrorCode,
    name="BillingErrorCode",
    description="Why a Checkout or billing-portal mutation refused its input.",
)
error_code_enum(
    CreditErrorCode,
    name="CreditErrorCode",
    description="Why `creditAdjust` refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class BillingError(PayloadError):
    code: BillingErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class CreditError(PayloadError):
    code: CreditErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="Where to send the browser next.")
class BillingRedirectPayload(Payload[BillingError]):
    url: str | None = strawberry.field(
        default=None, description="The Stripe page to send the browser to; it comes back after."
    )
