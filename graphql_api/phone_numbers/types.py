from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from core.integrations.twilio_numbers import AvailableNumber, NumberKind
from core.rbac import Permission
from core.services.phone_numbers import PhoneNumberStatus
from graphql_api.context import Info
from graphql_api.descriptions import described_enum
from graphql_api.node import Node, NodeKind
from graphql_api.organizations.types import OrganizationType, owning_organization
from graphql_api.pagination import CountedConnection
from orm.models import PhoneNumber

if TYPE_CHECKING:
    from graphql_api.agents.types import AgentType

_AGENTS = "graphql_api.agents.types"

described_enum(
    PhoneNumberStatus,
    name="PhoneNumberStatus",
    description="Whether the organization still holds a number.",
    values={
        PhoneNumberStatus.ACTIVE: "Held: calls to it reach the agent it is assigned to.",
        PhoneNumberStatus.RELEASED: "Given back to the phone company (`phoneNumberRelease`); "
        "kept as a record.",
    },
)
described_enum(
    NumberKind,
    name="PhoneNumberKind",
    description="The kind of number to look for.",
    values={
        NumberKind.LOCAL: "A geographic number (in the US and Canada: of an area code).",
        NumberKind.TOLL_FREE: "A toll-free number (in the US: 800, 888, 877, ...).",
    },
)


@strawberry.type(description="What a number can do.")
class PhoneNumberCapabilities:
    voice: bool = strawberry.field(description="It can take and place calls.")
    sms: bool = strawberry.field(description="It can send and receive text messages.")


@strawberry.type(
    name="PhoneNumber",
    description="A phone number the organization holds (bought or imported through the "
    "platform); calls to it reach the agent it is assigned to.",
)
class PhoneNumberType(Node):
    node_kind = NodeKind("phone_number", Permission.AGENT_READ)

    e164: str = strawberry.field(description="The number in E.164, such as +14155550123.")
    friendly_name: str = strawberry.field(
        description="The number as people write it, such as (415) 555-0123."
    )
    capabilities: PhoneNumberCapabilities = strawberry.field(description="What it can do.")
    status: PhoneNumberStatus = strawberry.field(description="Whether it is still held.")
    is_linked: bool = strawberry.field(
        description="Whether it is linked to its number at the phone company, which sends its "
        "calls to the platform. False for a number an agent had before numbers were owned: "
        "`phoneNumberImport` with the same number links it and sets where its calls go."
    )
    created_at: datetime = strawberry.field(
        description="When the organization got it on the platform."
    )
    released_at: datetime | None = strawberry.field(
        description="When it was released; null while it is held."
    )
    model: strawberry.Private[PhoneNumber]

    @property
    def organization_id(self) -> uuid.UUID:
        return self.model.organization_id

    @strawberry.field(description="The organization that holds the number.")
    async def organization(self, info: Info) -> OrganizationType:
        return await owning_organization(info, self.model.organization_id)

    @strawberry.field(
        description="The agent that answers it (and calls from it); null: none. Assign it with "
        "`agentUpdate(input: {id, phoneNumberId})`."
    )
    async def agent(self, info: Info) -> Annotated[AgentType, strawberry.lazy(_AGENTS)] | None:
        from graphql_api.agents.types import AgentType

        agent = await info.context.loaders.agent_by_phone_number.load(self.model.id)
        return AgentType.from_model(agent) if agent is not None else None

    @classmethod
    def from_model(cls, number: PhoneNumber) -> PhoneNumberType:
        return cls(
            id=str(number.id),
            e164=number.e164,
            friendly_name=number.friendly_name or number.e164,
            capabilities=PhoneNumberCapabilities(
                voice=number.voice_capable, sms=number.sms_capable
            ),
            status=PhoneNumberStatus(number.status),
            is_linked=number.provider_sid is not None,
            created_at=number.created_at,
            released_at=number.released_at,
            model=number,
        )


@strawberry.type(
    name="PhoneNumberConnection",
    description="A page of the organization's numbers, newest first.",
)
class PhoneNumberConnection(CountedConnection[PhoneNumberType]):
    pass


@strawberry.type(description="A number for sale; `phoneNumberBuy` buys it.")
class AvailablePhoneNumber:
    e164: str = strawberry.field(description="The number in E.164: pass it to `phoneNumberBuy`.")
    friendly_name: str = strawberry.field(description="The number as people write it.")
    locality: str | None = strawberry.field(description="Its town or city, where known.")
    region: str | None = strawberry.field(
        description="Its state or province (two letters in the US and Canada), where known."
    )
    iso_country: str = strawberry.field(description="Its country, as an ISO 3166-1 code.")
    capabilities: PhoneNumberCapabilities = strawberry.field(description="What it can do.")

    @classmethod
    def from_offer(cls, offer: AvailableNumber) -> AvailablePhoneNumber:
        return cls(
            e164=offer.e164,
            friendly_name=offer.friendly_name,
            locality=offer.locality,
            region=offer.region,
            iso_country=offer.iso_country,
            capabilities=PhoneNumberCapabilities(voice=offer.voice, sms=offer.sms),
        )
