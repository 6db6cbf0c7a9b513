"""The phone number mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.phone_numbers.mutations import (
    phone_number_buy,
    phone_number_import,
    phone_number_release,
)


@strawberry.type
class PhoneNumberMutations:
    phone_number_buy = phone_number_buy.field
    phone_number_import = phone_number_import.field
    phone_number_release = phone_number_release.field
