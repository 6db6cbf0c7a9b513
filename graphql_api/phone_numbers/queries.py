from __future__ import annotations

from typing import Annotated

import strawberry

from core.integrations.twilio_numbers import NumberKind
from core.rbac import Permission
from core.services import phone_numbers
from core.services.phone_numbers import MAX_SEARCH_RESULTS, NumberSearch
from graphql_api.context import Info
from graphql_api.descriptions import OrganizationId
from graphql_api.errors import Payload, ServiceErrorsAsPayload
from graphql_api.pagination import after_argument, first_argument, paginate
from graphql_api.permissions import OrganizationArgument, requires
from graphql_api.phone_numbers.mutations.common import PhoneNumberError
from graphql_api.phone_numbers.types import (
    AvailablePhoneNumber,
    PhoneNumberConnection,
    PhoneNumberType,
)


@strawberry.type(description="Numbers for sale, or why the search was refused.")
class AvailablePhoneNumbersPayload(Payload[PhoneNumberError]):
    numbers: list[AvailablePhoneNumber] = strawberry.field(
        default_factory=list, description="What was found; empty when nothing matched."
    )


@strawberry.type
class PhoneNumberQueries:
    @strawberry.field(
        description="The numbers an organization holds, newest first (released ones are left out).",
        extensions=requires(Permission.AGENT_READ, OrganizationArgument()),
    )
    async def phone_numbers(
        self,
        info: Info,
        organization_id: OrganizationId,
        first: Annotated[int | None, first_argument(PhoneNumberConnection.page_size)] = (
            PhoneNumberConnection.page_size.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> PhoneNumberConnection | None:
        checked = info.context.checked_for(info)
        return await paginate(
            phone_numbers.get_all(organization_id=checked.access.organization_id),
            first=first,
            after=after,
            to_node=PhoneNumberType.from_model,
            connection=PhoneNumberConnection,
        )

    @strawberry.field(
        description="Numbers for sale that can take calls, to buy with `phoneNumberBuy`. "
        "Refused input is answered in `errors`.",
        extensions=[
            ServiceErrorsAsPayload(),
            *requires(Permission.PHONE_NUMBER_MANAGE, OrganizationArgument()),
        ],
    )
    async def available_phone_numbers(
        self,
        info: Info,
        organization_id: OrganizationId,
        country: Annotated[
            str, strawberry.argument(description="A two-letter ISO country code; default US.")
        ] = "US",
        kind: Annotated[
            NumberKind, strawberry.argument(description="Local or toll-free; default local.")
        ] = NumberKind.LOCAL,
        area_code: Annotated[
            str | None,
            strawberry.argument(description="Three digits (US and Canada), such as 415."),
        ] = None,
        contains: Annotated[
            str | None,
            strawberry.argument(
                description="2 to 16 digits or letters (as on a keypad) the number contains; "
                "`*` stands for any one digit."
            ),
        ] = None,
        limit: Annotated[
            int,
            strawberry.argument(
                description=f"At most this many numbers, 1 to {MAX_SEARCH_RESULTS}; default 20."
            ),
        ] = 20,
    ) -> AvailablePhoneNumbersPayload:
        found = await phone_numbers.search(
            query=NumberSearch(
                country=country, kind=kind, area_code=area_code, contains=contains, limit=limit
            ),
            settings=info.context.settings,
        )
        return AvailablePhoneNumbersPayload(
            numbers=[AvailablePhoneNumber.from_offer(offer) for offer in found]
        )
