from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import phone_numbers
from core.services.phone_numbers import NumberPurchase
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires
from graphql_api.phone_numbers.mutations.common import PhoneNumberPayload
from graphql_api.phone_numbers.types import PhoneNumberType


@strawberry.input(description="A number for sale (from `availablePhoneNumbers`) to buy.")
class PhoneNumberBuyInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization that will hold the number."
    )
    phone_number: str = strawberry.field(
        description="The number, as `availablePhoneNumbers` gave it (any common format)."
    )

    def to_core(self) -> NumberPurchase:
        return to_core(self, NumberPurchase)


async def phone_number_buy(info: Info, input: PhoneNumberBuyInput) -> PhoneNumberPayload:
    """Buy a number for the organization; its calls then come to the platform, ready to be
    assigned to an agent. The platform's phone company account pays for it."""
    organization = await checked_organization(info)
    number = await phone_numbers.buy(
        organization=organization, purchase=input.to_core(), settings=info.context.settings
    )
    return PhoneNumberPayload(phone_number=PhoneNumberType.from_model(number))


field = mutation(
    phone_number_buy,
    permission=requires(
        Permission.PHONE_NUMBER_MANAGE, OrganizationArgument("input.organization_id")
    ),
)
