from __future__ import annotations

import strawberry

from core.services.billing import BillingErrorCode
from core.services.credits import CreditErrorCode
from graphql_api.errors import error_type

BillingError = error_type("BillingError", BillingErrorCode)
CreditError = error_type("CreditError", CreditErrorCode)


@strawberry.type(description="Where to send the browser next.")
class BillingRedirectPayload:
    url: str | None = None
    errors: list[BillingError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
