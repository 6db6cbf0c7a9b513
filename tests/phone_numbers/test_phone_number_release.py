"""phoneNumberRelease: a number goes back to Twilio; refused while an agent answers it."""

from __future__ import annotations

from orm.models import PhoneNumber
from tests.support.factories import unique_phone_number
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import global_id
from tests.support.operations import PHONE_NUMBER_RELEASE, PHONE_NUMBERS


def _release(number: PhoneNumber) -> dict:
    return {"input": {"id": global_id("PhoneNumber", number.id)}}


async def test_a_released_number_leaves_twilio_and_the_list_but_stays_on_record(
    gql, make, twilio_fake
):
    # given
    tenant = await make.tenant()
    number = await make.phone_number(tenant)
    sid = number.provider_sid

    # when
    payload = await gql.payload(PHONE_NUMBER_RELEASE, _release(number), token=tenant.token)

    # then
    assert payload["errors"] == []
    assert payload["phoneNumber"]["status"] == "RELEASED"
    assert payload["phoneNumber"]["releasedAt"] is not None
    assert sid not in twilio_fake.numbers
    assert [released["sid"] for released in twilio_fake.released] == [sid]
    listed = await gql.data(
        PHONE_NUMBERS, {"organizationId": tenant.organization_id}, token=tenant.token
    )
    assert listed["phoneNumbers"]["edges"] == []
    assert (await PhoneNumber.get(id=number.id)).status == "released"


async def test_a_number_an_agent_answers_is_not_released(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)

    # when
    payload = await gql.payload(
        PHONE_NUMBER_RELEASE, _release(agent.phone_number), token=tenant.token
    )

    # then
    assert payload_codes(payload) == ["NUMBER_IN_USE"]
    assert agent.phone_number.provider_sid in twilio_fake.numbers
    assert (await PhoneNumber.get(id=agent.phone_number.id)).status == "active"


async def test_when_twilio_is_down_the_number_stays_held(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    number = await make.phone_number(tenant)
    twilio_fake.fail(status=500)

    # when
    payload = await gql.payload(PHONE_NUMBER_RELEASE, _release(number), token=tenant.token)

    # then
    assert payload_codes(payload) == ["TELEPHONY_UNAVAILABLE"]
    row = await PhoneNumber.get(id=number.id)
    assert (row.status, row.released_at) == ("active", None)
    assert number.provider_sid in twilio_fake.numbers


async def test_a_number_without_a_twilio_sid_is_found_by_its_number_and_released(
    gql, make, twilio_fake
):
    # given: a number moved over from an agent by the migration
    tenant = await make.tenant()
    e164 = unique_phone_number()
    sid = twilio_fake.hold(e164)["sid"]
    row = await PhoneNumber.create(organization=tenant.organization, e164=e164, friendly_name=e164)

    # when
    payload = await gql.payload(PHONE_NUMBER_RELEASE, _release(row), token=tenant.token)

    # then
    assert payload["errors"] == []
    assert sid not in twilio_fake.numbers


async def test_a_released_number_can_be_held_again_by_anyone(gql, make, twilio_fake):
    # given: A released a number that Twilio later sells again
    first = await make.tenant("First")
    number = await make.phone_number(first)
    await gql.ok(PHONE_NUMBER_RELEASE, _release(number), token=first.token)
    second = await make.tenant("Second")

    # when
    bought = await make.phone_number(second, number.e164)

    # then: a new record for the new holder; the old one made way
    assert bought.id != number.id
    assert bought.organization_id == second.organization_uuid
    assert not await PhoneNumber.filter(id=number.id).exists()


async def test_a_member_may_not_release_numbers(gql, make, twilio_fake):
    # given
    tenant = await make.tenant()
    number = await make.phone_number(tenant)
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(PHONE_NUMBER_RELEASE, _release(number), token=member.token)

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert number.provider_sid in twilio_fake.numbers
