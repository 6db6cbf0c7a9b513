from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import phone_numbers
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.phone_numbers.mutations.common import PhoneNumberPayload
from graphql_api.phone_numbers.types import PhoneNumberType


@strawberry.input(description="The number to give back.")
class PhoneNumberReleaseInput:
    id: strawberry.ID = strawberry.field(description="The number's global id.")


async def phone_number_release(info: Info, input: PhoneNumberReleaseInput) -> PhoneNumberPayload:
    """Give a number back to the phone company: its calls stop reaching the platform, and
    it may go to someone else. Refused while an agent answers it."""
    number = info.context.checked_for(info).target
    released = await phone_numbers.release(number=number, settings=info.context.settings)
    return PhoneNumberPayload(phone_number=PhoneNumberType.from_model(released))


field = mutation(
    phone_number_release,
    permission=requires(
        Permission.PHONE_NUMBER_MANAGE, ObjectArgument("input.id", "PhoneNumber", "phone_number")
    ),
)
