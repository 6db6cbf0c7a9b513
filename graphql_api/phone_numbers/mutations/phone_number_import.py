from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import phone_numbers
from core.services.phone_numbers import NumberImport
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires
from graphql_api.phone_numbers.mutations.common import PhoneNumberPayload
from graphql_api.phone_numbers.types import PhoneNumberType


@strawberry.input(description="A number of the platform's phone company account to take.")
class PhoneNumberImportInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization that will hold the number."
    )
    phone_number: str = strawberry.field(description="The number, in any common format.")

    def to_core(self) -> NumberImport:
        return to_core(self, NumberImport)


async def phone_number_import(info: Info, input: PhoneNumberImportInput) -> PhoneNumberPayload:
    """Take a number that is in the platform's phone company account (ported in, or bought
    by the operator) and that no organization holds; its calls then come to the platform.
    For a number the organization already holds, link it again and reset where its calls go."""
    organization = await checked_organization(info)
    number = await phone_numbers.import_number(
        organization=organization, request=input.to_core(), settings=info.context.settings
    )
    return PhoneNumberPayload(phone_number=PhoneNumberType.from_model(number))


field = mutation(
    phone_number_import,
    permission=requires(
        Permission.PHONE_NUMBER_MANAGE, OrganizationArgument("input.organization_id")
    ),
)
